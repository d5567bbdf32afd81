// An ES module consumer: resolves `jobwait` through the package's exports map (self-reference).
// The test starts the simulator and passes its URL and a scripted job's uuid in the environment.
import { isTerminal, JobNotFoundError, JobwaitError } from 'jobwait';
import { createOntapClient } from 'jobwait/ontap';

const ontap = createOntapClient({ baseUrl: process.env.SIM_URL, auth: { username: 'admin', password: 'secret-pw' }, retry: false });
const result = { format: 'esm' };
try {
  await ontap.getJob('00000000-0000-4000-8000-000000000000');
} catch (error) {
  result.notFound = error instanceof JobNotFoundError && error instanceof JobwaitError;
  result.code = error.code;
}
const job = await ontap.waitForJob(process.env.JOB_UUID, { minDelayMs: 2, maxDelayMs: 5 });
result.state = job.state;
result.isTerminal = isTerminal(job.state);
await ontap.close();
process.stdout.write(JSON.stringify(result));
