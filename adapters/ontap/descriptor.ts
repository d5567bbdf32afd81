import { clientCertificate, type ClientCertificateSources } from '../../src/vendor/client-certificate.js';
import { stringFlag, type VendorDescriptor, type VendorListQuery } from '../../src/vendor/descriptor.js';
import { createOntapClient, type OntapClient, type OntapJobQuery } from './client.js';
import {
  ontapErrorResponseSchema,
  ontapErrorSchema,
  ontapHrefSchema,
  ontapJobCollectionSchema,
  ontapJobLinkResponseSchema,
  ontapJobSchema,
  ontapJobsLinkResponseSchema,
} from './schemas.js';
import type { OntapSimulation } from './simulator.js';
import { mapOntapState, ONTAP_STATES } from './state.js';

const PASSWORD_INSTEAD = 'set JOBWAIT_ONTAP_PASSWORD or pipe it to --password-stdin';

/** The client certificate's flags and variables (ONTAP's certificate authentication). */
const CERTIFICATE: ClientCertificateSources = {
  cert: { flag: 'cert', env: 'JOBWAIT_ONTAP_CERT' },
  key: { flag: 'key', env: 'JOBWAIT_ONTAP_KEY' },
  passphraseEnv: 'JOBWAIT_ONTAP_KEY_PASSPHRASE',
};

/**
 * `jobwait list ontap`'s flags as a `listJobs` query: `--state`, `--description`, `--svm` and
 * `--error-code` filter (`svm.name`, `error.code`), `--order-by` is `order_by`, and
 * `--max-records N` is `max_records`, a page's size: one page of N (the CLI stops after N).
 */
function ontapListQuery(query: VendorListQuery): OntapJobQuery {
  // A filter left undefined is not sent.
  return {
    state: query.state,
    description: query.flag('description'),
    'svm.name': query.flag('svm'),
    'error.code': query.flag('error-code'),
    order_by: query.flag('order-by'),
    max_records: query.maxRecords,
  };
}

