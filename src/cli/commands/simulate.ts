import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { addScenarioJobs, SIMULATED_PROJECT, startScenarioSimulator } from '../scenario.js';

/** `jobwait simulate [--port N]`: the loopback simulator in the foreground, until SIGINT / SIGTERM. */
export async function simulateCommand(context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  if (args.positionals.length > 0) throw new UsageError(`simulate takes no arguments (got ${JSON.stringify(args.positionals[0]?.slice(0, 40))})`);
  const sim = await startScenarioSimulator(args.flags.port ?? 0);
  try {
    const jobs = addScenarioJobs(sim, { longRunning: true });
    if (args.flags.json) {
      io.stdout.write(`${JSON.stringify({ type: 'simulator', url: sim.url, projectId: SIMULATED_PROJECT, jobs })}\n`);
    } else {
      io.stdout.write(
        [
          `jobwait simulator listening on ${sim.url} (loopback only; Ctrl-C to stop)`,
          '',
          'Scripted jobs (each poll moves a job one step along):',
          `  ontap  ${jobs.ontap}  succeeds`,
          `  ontap  ${String(jobs.ontapLongRunning)}  runs until cancelled (try cancel / pause / resume)`,
          `  cas    ${jobs.cas}  fails at task TN00097 (ECC00011)`,
          `  cce    ${jobs.cce}  succeeds, with sub-jobs`,
          '',
          'The simulator accepts any credentials. In another shell:',
          `  export JOBWAIT_ONTAP_URL=${sim.url} JOBWAIT_ONTAP_USER=admin JOBWAIT_ONTAP_PASSWORD=any-value`,
          `  export JOBWAIT_CAS_ENDPOINT=${sim.url} JOBWAIT_CCE_ENDPOINT=${sim.url}`,
          `  export HUAWEICLOUD_SDK_PROJECT_ID=${SIMULATED_PROJECT} JOBWAIT_HUAWEI_TOKEN=any-value`,
          `  jobwait wait ontap ${jobs.ontap}`,
          `  jobwait wait cas ${jobs.cas}`,
          `  jobwait wait cce ${jobs.cce} --json`,
          `  jobwait list ontap --state running`,
          `  jobwait cancel ontap ${String(jobs.ontapLongRunning)}`,
          '',
        ].join('\n'),
      );
    }
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (!args.flags.json) io.stdout.write('simulator stopped\n');
    return EXIT.SUCCEEDED;
  } finally {
    await sim.close();
  }
}
