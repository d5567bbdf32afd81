import type { Job } from '../../src/model/job.js';
import type { VendorDescriptor } from '../../src/vendor/descriptor.js';
import { huaweiDescriptorParts } from '../huawei/cli.js';
import { HUAWEI_ID, HUAWEI_ID_HINT } from '../huawei/client-options.js';
import { createCasClient, type CasClient } from './client.js';
import { casJobResponseSchema, casJobSchema, casTaskSchema } from './schemas.js';
import type { CasSimulation } from './simulator.js';
import { CAS_EXECUTION_STATES, mapCasJobState } from './state.js';

const failedAtTn00097 = (job: Job): boolean =>
  job.state === 'failed' && job.tasks.some((task) => task.name === 'TN00097' && task.state === 'failed' && task.error?.code === 'ECC00011');

const huawei = huaweiDescriptorParts<CasClient, CasSimulation>('CAS', 'JOBWAIT_CAS_ENDPOINT', createCasClient);

/** Huawei ServiceStage (CAS) jobs, as the CLI, the simulator and the conformance suite see them. @internal */
export const casVendor: VendorDescriptor<CasClient, CasSimulation> = {
  name: 'cas',
  title: 'CAS',
  createClient: createCasClient,
  schemas: { casJobResponseSchema, casJobSchema, casTaskSchema },
  states: { known: CAS_EXECUTION_STATES, map: mapCasJobState },
  simulator: {
    load: async () => new (await import('./simulator.js')).CasSimulation(),
    jobPath: '/cas/jobs/',
    ...huawei.simulator,
    succeeding: (sim) =>
      sim.addJob({
        tasks: [{ TASK_NAME: 'build' }, { TASK_NAME: 'deploy' }],
        steps: [
          { status: 'SUBMITTED', taskStatuses: ['SUBMITTED', 'SUBMITTED'] },
          { status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'RUNNING'] },
          { status: 'SUCCEEDED', taskStatuses: ['SUCCEEDED', 'SUCCEEDED'] },
        ],
      }),
    // The simulator's default script: Huawei's documented example, whose task TN00097 fails.
    failing: (sim) => sim.addJob({ jobId: `JOB${crypto.randomUUID()}` }),
    running: (sim) => sim.addJob({ steps: [{ status: 'RUNNING' }] }),
    missing: 'JOB00000000-0000-4000-8000-000000000000',
  },
  cli: {
    ...huawei.cli,
    wait: {
      flags: { instance: { usage: '--instance ID', text: 'the component instance of the jobs (instance_id, on every poll)', default: 'none' } },
      options: (input) => {
        const instanceId = input.flag('instance');
        if (instanceId === undefined) return {};
        if (!HUAWEI_ID.test(instanceId)) return input.refuse(`--instance ${HUAWEI_ID_HINT}, got ${JSON.stringify(instanceId.slice(0, 40))}`);
        return { instanceId };
      },
    },
    scenario: {
      addJob: (sim) =>
        sim.addJob({
          steps: [
            { status: 'SUBMITTED', taskStatuses: ['SUBMITTED', 'SUBMITTED', 'SUBMITTED', 'SUBMITTED', 'SUBMITTED'], polls: 1 },
            { status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'RUNNING', 'SUBMITTED', 'SUBMITTED', 'SUBMITTED'], polls: 1 },
            { status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'SUCCEEDED', 'RUNNING', 'SUBMITTED', 'SUBMITTED'], polls: 1 },
            { status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'RUNNING'], polls: 2 },
            // The end of Huawei's documented example: task TN00097 failed with ECC00011.
            {
              status: 'FAILED',
              taskStatuses: ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED'],
              taskMessages: ['{}', '{}', '{}', '{}', '{ "Message" : "ECC00011", "Detail" : "Building failed." }'],
            },
          ],
        }),
      ends: 'fails at task TN00097 (ECC00011)',
      ...huawei.scenario,
      expected: 'failed at TN00097 (ECC00011)',
      matches: failedAtTn00097,
    },
  },
};
