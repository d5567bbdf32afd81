// How long a crashed worker's durable waits wait for another worker, on the default lock and
// stall settings (README: "within lockDurationMs + 2 × stalledIntervalMs", 20 s).
//   node bench/takeover.mjs        (after npm run build; needs redis-server)
// Worker A (`jobwait worker`, defaults) takes 20 waits that poll every second; their polls are then
// made slow (5 s), so at the SIGKILL every wait is active, its lock held by A, mid-poll. Worker B
// (defaults) starts once A is dead. Prints, per wait, the time from the kill to B's first poll.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createWaitQueue } from '../dist/bullmq.js';
import { startSimulator } from '../dist/testing.js';

const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
await new Promise((resolve) => setTimeout(resolve, 300));
const sim = await startSimulator();
const worker = () => {
  const child = spawn(process.execPath, [new URL('../dist/cli.js', import.meta.url).pathname, 'worker', 'ontap=c1'], {
    env: { PATH: process.env.PATH, JOBWAIT_REDIS_URL: `redis://127.0.0.1:${port}`, JOBWAIT_ONTAP_URL: sim.url, JOBWAIT_ONTAP_USER: 'a', JOBWAIT_ONTAP_PASSWORD: 'b' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve) => child.stderr.on('data', (chunk) => String(chunk).includes('polling') && resolve(child)));
};
const queue = createWaitQueue({ connection: { host: '127.0.0.1', port } });
const ids = Array.from({ length: 20 }, () => sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000_000 }] }));
const a = await worker();
await Promise.all(ids.map((id) => queue.enqueue('c1', id, { minDelayMs: 1_000, maxDelayMs: 1_000, timeoutMs: 600_000 })));
await new Promise((resolve) => setTimeout(resolve, 2_000));
// Every poll now takes 5 s: at the kill, each wait is active (taken, its lock held), mid-poll.
sim.fault({ type: 'delay', ms: 5_000, path: '/api/cluster/jobs', times: Infinity });
await new Promise((resolve) => setTimeout(resolve, 1_500));
a.kill('SIGKILL');
const killedAt = Date.now();
await once(a, 'exit');
sim.clearFaults();
const b = await worker();
const polledAfter = (id) => sim.requests.find((r) => r.url.includes(id) && r.at > killedAt)?.at;
while (ids.some((id) => polledAfter(id) === undefined) && Date.now() - killedAt < 120_000) await new Promise((resolve) => setTimeout(resolve, 100));
const gaps = ids.map((id) => (polledAfter(id) ?? Infinity) - killedAt).sort((x, y) => x - y);
console.log(`takeover after SIGKILL, default lock 10 s and stall checks 5 s, ${ids.length} waits: min ${(gaps[0] / 1000).toFixed(1)} s, median ${(gaps[ids.length >> 1] / 1000).toFixed(1)} s, max ${(gaps.at(-1) / 1000).toFixed(1)} s`);
b.kill('SIGTERM');
await once(b, 'exit');
await queue.close();
await sim.close();
redis.kill();
