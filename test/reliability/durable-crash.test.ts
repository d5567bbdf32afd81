import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createWaitQueue, type WaitQueue } from '../../src/bullmq.js';
import { JobFailedError, JobTimeoutError } from '../../src/index.js';
import { startSimulator, type Simulator } from '../../src/testing/index.js';
import { assertBuilt, cliPath, root } from '../cli/run-cli.js';
import { startLedger, type PollLedger } from '../helpers/poll-ledger.js';
import { redisAvailable, startRedis, type RedisServer } from '../helpers/redis-server.js';

const PASSWORD = 'crash-test-pa55word';
const SCHEDULE = { minDelayMs: 150, maxDelayMs: 400 };
const JITTER = 0.2;

/** `jobwait worker ontap=cluster1`, as an operator runs it; resolves once it says it polls. */
async function startWorker(redis: RedisServer, prefix: string, ontapUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cliPath, 'worker', 'ontap=cluster1', '--lock-duration', '2s', '--stalled-interval', '500ms', '--concurrency', '100'], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', JOBWAIT_REDIS_URL: redis.url, JOBWAIT_REDIS_PREFIX: prefix, JOBWAIT_ONTAP_URL: ontapUrl, JOBWAIT_ONTAP_USER: 'admin', JOBWAIT_ONTAP_PASSWORD: PASSWORD },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('polling cluster1')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the worker exited with ${code}: ${stderr}`)));
  });
  return child;
}

describe.runIf(redisAvailable())('durable waits survive a worker killed with SIGKILL mid-poll', () => {
  let redis: RedisServer;
  let sim: Simulator;
  let ledger: PollLedger;
  let queue: WaitQueue;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    assertBuilt();
    [redis, sim] = await Promise.all([startRedis(), startSimulator()]);
    ledger = await startLedger(sim.url);
    sim.ontap.credentials = { username: 'admin', password: PASSWORD };
    queue = createWaitQueue({ connection: { host: '127.0.0.1', port: redis.port }, prefix: 'crash' });
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await queue?.close();
    ledger?.server.close();
    await Promise.all([redis?.stop(), sim?.close()]);
  });

  test(
    '200 waits, 2 worker processes, kill -9 one while polls are in flight: every wait ends right, no job is ever polled twice at once, and timeouts keep their deadline',
    async () => {
      workers.push(await startWorker(redis, 'crash', ledger.url), await startWorker(redis, 'crash', ledger.url));
      type Expected = { uuid: string; outcome: 'succeeded' | 'failed' | 'timeout'; timeoutMs: number };
      const expected: Expected[] = [];
      for (let i = 0; i < 200; i++) {
        const kind = i % 10 === 0 ? 'timeout' : i % 7 === 0 ? 'failed' : 'succeeded';
        // Most jobs end after the kill (some 2-6 s in), so the survivor finishes what the dead worker held.
        const polls = 3 + (i % 17);
        const uuid = sim.ontap.addJob({
          steps: kind === 'timeout' ? [{ state: 'running', polls: 100_000 }] : [{ state: 'running', polls }, kind === 'failed' ? { state: 'failure', message: `failed ${i}` } : { state: 'success' }],
        });
        expected.push({ uuid, outcome: kind, timeoutMs: kind === 'timeout' ? 8_000 : 60_000 });
      }
      const enqueuedAt = Date.now();
      const handles = await Promise.all(expected.map((job) => queue.enqueue('cluster1', job.uuid, { ...SCHEDULE, timeoutMs: job.timeoutMs })));
      const settled = handles.map((handle) =>
        handle.result().then(
          (job) => ({ outcome: job.state as string, at: Date.now(), error: undefined as unknown }),
          (error: unknown) => ({ outcome: error instanceof JobTimeoutError ? 'timeout' : error instanceof JobFailedError ? 'failed' : 'other', at: Date.now(), error }),
        ),
      );
      // Kill one worker once polls are in flight, well after both took waits.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      while (ledger.inFlight() === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      const inFlightAtKill = ledger.inFlight();
      const killedAt = Date.now();
      workers[0]?.kill('SIGKILL');
      const results = await Promise.all(settled);

      expect(inFlightAtKill).toBeGreaterThan(0);
      const wrong = expected.flatMap((job, index) => (results[index]?.outcome === job.outcome ? [] : [`${job.uuid}: ${results[index]?.outcome} (${String(results[index]?.error)}), expected ${job.outcome}`]));
      expect(wrong).toEqual([]);
      const overlapping = [...ledger.maxInFlight].filter(([, most]) => most > 1);
      expect(overlapping).toEqual([]);
      // A timed-out wait, wherever it ended, ends at its deadline (±1 s), counted from the enqueue.
      for (const [index, job] of expected.entries()) {
        if (job.outcome !== 'timeout') continue;
        const result = results[index];
        expect(Math.abs((result?.at ?? 0) - (enqueuedAt + job.timeoutMs))).toBeLessThan(1_000);
        expect((result?.error as JobTimeoutError).lastJob?.state).toBe('running');
      }
      // The schedule holds for every wait, across the takeover too. A wait's n-th delay is at least
      // its jittered lower bound, min(max, min × 1.3^(n-1)) × 0.8 (the state's step goes on where
      // the dead worker stored it: a wait started afresh would poll sooner); the last poll before a
      // deadline goes when it still fits. The dead worker's poll in flight may not have been stored:
      // after the kill, a wait may be one delay behind its arrivals. No wait stops polling: no gap
      // but the one the kill left is longer than the jittered maximum and some seconds of slack
      // (two worker processes and the proxy share two cores).
      const lowerBound = (delays: number): number => Math.max(SCHEDULE.minDelayMs, Math.min(SCHEDULE.maxDelayMs, SCHEDULE.minDelayMs * 1.3 ** (delays - 1)) * (1 - JITTER));
      const tooSoon: string[] = [];
      const tooLate: string[] = [];
      for (const job of expected) {
        const times = ledger.arrivals.get(job.uuid) ?? [];
        for (let i = 1; i < times.length; i++) {
          const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
          const finalPoll = job.outcome === 'timeout' && i === times.length - 1;
          const afterKill = (times[i - 1] ?? 0) >= killedAt;
          const bound = lowerBound(afterKill ? Math.max(1, i - 1) : i) - 2;
          if (!finalPoll && gap < bound) tooSoon.push(`${job.uuid} delay ${i}: ${gap} ms < ${Math.round(bound)} ms`);
          const spansKill = (times[i - 1] ?? 0) <= killedAt && (times[i] ?? 0) >= killedAt;
          if (!spansKill && gap > SCHEDULE.maxDelayMs * (1 + JITTER) + 3_000) tooLate.push(`${job.uuid} delay ${i}: ${gap} ms`);
        }
      }
      expect(tooSoon).toEqual([]);
      expect(tooLate).toEqual([]);
      // Nothing is left active: the survivor stops cleanly on SIGTERM and exits 0.
      const survivor = workers[1] as ChildProcess;
      const exited = once(survivor, 'exit');
      survivor.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
      const { Queue } = await import('bullmq');
      const check = new Queue('wait.cluster1', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'crash' });
      try {
        const counts = await check.getJobCounts('active', 'delayed', 'wait', 'completed', 'failed');
        expect(counts).toMatchObject({ active: 0, delayed: 0, wait: 0, failed: 0, completed: 200 });
      } finally {
        await check.close();
      }
    },
    60_000,
  );
});
