// Fleet figures, on the simulator in real time (about two and a half minutes):
// 1. requests to wait on 1,000 ONTAP jobs that finish at random within 60 s, batched (getJobs)
//    vs one by one (a client without getJobs: one GET per job per poll), default schedule;
// 2. requests when 100 waits meet a 429 window: one client (one budget, paused by the first
//    429) vs 100 clients (each finds the limit alone).
// Run: npm run build && node bench/fleet.mjs
import { waitForJobs } from 'jobwait';
import { createOntapClient } from 'jobwait/ontap';
import { startSimulator } from 'jobwait/testing';

const JOBS = Number(process.env.JOBS ?? 1000);
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 60_000);
const seeded = (seed) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

async function fleet(batched) {
  const sim = await startSimulator();
  const random = seeded(7);
  const ids = Array.from({ length: JOBS }, () => sim.ontap.addJob({ steps: [{ state: 'running', ms: Math.floor(random() * WINDOW_MS) }, { state: 'success' }] }));
  const ontap = createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password: 'bench' }, maxConcurrentRequests: 64 });
  const client = batched ? ontap : { vendor: ontap.vendor, waitPolicy: ontap.waitPolicy, getJob: (id, o) => ontap.getJob(id, o) };
  const started = Date.now();
  const outcomes = await waitForJobs(client, ids, { concurrency: 64, timeoutMs: WINDOW_MS * 3 });
  const result = { mode: batched ? 'batched (getJobs)' : 'one by one', requests: sim.requests.length, ok: outcomes.filter((o) => o.status === 'fulfilled').length, seconds: (Date.now() - started) / 1000 };
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
  const started = Date.now();
  await Promise.all(ids.map((id, i) => (clients[i] ?? shared).waitForJob(id, { minDelayMs: 250, maxDelayMs: 1_000 })));
  const result = {
    mode: oneClient ? '1 client (shared budget)' : '100 clients',
    requests: sim.requests.length,
    answered429: sim.requests.filter((r) => r.fault === 'rate-limit').length,
    seconds: (Date.now() - started) / 1000,
  };
  await Promise.all(clients.map((c) => c.close()));
  await sim.close();
  return result;
}

console.log(`node ${process.version}; ${JOBS} ONTAP jobs finishing at random within ${WINDOW_MS / 1000} s (seeded), default schedule`);
console.log('| waiting | requests | jobs ended | wall s |\n|---|---|---|---|');
for (const batched of [true, false]) {
  const r = await fleet(batched);
  console.log(`| ${r.mode} | ${r.requests} | ${r.ok} | ${r.seconds.toFixed(1)} |`);
}
console.log('\n100 waits (jobs end after 3 s) meeting 1 s of 429 (Retry-After: 1) at their start');
console.log('| clients | requests | answered 429 | wall s |\n|---|---|---|---|');
for (const oneClient of [true, false]) {
  const r = await meet429(oneClient);
  console.log(`| ${r.mode} | ${r.requests} | ${r.answered429} | ${r.seconds.toFixed(1)} |`);
}
