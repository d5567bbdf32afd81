// A CommonJS consumer: resolves `jobwait` through the package's exports map (self-reference).
'use strict';
const jobwait = require('jobwait');
const { createOntapClient } = require('jobwait/ontap');
const { startSimulator } = require('jobwait/testing');

async function main() {
  const sim = await startSimulator();
  const ontap = createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password: 'secret-pw' }, retry: false });
  const result = { format: 'cjs' };
  try {
    await ontap.getJob('00000000-0000-4000-8000-000000000000');
  } catch (error) {
    result.notFound = error instanceof jobwait.JobNotFoundError && error instanceof jobwait.JobwaitError;
    result.code = error.code;
  }
  const uuid = sim.ontap.addJob();
  const job = await ontap.waitForJob(uuid, { minDelayMs: 2, maxDelayMs: 5 });
  result.state = job.state;
  result.isTerminal = jobwait.isTerminal(job.state);
  await ontap.close();
  await sim.close();
  process.stdout.write(JSON.stringify(result));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack));
  process.exit(1);
});
