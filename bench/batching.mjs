// Batching, on the simulator in real time:
// 1. requests and wall time to wait on 1,000 ONTAP jobs that end at random within 30 s, batched
//    (waitForJobs through getJobs: one collection query per chunk of ids per round) vs one by one
//    (a client without getJobs: one GET per job per poll), default schedule;
// 2. requests when 100 waits meet a 429 window: one client (one request budget, paused by the
//    first 429) vs 100 clients (each finds the limit alone).
// Run alone: npm run bench:batching   (env: JOBS, WINDOW_MS; BENCH_QUICK=1 for a smoke run)
import { waitForJobs } from 'jobwait';
import { createOntapClient } from 'jobwait/ontap';
import { startSimulator } from 'jobwait/testing';
import { mulberry32 } from './random.mjs';

const quick = process.env.BENCH_QUICK === '1';
const JOBS = Number(process.env.JOBS ?? (quick ? 50 : 1000));
const WINDOW_MS = Number(process.env.WINDOW_MS ?? (quick ? 2_000 : 30_000));
const FAIL_EVERY = 10; // every tenth job fails
const log = (text) => process.stderr.write(`batching: ${text}\n`);

async function fleet(batched) {
  const sim = await startSimulator();
  const random = mulberry32(7);
  const expected = new Map();
  const ids = Array.from({ length: JOBS }, (_, i) => {
    const outcome = i % FAIL_EVERY === FAIL_EVERY - 1 ? 'failure' : 'success';
    const id = sim.ontap.addJob({ steps: [{ state: 'running', ms: Math.floor(random() * WINDOW_MS) }, { state: outcome, ...(outcome === 'failure' ? { code: 1, message: 'disk full' } : {}) }] });
    expected.set(id, outcome === 'success' ? 'succeeded' : 'failed');
    return id;
  });
  const ontap = createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password: 'bench' }, maxConcurrentRequests: 64 });
  // Without getJobs, waitForJobs polls each job on its own (what a client of another vendor gets).
  const client = batched ? ontap : { vendor: ontap.vendor, waitPolicy: ontap.waitPolicy, getJob: (id, o) => ontap.getJob(id, o) };
  const started = performance.now();
  const outcomes = await waitForJobs(client, ids, { concurrency: 64, timeoutMs: WINDOW_MS * 4 + 60_000 });
  const seconds = (performance.now() - started) / 1000;
  let wrong = 0;
  outcomes.forEach((o, i) => {
    const state = o.status === 'fulfilled' ? o.job.state : o.error?.name === 'JobFailedError' ? o.error.job.state : o.error?.name;
    if (o.id !== ids[i] || state !== expected.get(ids[i])) wrong++;
  });
  const result = { mode: batched ? 'batched (getJobs)' : 'one by one (getJob)', requests: sim.requests.length, wrong, seconds };
  log(`${result.mode}: ${result.requests} requests, ${seconds.toFixed(1)} s, ${wrong} wrong outcomes`);
  await ontap.close();
  await sim.close();
  return result;
}

async function meet429(oneClient) {
  const sim = await startSimulator();
  const ids = Array.from({ length: 100 }, () => sim.ontap.addJob({ steps: [{ state: 'running', ms: 3_000 }, { state: 'success' }] }));
  const options = { baseUrl: sim.url, auth: { username: 'admin', password: 'bench' } };
  const shared = createOntapClient(options);
  const clients = oneClient ? [shared] : ids.map(() => createOntapClient(options));
  // The first second after the waits start, every request is answered 429 with Retry-After: 1.
  sim.fault({ type: 'rate-limit', retryAfter: 1, times: Infinity });
  setTimeout(() => sim.clearFaults(), 1_000);
  const started = performance.now();
  await Promise.all(ids.map((id, i) => (clients[i] ?? shared).waitForJob(id, { minDelayMs: 250, maxDelayMs: 1_000 })));
  const result = {
    mode: oneClient ? '1 client (one request budget; due waits share requests)' : '100 clients',
    requests: sim.requests.length,
    answered429: sim.requests.filter((r) => r.fault === 'rate-limit').length,
    seconds: (performance.now() - started) / 1000,
  };
  log(`${result.mode}: ${result.requests} requests, ${result.answered429} answered 429`);
  await Promise.all(clients.map((c) => c.close()));
  await sim.close();
  return result;
}

const fleets = [];
for (const batched of [true, false]) fleets.push(await fleet(batched));
const limits = [];
if (!quick) for (const oneClient of [true, false]) limits.push(await meet429(oneClient));

const out = ['## Batching', ''];
out.push(
  `Waiting on ${JOBS.toLocaleString('en-US')} ONTAP jobs that end at random within ${WINDOW_MS / 1000} s (seeded; every ${FAIL_EVERY}th fails) with \`waitForJobs\` and the default schedule, ` +
    'against the simulator in the same process. Batched, each job keeps its own schedule on the scheduler of the client, which reads the jobs due together with one `GET /api/cluster/jobs?uuid=a|b|…` per chunk of ids ' +
    '(URLs under 4,000 characters); one by one is what a client without `getJobs` does (64 in flight).',
);
out.push('');
out.push('| waiting | requests | wall s | wrong outcomes |');
out.push('|---|---|---|---|');
for (const r of fleets) out.push(`| ${r.mode} | ${r.requests.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} | ${r.wrong} |`);
const [batched, single] = fleets;
out.push('');
out.push(`Batched waiting takes ${(single.requests / batched.requests).toFixed(0)}x fewer requests for the same outcomes.`);
if (limits.length > 0) {
  out.push('');
  out.push('100 waits on jobs that end after 3 s, meeting 1 s of 429 (Retry-After: 1) at their start (schedule 250 ms to 1 s):');
  out.push('');
  out.push('| clients | requests | answered 429 | wall s |');
  out.push('|---|---|---|---|');
  for (const r of limits) out.push(`| ${r.mode} | ${r.requests} | ${r.answered429} | ${r.seconds.toFixed(1)} |`);
}
out.push('');
out.push('Command: `npm run bench:batching`');
console.log(out.join('\n'));
if (fleets.some((r) => r.wrong > 0)) process.exitCode = 1;
