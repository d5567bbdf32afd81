// @ts-check
/**
 * Typed error handling: wait on (or, with `--once`, read once) an ONTAP job and print the error's
 * `code` and what it means (explain.mjs). Ctrl-C stops the wait, not the job.
 *
 *   node examples/typed-errors.mjs [--once] [--timeout MS] [JOB_UUID]
 *
 * Target: JOBWAIT_ONTAP_URL, JOBWAIT_ONTAP_USER, JOBWAIT_ONTAP_PASSWORD; none set: the simulator,
 * with a job that fails.
 */
import { parseArgs } from 'node:util';
import { JobwaitError } from 'jobwait';
import { createOntapClient } from 'jobwait/ontap';
import { explain } from './explain.mjs';
import { target } from './target.mjs';

const { values, positionals } = parseArgs({ options: { once: { type: 'boolean' }, timeout: { type: 'string', default: '60000' } }, allowPositionals: true });
const { url, ids, close } = await target(
  'JOBWAIT_ONTAP_URL',
  (sim) => sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', error: { code: '917927', message: 'Volume is offline' } }] }),
  positionals,
);
const env = process.env;
// `retry: false`: a one-shot read reports the first failure (a wait polls again anyway).
const ontap = createOntapClient({ baseUrl: url, auth: { username: env.JOBWAIT_ONTAP_USER ?? 'admin', password: env.JOBWAIT_ONTAP_PASSWORD ?? 'netapp1!' }, retry: false });
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
try {
  const uuid = ids[0] ?? '';
  const job = values.once
    ? await ontap.getJob(uuid, { signal: stop.signal })
    : await ontap.waitForJob(uuid, { minDelayMs: 10, timeoutMs: Number(values.timeout), signal: stop.signal });
  console.log(`${job.id} ${job.state}`);
} catch (error) {
  if (!(error instanceof JobwaitError)) throw error; // a bug, not a job's trouble
  // `code` is the same switch as `instanceof`, in a form that survives JSON and logs.
  console.log(`${error.code}: ${explain(error)}`);
  process.exitCode = 1;
} finally {
  await ontap.close();
  await close();
}
