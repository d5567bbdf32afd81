import type { Simulator } from '../testing/index.js';

/** The scripted jobs of `demo` and `simulate`: one per vendor, plus an ONTAP job that never ends. */
export interface Scenario {
  ontap: string;
  cas: string;
  cce: string;
  /** A running ONTAP job for `cancel` / `pause` / `resume` (simulate only). */
  ontapLongRunning?: string;
}

/** The project id the simulated Huawei jobs use (any id works with the simulator). */
export const SIMULATED_PROJECT = '063a3158b1a34710b36ad208b9497d00';

/** Starts the simulator on loopback (loaded lazily: it needs the optional `msw` peer). */
export async function startScenarioSimulator(port = 0): Promise<Simulator> {
  let testing: typeof import('../testing/index.js');
  try {
    testing = await import('../testing/index.js');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
    throw new Error(missing ? 'the simulator needs the optional peer dependency msw: npm install --save-dev msw' : `cannot load the simulator: ${(error as Error).message}`);
  }
  return testing.startSimulator({ host: '127.0.0.1', port });
}

/**
 * Scripts the jobs. Steps are counted in polls, so the jobs move as fast as the poller asks:
 * an ONTAP job that succeeds, a CAS provisioning whose task TN00097 fails with ECC00011 (the
 * simulator's default: Huawei's documented example), a CCE cluster creation whose sub-jobs succeed.
 */
export function addScenarioJobs(sim: Simulator, options: { longRunning?: boolean } = {}): Scenario {
  const ontap = sim.ontap.addJob({
    description: 'PATCH /api/storage/volumes/vol1 (demo resize)',
    steps: [
      { state: 'queued', message: 'Queued', polls: 1 },
      { state: 'running', message: 'Preparing volume resize', polls: 2 },
      { state: 'running', message: 'Resizing volume vol1', polls: 2 },
      { state: 'success', message: 'success', code: 0 },
    ],
  });
  const cas = sim.cas.addJob({
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
  });
  const cce = sim.cce.addJob({
    steps: [
      { phase: 'Initializing', subJobPhases: ['Initializing', 'Initializing'], polls: 1 },
      { phase: 'Running', subJobPhases: ['Running', 'Initializing'], polls: 2 },
      { phase: 'Running', subJobPhases: ['Success', 'Running'], polls: 2 },
      { phase: 'Success', subJobPhases: ['Success', 'Success'] },
    ],
  });
  const scenario: Scenario = { ontap, cas, cce };
  if (options.longRunning) {
    scenario.ontapLongRunning = sim.ontap.addJob({ description: 'A job that runs until cancelled', steps: [{ state: 'running', message: 'Working' }] });
  }
  return scenario;
}
