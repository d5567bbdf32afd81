/**
 * The secrets sweep: every vendor (ONTAP basic, CAS signed with AK/SK, CCE with a token), through the real `jobwait` bin in each of its three
 * output modes (tty, plain lines, NDJSON), against a simulator whose answers echo the client's
 * credentials in every form servers write them in (as is, JSON-escaped once and twice, `\u`
 * escapes, `\/`, percent-encoded). Nothing the bin prints, on stdout or stderr, may show a
 * credential, the Authorization value it sent, or a request signature.
 */
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startSimulator, type Simulator } from '../../src/testing/index.js';
import { assertBuilt, runCli, type CliResult } from '../cli/run-cli.js';
import { leakedSecrets } from '../helpers/faces.js';
import { echoEveryForm, foreignJson } from './encodings.js';
import { ACCESS_KEY, PASSWORD, PROJECT, SECRET_KEY, SECURITY_TOKEN, TOKEN, USERNAME, VENDORS, type AuthMode, type Vendor } from './vendors.js';

const SIGNATURE = /Signature=[0-9a-f]{16,}/i;
const FAST = ['--min-delay', '20ms', '--max-delay', '50ms', '--timeout', '10s'];

type Output = 'tty' | 'plain' | 'json';
const OUTPUTS: readonly Output[] = ['tty', 'plain', 'json'];

/** The bin's environment for a vendor and its credentials. */
function environment(vendor: Vendor, mode: AuthMode, url: string): Record<string, string> {
  if (vendor.name === 'ontap') return { JOBWAIT_ONTAP_URL: url, JOBWAIT_ONTAP_USER: USERNAME, JOBWAIT_ONTAP_PASSWORD: PASSWORD };
  const endpoint: Record<string, string> = vendor.name === 'cas' ? { JOBWAIT_CAS_ENDPOINT: url } : { JOBWAIT_CCE_ENDPOINT: url };
  const auth: Record<string, string> = mode === 'token' ? { JOBWAIT_HUAWEI_TOKEN: TOKEN } : { HUAWEICLOUD_SDK_AK: ACCESS_KEY, HUAWEICLOUD_SDK_SK: SECRET_KEY, HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN };
  return { ...endpoint, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT, ...auth };
}

/** What a server answers, echoing the text it is given. */
interface Answer {
  name: string;
  /** The bin's exit code and the code its error line names. */
  exit: number;
  code: string;
  /** The outputs that show (the redacted) echo: the others have nothing of it to leak. */
  outputs: readonly Output[];
  aim(sim: Simulator, vendor: Vendor, id: string, echo: string): void;
}

const ANSWERS: readonly Answer[] = [
  {
    name: 'a failed job whose text echoes them (JSON from a foreign encoder)',
    exit: 1,
    code: 'JOB_FAILED',
    outputs: OUTPUTS,
    aim: (sim, vendor, id, echo) => sim.fault({ path: vendor.jobPath, type: 'raw', status: 200, contentType: 'application/json', body: foreignJson(vendor.failedBody(id, `login refused: ${echo}`)) }),
  },
  {
    name: 'a 401 whose error body echoes them',
    exit: 6,
    code: 'AUTHENTICATION',
    outputs: OUTPUTS,
    aim: (sim, vendor, _id, echo) => sim.fault({ path: vendor.jobPath, type: 'raw', status: 401, contentType: 'application/json', body: foreignJson(vendor.errorBody('unauthorized', `login refused: ${echo}`)) }),
  },
  {
    name: 'a 200 cut short inside an escaped echo (the NDJSON error carries its snippet)',
    exit: 7,
    code: 'INVALID_RESPONSE',
    outputs: ['json'],
    aim: (sim, vendor, id, echo) => sim.fault({ path: vendor.jobPath, type: 'raw', status: 200, contentType: 'application/json', body: foreignJson(vendor.failedBody(id, `login refused: ${echo}`)).slice(0, -2) }),
  },
];

/** Each vendor once; the Huawei ones split the auth modes (their transport is shared), as the fault matrix does. */
const CELLS = VENDORS.map((vendor) => ({ vendor, mode: (vendor.name === 'cas' ? 'aksk' : vendor.modes[0]) as AuthMode }));

beforeAll(() => assertBuilt());

describe.each(CELLS)('the bin for $vendor.name with $mode credentials', ({ vendor, mode }) => {
  /** Everything the client knows and sent: its secrets, the header values, the signatures. */
  function forbidden(sim: Simulator): string[] {
    const values = new Set(vendor.secrets(mode));
    for (const request of sim.requests) {
      for (const name of ['authorization', 'x-auth-token', 'x-security-token']) {
        const value = request.headers[name];
        if (value === undefined) continue;
        values.add(value);
        const signature = /Signature=([0-9a-f]+)/i.exec(value)?.[1];
        if (signature !== undefined) values.add(signature);
      }
    }
    return [...values];
  }

  describe.each(ANSWERS)('answered with $name', (answer) => {
    it.each(answer.outputs)('prints no credential in its %s output', async (output) => {
      const sim = await startSimulator();
      onTestFinished(() => sim.close());
      vendor.demand(sim, mode);
      const id = vendor.scripted(sim, ['running']);
      // A first request, so the echo can quote an Authorization value as the client sends it.
      const probe = vendor.client(sim.url, mode, { retry: false });
      await probe.getJob(id).finally(() => probe.close());
      const sent = sim.requests.at(-1)?.headers;
      const credentials = [...vendor.secrets(mode), sent?.['authorization'] ?? sent?.['x-auth-token'] ?? ''];
      answer.aim(sim, vendor, id, credentials.map(echoEveryForm).join(' / '));

      const result: CliResult = await runCli(['wait', vendor.name, id, ...FAST, ...(output === 'json' ? ['--json'] : [])], { env: environment(vendor, mode, sim.url), tty: output === 'tty' });

      expect(result.code, result.stderr).toBe(answer.exit);
      expect(result.stderr).toContain(answer.code);
      expect(result.stdout + result.stderr).toContain('[REDACTED]');
      if (output === 'json') {
        const last = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as { type: string; error: { code: string } };
        expect(last).toMatchObject({ type: 'outcome', error: { code: answer.code } });
      }
      if (output === 'tty') expect(result.stderr).toContain('\x1b[0J'); // the live block was drawn
      for (const [stream, text] of [['stdout', result.stdout], ['stderr', result.stderr]] as const) {
        expect(leakedSecrets(text, forbidden(sim)), `${output} ${stream}:\n${text.slice(0, 3000)}`).toEqual([]);
        expect(text, `${output} ${stream} holds a signature`).not.toMatch(SIGNATURE);
      }
    });
  });
});
