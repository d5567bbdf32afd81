import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createOntapClient } from '../../../adapters/ontap/index.js';
import { createCceClient } from '../../../adapters/cce/index.js';
import { createWaitQueue, createWaitWorker, WaitNotFoundError, type WaitQueue, type WaitWorker } from '../../../src/bullmq.js';
import { JobFailedError, JobTimeoutError, JobNotFoundError, InvalidArgumentError } from '../../../src/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { redisAvailable, startRedis, type RedisServer } from '../../helpers/redis-server.js';

const PASSWORD = 'ontap-durable-pa55word';
const FAST = { minDelayMs: 50, maxDelayMs: 100 };

describe.runIf(redisAvailable())('jobwait/bullmq: durable waits on a real Redis', () => {
  let redis: RedisServer;
  let sim: Simulator;
  const open: { close(): Promise<void> }[] = [];
  let prefix = 0;
  /** A queue and a worker of their own (a fresh key prefix) for each test. */
  const setup = (workerOptions: Partial<Parameters<typeof createWaitWorker>[0]> = {}): { queue: WaitQueue; worker: WaitWorker; ontap: ReturnType<typeof createOntapClient> } => {
    const connection = { host: '127.0.0.1', port: redis.port };
    const keyPrefix = `t${++prefix}`;
    const ontap = createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password: PASSWORD } });
    const worker = createWaitWorker({ connection, prefix: keyPrefix, clients: { cluster1: ontap }, lockDurationMs: 2_000, stalledIntervalMs: 500, ...workerOptions });
    const queue = createWaitQueue({ connection, prefix: keyPrefix });
    open.push(worker, queue);
    return { queue, worker, ontap };
  };

  beforeAll(async () => {
    [redis, sim] = await Promise.all([startRedis(), startSimulator()]);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((part) => part.close()));
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), sim?.close()]);
  });

  test('a wait enqueued by a producer ends with the terminal Job, dates revived, polled by the worker', async () => {
    const { queue } = setup();
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 2 }, { state: 'success', message: 'done' }] });
    const handle = await queue.enqueue('cluster1', uuid, FAST);
    expect(handle.id).toBe(`cluster1/${uuid}`);
    const job = await handle.result();
    expect(job).toMatchObject({ vendor: 'ontap', id: uuid, state: 'succeeded', message: 'done' });
    expect(job.endedAt).toBeInstanceOf(Date);
    expect(sim.requests.filter((request) => request.url.includes(uuid)).length).toBe(3);
  });

  test('enqueue is idempotent: two producers at once give one handle id and one wait', async () => {
    const { queue } = setup();
    const connection = { host: '127.0.0.1', port: redis.port };
    const other = createWaitQueue({ connection, prefix: `t${prefix}` });
    open.push(other);
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 3 }, { state: 'success' }] });
    const [a, b] = await Promise.all([queue.enqueue('cluster1', uuid, FAST), other.enqueue('cluster1', uuid, FAST)]);
    expect(a.id).toBe(b.id);
    await Promise.all([a.result(), b.result()]);
    // One wait: four polls (three running, one success), not eight.
    expect(sim.requests.filter((request) => request.url.includes(uuid)).length).toBe(4);
  });

  test('result() rejects with the same typed error as waitForJob, from any process, also after the wait ended', async () => {
    const { queue } = setup();
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', message: 'disk full', code: 42 }] });
    const handle = await queue.enqueue('cluster1', uuid, FAST);
    const first = await handle.result().catch((error: unknown) => error);
    expect(first).toBeInstanceOf(JobFailedError);
    const later = createWaitQueue({ connection: { host: '127.0.0.1', port: redis.port }, prefix: `t${prefix}` });
    open.push(later);
    const again = (await later.handle(handle.id).result().catch((error: unknown) => error)) as JobFailedError;
    expect(again).toBeInstanceOf(JobFailedError);
    expect(again.code).toBe('JOB_FAILED');
    expect(again.job.state).toBe('failed');
    expect(again.job.endedAt).toBeInstanceOf(Date);
    expect(again.message).toBe((first as Error).message);
  });

  test('a timeout keeps jobId, lastJob and outcomes; a missing job is JobNotFoundError; an unknown id is WaitNotFoundError', async () => {
    const { queue } = setup();
    const running = sim.ontap.addJob({ steps: [{ state: 'running', polls: 1_000 }] });
    const timeout = (await (await queue.enqueue('cluster1', running, { ...FAST, timeoutMs: 400 })).result().catch((error: unknown) => error)) as JobTimeoutError;
    expect(timeout).toBeInstanceOf(JobTimeoutError);
    expect(timeout).toMatchObject({ code: 'JOB_TIMEOUT', jobId: running });
    expect(timeout.lastJob?.state).toBe('running');
    expect(timeout.outcomes['ok']).toBeGreaterThan(0);
    const missing = await (await queue.enqueue('cluster1', '7b0e1d0e-0000-4000-8000-000000000000', FAST)).result().catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(JobNotFoundError);
    await expect(queue.handle('cluster1/nothing-here').result()).rejects.toBeInstanceOf(WaitNotFoundError);
  });

  test('watch() yields the first snapshot and each change, and ends after the terminal one', async () => {
    const { queue } = setup();
    const uuid = sim.ontap.addJob({ steps: [{ state: 'queued', polls: 2 }, { state: 'running', polls: 2 }, { state: 'success' }] });
    const handle = await queue.enqueue('cluster1', uuid, FAST);
    const states: string[] = [];
    for await (const job of handle.watch()) states.push(job.state);
    expect(states).toEqual(['queued', 'running', 'succeeded']);
  });

  test('throwOnFailure: false resolves result() with the failed job, as waitForJob does', async () => {
    const { queue } = setup();
    const uuid = sim.ontap.addJob({ steps: [{ state: 'failure', message: 'no space' }] });
    const job = await (await queue.enqueue('cluster1', uuid, { ...FAST, throwOnFailure: false })).result();
    expect(job).toMatchObject({ state: 'failed', message: 'no space' });
  });

  test('result() and watch() end even when their events never come (a trimmed stream): they read the wait again', async () => {
    const { queue } = setup();
    const { WaitEvents } = await import('../../../src/bullmq/events.js');
    const { QUEUE_TIMING } = await import('../../../src/bullmq/queue.js');
    const deaf = vi.spyOn(WaitEvents.prototype, 'subscribe').mockImplementation(() => () => undefined);
    const saved = QUEUE_TIMING.recheckMs;
    QUEUE_TIMING.recheckMs = 100;
    try {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 2 }, { state: 'success' }] });
      const handle = await queue.enqueue('cluster1', uuid, FAST);
      const states: string[] = [];
      for await (const job of handle.watch()) states.push(job.state);
      expect(states.at(-1)).toBe('succeeded');
      expect((await handle.result()).state).toBe('succeeded');
      expect(deaf).toHaveBeenCalled();
    } finally {
      QUEUE_TIMING.recheckMs = saved;
    }
  });

  test('a bad option fails the enqueue with InvalidArgumentError, before anything is written', async () => {
    const { queue } = setup();
    await expect(queue.enqueue('cluster1', 'x', { minDelayMs: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(queue.enqueue('', 'x')).rejects.toBeInstanceOf(InvalidArgumentError);
    // Nothing was written: there is no wait under that id.
    await expect(queue.handle('cluster1/x').result()).rejects.toBeInstanceOf(WaitNotFoundError);
  });

  test('nothing secret is written to Redis: no password, no token, in any key or value', async () => {
    const TOKEN = 'cce-durable-token-never-stored';
    const { queue } = setup({
      clients: {
        cluster1: createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password: PASSWORD } }),
        cce1: createCceClient({ endpoint: sim.url, projectId: 'p1', auth: { token: TOKEN } }),
      },
    });
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running' }, { state: 'failure', message: 'no' }] });
    const cceJob = sim.cce.addJob();
    await Promise.allSettled([(await queue.enqueue('cluster1', uuid, FAST)).result(), (await queue.enqueue('cce1', cceJob, FAST)).result()]);
    const { Redis } = await import('ioredis');
    const client = new Redis({ host: '127.0.0.1', port: redis.port });
    try {
      const keys = await client.keys(`t${prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      let dump = keys.join('\n');
      for (const key of keys) {
        const type = await client.type(key);
        if (type === 'hash') dump += JSON.stringify(await client.hgetall(key));
        else if (type === 'string') dump += await client.get(key);
        else if (type === 'zset') dump += (await client.zrange(key, 0, -1)).join(',');
        else if (type === 'list') dump += (await client.lrange(key, 0, -1)).join(',');
        else if (type === 'stream') dump += JSON.stringify(await client.xrange(key, '-', '+'));
      }
      for (const secret of [PASSWORD, TOKEN, Buffer.from(`admin:${PASSWORD}`).toString('base64')]) expect(dump).not.toContain(secret);
      expect(dump).toContain(uuid);
    } finally {
      client.disconnect();
    }
  });
});
