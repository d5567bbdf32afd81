/**
 * The three vendors as the fault matrix sees them: how to script a job, make a client with
 * recognizable secrets, make the simulated gateway demand those secrets, and craft a vendor's own
 * bodies (a terminal job, an error answer). Used by fault-matrix.test.ts and secrets-sweep.test.ts.
 */
import { createCasClient } from '../../adapters/cas/index.js';
import { createCceClient } from '../../adapters/cce/index.js';
import { createOntapClient } from '../../adapters/ontap/index.js';
import type { ClientOptions, JobClient, JobState } from '../../src/index.js';
import type { Simulator } from '../../src/testing/index.js';

// Each secret holds characters a JSON encoder escapes (`"`, a backslash, `/`, non-ASCII), so an echo
// that reaches the client written as JSON is never the secret as is.
export const USERNAME = 'admin';
export const PASSWORD = 'Pw-LEAK/"\\\u00e4-1234';
export const TOKEN = 'TOKEN-LEAK/"\\-5678';
export const ACCESS_KEY = 'AK-visible';
export const SECRET_KEY = 'SK-LEAK/"\\\u00e4-9012';
export const SECURITY_TOKEN = 'STS-LEAK/+=-3456';
/** The base64 part of ONTAP's `Authorization: Basic …`. */
export const BASIC = Buffer.from(`${USERNAME}:${PASSWORD}`, 'utf8').toString('base64');
/** Every recognizable secret of every client: none may ever show. */
export const ALL_SECRETS: readonly string[] = [PASSWORD, `${USERNAME}:${PASSWORD}`, BASIC, TOKEN, SECRET_KEY, SECURITY_TOKEN];

export const PROJECT = '063a3158b1a34710b36ad208b9497d00';

/** How a client authenticates: ONTAP basic, or a Huawei token or AK/SK signature. */
export type AuthMode = 'basic' | 'token' | 'aksk';

/** The words of the normalized states the matrix scripts. */
export type ScriptedState = Extract<JobState, 'queued' | 'running' | 'succeeded' | 'failed' | 'unknown'>;

export interface Vendor {
  name: 'ontap' | 'cas' | 'cce';
  /** The path part that addresses a job, to aim faults. */
  jobPath: string;
  /** The auth modes this vendor has. */
  modes: readonly AuthMode[];
  /** A client of `url` with the recognizable secrets of `mode`. */
  client(url: string, mode: AuthMode, options: ClientOptions): JobClient;
  /** Makes the simulated vendor demand exactly those secrets (a request without them gets 401). */
  demand(sim: Simulator, mode: AuthMode): void;
  /** The secrets a client of `mode` holds (what its redactor knows). */
  secrets(mode: AuthMode): string[];
  /** The vendor's own word for each scripted state. */
  word: Record<ScriptedState, string>;
  /** A job that shows these states, one poll each (the last one holds). */
  scripted(sim: Simulator, states: readonly ScriptedState[], visibility?: { hiddenForPolls?: number; hiddenForMs?: number }): string;
  /** Deletes a job: it answers the vendor's 404 from then on. */
  deleteJob(sim: Simulator, id: string): void;
  /** The body of a 200 that shows job `id` succeeded, as the vendor writes it. */
  succeededBody(id: string): unknown;
  /** The body of a 200 that shows job `id` failed, with `text` as the vendor's own failure message. */
  failedBody(id: string, text: string): unknown;
  /** An error body in the vendor's format. */
  errorBody(kind: 'bad-request' | 'unauthorized' | 'server', message: string): unknown;
}

