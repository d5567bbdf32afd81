import type { VendorDescriptor } from '../../src/vendor/descriptor.js';
import { huaweiDescriptorParts } from '../huawei/cli.js';
import { createCceClient, type CceClient } from './client.js';
import { cceJobSchema, cceJobSpecSchema, cceSubJobSchema } from './schemas.js';
import type { CceSimulation } from './simulator.js';
import { CCE_PHASES, mapCcePhase } from './state.js';

const huawei = huaweiDescriptorParts<CceClient, CceSimulation>('CCE', 'JOBWAIT_CCE_ENDPOINT', createCceClient);

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
    ...huawei.simulator,
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
    ...huawei.cli,
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
      ...huawei.scenario,
      expected: 'succeeded',
      matches: (job) => job.state === 'succeeded' && job.tasks.every((task) => task.state === 'succeeded'),
    },
  },
};
