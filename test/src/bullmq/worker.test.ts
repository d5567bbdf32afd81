import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { Queue } from 'bullmq';
import { createOntapClient } from '../../../adapters/ontap/index.js';
import { createCceClient } from '../../../adapters/cce/index.js';
import { createWaitQueue, createWaitWorker, QueueUnavailableError, type WaitWorkerOptions } from '../../../src/bullmq.js';
import { dedupedReporter } from '../../../src/bullmq/worker.js';
import { InvalidArgumentError, type JobSource } from '../../../src/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { redisAvailable, startRedis, type RedisServer } from '../../helpers/redis-server.js';
import { startTcpCut } from '../../helpers/tcp-cut.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** `work`, or a failure naming `what` after `ms` (so a hang says where it is instead of timing the test out). */
const within = async <T>(ms: number, what: string, work: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
};

describe.runIf(redisAvailable())('createWaitWorker', () => {
  let redis: RedisServer;
  let sim: Simulator;
  const open: { close(): Promise<void> }[] = [];
  let prefixes = 0;
  let prefix = '';
  const connection = (port = redis.port): { host: string; port: number; maxRetriesPerRequest: null } => ({ host: '127.0.0.1', port, maxRetriesPerRequest: null });
  const ontap = (): ReturnType<typeof createOntapClient> => {
    const client = createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password: 'x' } });
    open.push(client);
    return client;
  };
  /** The same ONTAP client without `getJobs`: its waits are polled one by one. */
  const oneByOne = (client: ReturnType<typeof createOntapClient>): JobSource => ({ vendor: client.vendor, waitPolicy: client.waitPolicy, getJob: (id, options) => client.getJob(id, options) });
  const worker = (options: Partial<WaitWorkerOptions> & Pick<WaitWorkerOptions, 'clients'>, port?: number): ReturnType<typeof createWaitWorker> => {
    const created = createWaitWorker({ connection: connection(port), prefix, lockDurationMs: 2_000, stalledIntervalMs: 500, onError: () => undefined, ...options });
    open.unshift(created);
    return created;
  };
  const queue = (port?: number, commandTimeoutMs?: number): ReturnType<typeof createWaitQueue> => {
    const created = createWaitQueue({ connection: { host: '127.0.0.1', port: port ?? redis.port }, prefix, ...(commandTimeoutMs !== undefined && { commandTimeoutMs }) });
    open.push(created);
    return created;
  };
  const counts = async (clientName: string): Promise<Record<string, number>> => {
    const bull = new Queue(`wait.${clientName}`, { connection: connection(), prefix });
    try {
      return await bull.getJobCounts('active', 'delayed', 'wait', 'completed', 'failed');
    } finally {
      await bull.close();
    }
  };
  /** How often BullMQ's event stream says each wait completed. */
  const completionsById = async (clientName: string): Promise<Map<string, number>> => {
    const { Redis } = await import('ioredis');
    const client = new Redis({ host: '127.0.0.1', port: redis.port });
    try {
      const entries = await client.xrange(`${prefix}:wait.${clientName}:events`, '-', '+');
      const completed = new Map<string, number>();
      for (const [, fields] of entries) {
        const record = new Map<string, string>();
        for (let i = 0; i + 1 < fields.length; i += 2) record.set(fields[i] as string, fields[i + 1] as string);
        if (record.get('event') === 'completed') completed.set(record.get('jobId') ?? '', (completed.get(record.get('jobId') ?? '') ?? 0) + 1);
      }
      return completed;
    } finally {
      client.disconnect();
    }
  };
  const requestsFor = (ids: readonly string[]): number => sim.requests.filter((request) => ids.some((id) => request.url.includes(id))).length;

  beforeAll(async () => {
    [redis, sim] = await Promise.all([startRedis(), startSimulator()]);
    prefix = `w${++prefixes}`;
  });
  afterEach(async () => {
    for (const part of open.splice(0)) await part.close();
    sim.reset();
    prefix = `w${++prefixes}`;
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), sim?.close()]);
  });

  test('a worker that holds several due ONTAP waits polls them with one collection query: 1,000 waits cost a tenth of the requests of one-by-one polling, or less', async () => {
    const run = async (client: JobSource): Promise<number> => {
      const ids = Array.from({ length: 1_000 }, (_, i) => sim.ontap.addJob({ steps: [{ state: 'running', polls: 2 + (i % 5) }, { state: 'success' }] }));
      const before = sim.requests.length;
      worker({ clients: { cluster1: client }, concurrency: 500 });
      const producer = queue();
      const handles = await Promise.all(ids.map((id) => producer.enqueue('cluster1', id, { minDelayMs: 200, maxDelayMs: 500 })));
      const jobs = await Promise.all(handles.map((handle) => handle.result()));
      expect(jobs.every((job) => job.state === 'succeeded')).toBe(true);
      return sim.requests.length - before;
    };
    const batched = await run(ontap());
    for (const part of open.splice(0)) await part.close();
    prefix = `w${++prefixes}`;
    const single = await run(oneByOne(ontap()));
    // One by one: a poll per job per round (about 5,000); together, a query per 101 due jobs.
    expect(single).toBeGreaterThanOrEqual(4_000);
    expect(batched * 10).toBeLessThanOrEqual(single);
  }, 60_000);

  const pauseCases = [
    {
      name: 'ONTAP, whose due waits share a collection query',
      path: '/api/cluster/jobs',
      client: (): JobSource => ontap(),
      addJob: (): string => sim.ontap.addJob({ steps: [{ state: 'running', polls: 100_000 }] }),
    },
    {
      name: 'CCE, whose waits are polled one by one',
      path: '/jobs/',
      client: (): JobSource => {
        const client = createCceClient({ endpoint: sim.url, projectId: 'p-123', auth: { token: 'tok-123456' } });
        open.push(client);
        return client;
      },
      addJob: (): string => sim.cce.addJob({ steps: [{ phase: 'Running', polls: 100_000 }] }),
    },
  ];
  test.each(pauseCases)("a vendor's 429 with Retry-After pauses that client's waits for every worker, not only the one that met it ($name)", async ({ path, client, addJob }) => {
    const ids = Array.from({ length: 20 }, addJob);
    // Two workers, each with a client of its own: only BullMQ's rate limit can tell the second.
    worker({ clients: { cloud1: client() }, concurrency: 10 });
    worker({ clients: { cloud1: client() }, concurrency: 10 });
    const producer = queue();
    await Promise.all(ids.map((id) => producer.enqueue('cloud1', id, { minDelayMs: 100, maxDelayMs: 100, timeoutMs: 60_000 })));
    await sleep(600);
    sim.fault({ type: 'rate-limit', retryAfter: 2, path });
    while (!sim.requests.some((request) => request.fault === 'rate-limit')) await sleep(5);
    const limitedAt = sim.requests.find((request) => request.fault === 'rate-limit')?.at ?? 0;
    await sleep(2_600);
    // Polls already out when the 429 came may land; none is sent later until the pause is over.
    const during = sim.requests.filter((request) => request.at > limitedAt + 300 && request.at < limitedAt + 1_900);
    expect(during.map((request) => request.url)).toEqual([]);
    expect(sim.requests.filter((request) => request.at >= limitedAt + 2_000).length).toBeGreaterThan(0);
  }, 20_000);

  test('close() gives held waits back unpolled and lets polls in flight end: nothing is left active, and a new worker goes on from the stored state', async () => {
    const ids = Array.from({ length: 30 }, () => sim.ontap.addJob({ steps: [{ state: 'running', ms: 4_500 }, { state: 'success' }] }));
    const first = worker({ clients: { cluster1: ontap() }, concurrency: 50 });
    const producer = queue();
    const handles = await Promise.all(ids.map((id) => producer.enqueue('cluster1', id, { minDelayMs: 2_000, maxDelayMs: 2_000, timeoutMs: 60_000 })));
    // After their first poll the waits sit in Redis or in the worker's batch window (ONTAP).
    while (requestsFor(ids) === 0) await sleep(10);
    await sleep(2_000);
    const started = Date.now();
    await first.close();
    expect(Date.now() - started).toBeLessThan(1_500);
    const afterClose = sim.requests.length;
    expect(await counts('cluster1')).toMatchObject({ active: 0, failed: 0, completed: 0, delayed: 30 });
    await sleep(300);
    expect(sim.requests.length).toBe(afterClose);
    // Another worker takes them on, from their stored state, to their end.
    worker({ clients: { cluster1: ontap() } });
    const jobs = await Promise.all(handles.map((handle) => handle.result()));
    expect(jobs.map((job) => job.state)).toEqual(ids.map(() => 'succeeded'));
  }, 20_000);

  test('Redis down: the producer rejects with QueueUnavailableError, the worker reports it and reconnects, and no wait is lost or ends twice', async () => {
    const cut = await startTcpCut(redis.port);
    try {
      const reported: Error[] = [];
      const ids = Array.from({ length: 20 }, (_, i) => sim.ontap.addJob({ steps: [{ state: 'running', ms: 2_500 + i * 50 }, { state: 'success' }] }));
      // A handler that throws changes nothing of the waits.
      worker({
        clients: { cluster1: oneByOne(ontap()) },
        onError: (error) => {
          reported.push(error);
          throw new Error('a careless onError');
        },
      }, cut.port);
      const producer = queue(cut.port);
      // A producer that gives up on Redis after 500 ms, for the call made while it is down.
      const impatient = queue(cut.port, 500);
      const handles = await Promise.all(ids.map((id) => producer.enqueue('cluster1', id, { minDelayMs: 100, maxDelayMs: 300, timeoutMs: 30_000 })));
      await sleep(500);
      await cut.cut();
      const refused = await impatient.enqueue('cluster1', sim.ontap.addJob()).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(QueueUnavailableError);
      expect((refused as QueueUnavailableError).code).toBe('QUEUE_UNAVAILABLE');
      await sleep(1_500);
      await cut.restore();
      const results = await within(15_000, 'the results after Redis came back', Promise.all(handles.map((handle) => handle.result())));
      expect(results.map((job) => job.state)).toEqual(ids.map(() => 'succeeded'));
      expect(reported.some((error) => error instanceof QueueUnavailableError)).toBe(true);
      // (The refused enqueue may still have gone through once Redis was back: it is safe, and not counted here.)
      expect(await counts('cluster1')).toMatchObject({ active: 0, failed: 0 });
      const completions = await completionsById('cluster1');
      expect(ids.map((id) => completions.get(`job.${id}`))).toEqual(ids.map(() => 1));
      // Asked again once Redis is back, the enqueue that failed succeeds.
      const again = await producer.enqueue('cluster1', ids[0] as string);
      expect(again.id).toBe(handles[0]?.id);
    } finally {
      // The parts first, while their Redis is reachable; then the relay.
      for (const [index, part] of open.splice(0).entries()) await within(5_000, `close() of part ${index}`, part.close());
      await cut.close();
    }
  }, 30_000);

  test('a wait whose lock is lost mid-poll (its worker cut off from Redis) is let go at once: its poll is stopped and not stored, so no job is polled by two at once', async () => {
    const { startLedger } = await import('../../helpers/poll-ledger.js');
    const ledger = await startLedger(sim.url, 0);
    try {
      const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 2 }, { state: 'success' }] });
      sim.fault({ type: 'delay', ms: 4_000, path: uuid });
      const viaLedger = createOntapClient({ baseUrl: ledger.url, auth: { username: 'admin', password: 'x' } });
      open.push(viaLedger);
      worker({ clients: { cluster1: oneByOne(viaLedger) }, lockDurationMs: 1_000, stalledIntervalMs: 300 });
      const producer = queue();
      const handle = await producer.enqueue('cluster1', uuid, { minDelayMs: 100, maxDelayMs: 100 });
      while (ledger.inFlight() === 0) await sleep(10);
      // As if the lock had lapsed while the worker could not reach Redis: it is gone.
      const { Redis } = await import('ioredis');
      const admin = new Redis({ host: '127.0.0.1', port: redis.port });
      await admin.del(`${prefix}:wait.cluster1:job.${uuid}:lock`);
      admin.disconnect();
      expect((await handle.result()).state).toBe('succeeded');
      expect(ledger.maxInFlight.get(uuid)).toBe(1);
      expect(ledger.arrivals.get(uuid)?.length).toBeGreaterThanOrEqual(3);
    } finally {
      ledger.server.close();
    }
  }, 20_000);

  test('close() of the queue rejects a pending result() and watch() at once', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 100_000 }] });
    worker({ clients: { cluster1: ontap() } });
    const producer = createWaitQueue({ connection: { host: '127.0.0.1', port: redis.port }, prefix });
    const handle = await producer.enqueue('cluster1', uuid, { minDelayMs: 100, maxDelayMs: 100 });
    const result = handle.result().then(() => 'resolved', (error: unknown) => error);
    const watching = (async () => {
      for await (const job of handle.watch()) void job;
    })().then(() => 'ended', (error: unknown) => error);
    await sleep(300);
    const started = Date.now();
    await producer.close();
    expect(await result).toBeInstanceOf(InvalidArgumentError);
    expect(await watching).toBeInstanceOf(InvalidArgumentError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test('a poll slower than the lock keeps it (renewed while it runs): a second worker never polls the same wait at once', async () => {
    const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 2 }, { state: 'success' }] });
    sim.fault({ type: 'delay', ms: 6_000, path: uuid });
    worker({ clients: { cluster1: oneByOne(ontap()) }, lockDurationMs: 3_000, stalledIntervalMs: 500 });
    worker({ clients: { cluster1: oneByOne(ontap()) }, lockDurationMs: 3_000, stalledIntervalMs: 500 });
    const producer = queue();
    const handle = await producer.enqueue('cluster1', uuid, { minDelayMs: 100, maxDelayMs: 100 });
    expect((await handle.result()).state).toBe('succeeded');
    const polls = sim.requests.filter((request) => request.url.includes(uuid)).map((request) => request.at);
    // The first (slow) poll took 6 s, twice the lock; the next came after it, not during it.
    expect(polls.length).toBe(3);
    expect((polls[1] ?? 0) - (polls[0] ?? 0)).toBeGreaterThanOrEqual(6_000);
  }, 20_000);
});

describe("a worker's default error reporter", () => {
  test('writes the same trouble once, whatever wait or job it names, and other trouble as it comes', () => {
    const lines: string[] = [];
    const report = dedupedReporter((line) => lines.push(line));
    for (const id of ['1cd8a442-86d1-11e0-ae1c-123478563412', '4ea7a442-86d1-11e0-ae1c-123478563412']) {
      report(new QueueUnavailableError({ operation: `store cluster1/${id}`, cause: new Error('connect ECONNREFUSED 127.0.0.1:6379') }));
      report(new Error(`could not renew lock for job job.${id}`));
    }
    report(new Error('something else'));
    expect(lines).toEqual([
      'Redis is unavailable (connect ECONNREFUSED 127.0.0.1:6379): store cluster1/1cd8a442-86d1-11e0-ae1c-123478563412 did not complete',
      'could not renew lock for job job.1cd8a442-86d1-11e0-ae1c-123478563412',
      'something else',
    ]);
  });
});