export const VENDORS: readonly Vendor[] = [
  {
    name: 'ontap',
    jobPath: '/api/cluster/jobs/',
    modes: ['basic'],
    client: (url, _mode, options) => createOntapClient({ ...options, baseUrl: url, auth: { username: USERNAME, password: PASSWORD } }),
    demand: (sim) => {
      sim.ontap.credentials = { username: USERNAME, password: PASSWORD };
    },
    secrets: () => [PASSWORD, `${USERNAME}:${PASSWORD}`, BASIC],
    word: { queued: 'queued', running: 'running', succeeded: 'success', failed: 'failure', unknown: 'migrating' },
    scripted(sim, states, visibility = {}) {
      return sim.ontap.addJob({
        ...visibility,
        steps: states.map((s) => (s === 'failed' ? { state: this.word[s], message: 'Volume is offline', error: { code: '917927', message: 'Volume is offline' } } : { state: this.word[s] })),
      });
    },
    deleteJob: (sim, id) => sim.ontap.deleteJob(id),
    succeededBody: (id) => ({ uuid: id, state: 'success', message: 'Complete: Successful' }),
    failedBody: (id, text) => ({ uuid: id, state: 'failure', message: text, code: 917927, error: { code: '917927', message: text } }),
    errorBody: (kind, message) => ({ error: { message, code: kind === 'unauthorized' ? '6' : kind === 'server' ? '1' : '262179', target: message } }),
  },
  {
    name: 'cas',
    jobPath: '/cas/jobs/',
    modes: ['token', 'aksk'],
    client: (url, mode, options) => createCasClient({ ...options, endpoint: url, projectId: PROJECT, auth: huaweiAuth(mode) }),
    demand: (sim, mode) => {
      sim.cas.auth = huaweiAuth(mode);
    },
    secrets: huaweiSecrets,
    word: { queued: 'SUBMITTED', running: 'RUNNING', succeeded: 'SUCCEEDED', failed: 'FAILED', unknown: 'WAITING_APPROVAL' },
    scripted(sim, states, visibility = {}) {
      return sim.cas.addJob({
        jobId: `JOB${crypto.randomUUID()}`,
        ...visibility,
        tasks: [{ TASK_NAME: 'build' }, { TASK_NAME: 'deploy' }],
        steps: states.map((s) => ({ status: this.word[s] })),
      });
    },
    deleteJob: (sim, id) => sim.cas.deleteJob(id),
    succeededBody: (id) => ({ job: { JOB_ID: id, EXECUTION_STATUS: 'SUCCEEDED' }, tasks: [], task_count: 0 }),
    failedBody: (id, text) => ({
      job: { JOB_ID: id, EXECUTION_STATUS: 'FAILED' },
      tasks: [{ TASK_ID: 'Task-1', TASK_NAME: 'deploy', TASK_INDEX: 1, TASK_STATUS: 'FAILED', MESSAGES: JSON.stringify({ Message: 'ECC00011', Detail: text }) }],
      task_count: 1,
    }),
    errorBody: (kind, message) => ({
      error_code: kind === 'unauthorized' ? 'APIGW.0301' : kind === 'server' ? 'SVCSTG.00100500' : 'SVCSTG.00100400',
      error_msg: message,
      request_id: message,
    }),
  },
  {
    name: 'cce',
    jobPath: '/jobs/',
    modes: ['token', 'aksk'],
    client: (url, mode, options) => createCceClient({ ...options, endpoint: url, projectId: PROJECT, auth: huaweiAuth(mode) }),
    demand: (sim, mode) => {
      sim.cce.auth = huaweiAuth(mode);
    },
    secrets: huaweiSecrets,
    word: { queued: 'Initializing', running: 'Running', succeeded: 'Success', failed: 'Failed', unknown: 'Pending' },
    scripted(sim, states, visibility = {}) {
      return sim.cce.addJob({
        uid: crypto.randomUUID(),
        ...visibility,
        steps: states.map((s) => (s === 'failed' ? { phase: this.word[s], reason: 'InstallFailed', message: 'Install master failed' } : { phase: this.word[s] })),
      });
    },
    deleteJob: (sim, id) => sim.cce.deleteJob(id),
    succeededBody: (id) => ({ metadata: { uid: id }, status: { phase: 'Success' } }),
    failedBody: (id, text) => ({ metadata: { uid: id }, status: { phase: 'Failed', reason: 'InstallFailed', message: text } }),
    errorBody: (kind, message) => ({
      error_code: kind === 'unauthorized' ? 'APIGW.0301' : kind === 'server' ? 'CCE.01500001' : 'CCE.01400001',
      error_msg: message,
      request_id: message,
    }),
  },
];

function huaweiAuth(mode: AuthMode): { token: string } | { accessKey: string; secretKey: string; securityToken: string } {
  return mode === 'token' ? { token: TOKEN } : { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, securityToken: SECURITY_TOKEN };
}

function huaweiSecrets(mode: AuthMode): string[] {
  return mode === 'token' ? [TOKEN] : [SECRET_KEY, SECURITY_TOKEN];
}
