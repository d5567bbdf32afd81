import type { VendorDescriptor } from '../../src/vendor/descriptor.js';
import { HUAWEI_FLAGS, HUAWEI_HELP, HUAWEI_SECRET_FLAGS, huaweiClientFromConfig, SIMULATED_PROJECT } from '../huawei/cli.js';
import { createCceClient, type CceClient } from './client.js';
import { cceJobSchema, cceJobSpecSchema, cceSubJobSchema } from './schemas.js';
import type { CceSimulation } from './simulator.js';
import { CCE_PHASES, mapCcePhase } from './state.js';

/** Huawei CCE jobs, as the CLI, the simulator and the conformance suite see them. @internal */
export const cceVendor: VendorDescriptor<CceClient, CceSimulation> = {
  name: 'cce',
  title: 'CCE',
  createClient: createCceClient,
  schemas: { cceJobSchema, cceJobSpecSchema, cceSubJobSchema },
  states: { known: CCE_PHASES, map: mapCcePhase },
  simulator: {
    load: async () => new (await import('./simulator.js')).CceSimulation(),
    jobPath: '/jobs/',
    client: (url, credential, options = {}) => createCceClient({ ...options, endpoint: url, projectId: SIMULATED_PROJECT, auth: { token: credential } }),
    demandCredential: (sim, credential) => {
      sim.auth = { token: credential };
    },
    succeeding: (sim) => sim.addJob({ uid: crypto.randomUUID() }),
    failing: (sim) =>
      sim.addJob({
        uid: crypto.randomUUID(),
        steps: [
          { phase: 'Initializing', subJobPhases: ['Initializing', 'Initializing'] },
          { phase: 'Running', subJobPhases: ['Success', 'Running'] },
          { phase: 'Failed', reason: 'InstallFailed', message: 'Install master failed', subJobPhases: ['Success', 'Failed'] },
        ],
      }),
    running: (sim) => sim.addJob({ uid: crypto.randomUUID(), steps: [{ phase: 'Running' }] }),
    missing: '00000000-0000-4000-8000-000000000000',
  },
  cli: {
    flags: HUAWEI_FLAGS,
    secretFlags: HUAWEI_SECRET_FLAGS,
    help: HUAWEI_HELP,
    createClient: (input) => huaweiClientFromConfig(input, 'CCE', 'JOBWAIT_CCE_ENDPOINT', createCceClient),
    scenario: {
      addJob: (sim) =>
        sim.addJob({
          steps: [
            { phase: 'Initializing', subJobPhases: ['Initializing', 'Initializing'], polls: 1 },
            { phase: 'Running', subJobPhases: ['Running', 'Initializing'], polls: 2 },
            { phase: 'Running', subJobPhases: ['Success', 'Running'], polls: 2 },
            { phase: 'Success', subJobPhases: ['Success', 'Success'] },
          ],
        }),
      ends: 'succeeds, with sub-jobs',
      environment: (url) => ({ JOBWAIT_CCE_ENDPOINT: url, HUAWEICLOUD_SDK_PROJECT_ID: SIMULATED_PROJECT, JOBWAIT_HUAWEI_TOKEN: 'any-value' }),
      simulatorInfo: { projectId: SIMULATED_PROJECT },
      demoClient: (url, options) => createCceClient({ ...options, endpoint: url, projectId: SIMULATED_PROJECT, auth: { token: 'demo-token' } }),
      expected: 'succeeded',
      matches: (job) => job.state === 'succeeded' && job.tasks.every((task) => task.state === 'succeeded'),
    },
  },
};