/** NetApp ONTAP cluster jobs, as the CLI, the simulator and the conformance suite see them. @internal */
export const ontapVendor: VendorDescriptor<OntapClient, OntapSimulation> = {
  name: 'ontap',
  title: 'ONTAP',
  createClient: createOntapClient,
  schemas: { ontapErrorResponseSchema, ontapErrorSchema, ontapHrefSchema, ontapJobCollectionSchema, ontapJobLinkResponseSchema, ontapJobSchema, ontapJobsLinkResponseSchema },
  states: { known: ONTAP_STATES, map: mapOntapState },
  simulator: {
    load: async () => new (await import('./simulator.js')).OntapSimulation(),
    jobPath: '/api/cluster/jobs/',
    client: (url, credential, options = {}) => createOntapClient({ ...options, baseUrl: url, auth: { username: 'admin', password: credential } }),
    demandCredential: (sim, credential) => {
      sim.credentials = { username: 'admin', password: credential };
    },
    succeeding: (sim) => sim.addJob({ steps: [{ state: 'queued' }, { state: 'running', message: 'working' }, { state: 'success', message: 'done' }] }),
    failing: (sim) =>
      sim.addJob({ steps: [{ state: 'queued' }, { state: 'running' }, { state: 'failure', message: 'Volume is offline', error: { code: '917927', message: 'Volume is offline' } }] }),
    running: (sim) => sim.addJob({ steps: [{ state: 'running' }] }),
    missing: '00000000-0000-4000-8000-000000000000',
  },
  cli: {
    flags: { url: 'string', user: 'string', 'password-stdin': 'boolean', [CERTIFICATE.cert.flag]: 'string', [CERTIFICATE.key.flag]: 'string' },
    secretFlags: { password: PASSWORD_INSTEAD, 'key-passphrase': `set ${CERTIFICATE.passphraseEnv}` },
    help: [
      '  ONTAP    --url URL       or JOBWAIT_ONTAP_URL',
      '           --user NAME     or JOBWAIT_ONTAP_USER',
      '           password        JOBWAIT_ONTAP_PASSWORD, or --password-stdin',
      `           --cert FILE     or ${CERTIFICATE.cert.env}: a client certificate (PEM; default: none)`,
      `           --key FILE      or ${CERTIFICATE.key.env}: its private key (PEM)`,
      `           key passphrase  ${CERTIFICATE.passphraseEnv}, for an encrypted key`,
    ],
    async createClient(input) {
      const baseUrl = stringFlag(input, 'url') ?? input.env('JOBWAIT_ONTAP_URL');
      if (!baseUrl) return input.refuse('the ONTAP address is missing: pass --url or set JOBWAIT_ONTAP_URL');
      const username = stringFlag(input, 'user') ?? input.env('JOBWAIT_ONTAP_USER');
      if (!username) return input.refuse('the ONTAP user is missing: pass --user or set JOBWAIT_ONTAP_USER');
      let password: string | undefined;
      if (input.flag('password-stdin') === true) {
        password = (await input.readStdin()).replace(/\r?\n$/, '');
        if (password === '') return input.refuse('--password-stdin read an empty password');
      } else {
        password = input.env('JOBWAIT_ONTAP_PASSWORD');
      }
      if (password === undefined) return input.refuse('the ONTAP password is missing: set JOBWAIT_ONTAP_PASSWORD or pipe it to --password-stdin');
      const certificate = await clientCertificate(input, CERTIFICATE);
      const tls = await input.tls();
      return createOntapClient({ baseUrl, auth: { username, password }, tls: certificate === undefined ? tls : { ...tls, ...certificate }, logger: input.logger, proxy: input.proxy });
    },
    scenario: {
      addJob: (sim) =>
        sim.addJob({
          description: 'PATCH /api/storage/volumes/vol1 (demo resize)',
          steps: [
            { state: 'queued', message: 'Queued', polls: 1 },
            { state: 'running', message: 'Preparing volume resize', polls: 2 },
            { state: 'running', message: 'Resizing volume vol1', polls: 2 },
            { state: 'success', message: 'success', code: 0 },
          ],
        }),
      ends: 'succeeds',
      extraJobs: (sim) => [
        {
          key: 'ontapLongRunning',
          id: sim.addJob({ description: 'A job that runs until cancelled', steps: [{ state: 'running', message: 'Working' }] }),
          note: 'runs until cancelled (try cancel / pause / resume)',
        },
      ],
      tryCommands: (jobs) => ['jobwait list ontap --state running', `jobwait cancel ontap ${String(jobs['ontapLongRunning'])}`],
      environment: (url) => ({ JOBWAIT_ONTAP_URL: url, JOBWAIT_ONTAP_USER: 'admin', JOBWAIT_ONTAP_PASSWORD: 'any-value' }),
      // Demo credentials for a loopback simulator: the ONTAP side checks them, to show real auth.
      demoSetup: (sim) => {
        sim.credentials = { username: 'admin', password: 'demo-password' };
      },
      demoClient: (url, options) => createOntapClient({ ...options, baseUrl: url, auth: { username: 'admin', password: 'demo-password' } }),
      expected: 'succeeded',
      matches: (job) => job.state === 'succeeded',
    },
    jobs: {
      stateHelp: 'queued, running, paused, success, failure, or a|b',
      idLabel: 'job uuid',
      listFlags: {
        description: { usage: '--description P', text: 'only jobs whose description matches P (ONTAP\'s operators: *snap*, !x, a|b)', default: 'any description' },
        svm: { usage: '--svm NAME', text: 'only jobs of the SVM NAME (a|b)', default: 'every SVM' },
        'error-code': { usage: '--error-code C', text: 'only jobs whose error code is C (a|b, !0)', default: 'any error code' },
        'order-by': { usage: '--order-by F', text: 'sort by job field F, as in \'start_time desc\' (F,G for more)', default: 'ONTAP\'s order' },
      },
      list: (client, query, options) => client.listJobs(ontapListQuery(query), options),
      act: (client, action, id, options) => (action === 'cancel' ? client.cancelJob(id, options) : action === 'pause' ? client.pauseJob(id, options) : client.resumeJob(id, options)),
    },
  },
};
