// An ES module consumer: resolves `jobwait` through the package's exports map (self-reference).
import { isTerminal, JobNotFoundError, JobwaitError } from 'jobwait';
import { createOntapClient } from 'jobwait/ontap';
import { startSimulator } from 'jobwait/testing';

const sim = await startSimulator();
const ontap = createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password: 'secret-pw' }, retry: false });
const result = { format: 'esm' };
try {
  await ontap.getJob('00000000-0000-4000-8000-000000000000');
} catch (error) {
  result.notFound = error instanceof JobNotFoundError && error instanceof JobwaitError;
  result.code = error.code;
}
const uuid = sim.ontap.addJob();
const job = await ontap.waitForJob(uuid, { minDelayMs: 2, maxDelayMs: 5 });
result.state = job.state;
result.isTerminal = isTerminal(job.state);
await ontap.close();
await sim.close();
process.stdout.write(JSON.stringify(result));
