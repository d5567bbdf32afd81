// Durable waits (jobwait/bullmq) on BullMQ 6 and a real Redis, against the simulator; issue 15's targets.
// Four processes, each with its CPU its own: this one (the producer: enqueues, reads Redis's INFO),
// a redis-server of its own (free port, --save '' --appendonly no, stopped by PID), the simulator
// (bench/sim-server.mjs) and one worker (this file with --worker, forked), whose CPU is measured
// with process.cpuUsage and, for every process, /proc/PID/stat.
// 1. steady: N waits polling every 1 s (minDelayMs = maxDelayMs = 1000: no jitter) on jobs that stay
//    running, through an ONTAP client seen without getJobs (one GET per poll), one worker:
//    polls/s over a window after a warm-up, start lag (the time the worker calls getJob less the
//    wait's planned nextPollAt, as the worker read it from the state stored in Redis: the BullMQ
//    job's data when it becomes active), Redis used_memory per waiting wait, the CPU of the worker,
//    Redis and the simulator, Redis's commands per poll (INFO commandstats). N = 1,000, then 10,000,
//    with a CPU profile of the worker (node:inspector, over a second window) summarized by package
//    and top functions; then 1,000 again on a Redis tuned for it (hz 100: BullMQ's blocking wait for
//    the next delayed wait times out on Redis's timer clock, 10 ticks a second by default; and
//    hash-max-listpack-value 1024, so a wait's hash is a listpack).
// 2. coalescing: 1,000 durable ONTAP waits (default schedule) on jobs that end at a seeded-random
//    time within 30 s (10 % fail), until every result() settles: requests counted at the simulator,
//    with the ONTAP client (getJobs: the worker's batcher shares collection queries) and with a view
//    of it without getJobs (one GET per poll).
// Run: npm run bench:durable (builds first), or node bench/durable.mjs after npm run build.
// Env: BENCH_QUICK=1 (small sizes, a smoke run), SCENARIOS=steady,coalescing, STEADY=1000,10000, TUNED (1000: the
//      waits of the tuned-Redis row, 0 for none), REDIS_ARGS (more redis-server settings), MEMORY_STATS=1 (log
//      MEMORY STATS per wait), MAX_REQUESTS (the client's maxConcurrentRequests), AUTOPIPELINE=1 (the
//      worker's ioredis with enableAutoPipelining), CONCURRENCY (default 100),
//      WINDOW_S (20), WARMUP_S (5), PROFILE_S (10), JOBS (coalescing, 1000), WINDOW_MS (30000).
import { execFileSync, fork, spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const quick = process.env.BENCH_QUICK === '1';
const config = {
  scenarios: (process.env.SCENARIOS ?? 'steady,coalescing').split(',').map((s) => s.trim()),
  steady: (process.env.STEADY ?? (quick ? '50' : '1000,10000')).split(',').map(Number),
  spreadMs: quick ? 200 : 1_000,
  tuned: Number(process.env.TUNED ?? (quick ? 0 : 1000)),
  concurrency: Number(process.env.CONCURRENCY ?? 100),
  maxRequests: process.env.MAX_REQUESTS ? Number(process.env.MAX_REQUESTS) : undefined,
  windowS: Number(process.env.WINDOW_S ?? (quick ? 1 : 20)),
  warmupS: Number(process.env.WARMUP_S ?? (quick ? 0.5 : 5)),
  profileS: Number(process.env.PROFILE_S ?? (quick ? 0 : 10)),
  jobs: Number(process.env.JOBS ?? (quick ? 50 : 1000)),
  windowMs: Number(process.env.WINDOW_MS ?? (quick ? 500 : 30_000)),
};
const CLIENT = 'cluster1';
/** Other people's CPU (share of one core) above which a window is measured again. */
const MAX_OTHERS = quick ? Infinity : 0.25;
const TUNED_REDIS = ['--hz', '100', '--hash-max-listpack-value', '1024'];
const TARGETS = { pollsPerS: 900, lagP95Ms: 250, bytesPerWait: 2048, requestRatio: 10 };
const log = (text) => process.stderr.write(`durable: ${text}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

if (process.argv[2] === '--worker') await workerMain(JSON.parse(process.argv[3]));
else await main();

// ---------------------------------------------------------------------------------------------
// The worker process: one createWaitWorker, its polls counted and timed, answering over IPC.

async function workerMain(cfg) {
  const { createWaitWorker } = await import('../dist/bullmq.js');
  const { createOntapClient } = await import('../dist/ontap.js');
  const { Worker } = await import('bullmq');
  const { monitorEventLoopDelay, performance } = await import('node:perf_hooks');
  // The planned time of each wait's poll: its stored state's nextPollAt, as BullMQ hands the job
  // (its data read from Redis) to the processor ('active' is emitted just before).
  const planned = new Map();
  const activeAt = new Map();
  let stores;
  const emit = Worker.prototype.emit;
  const wrapped = new WeakSet();
  Worker.prototype.emit = function (event, ...args) {
    if (event === 'active') {
      const state = args[0]?.data?.state;
      if (state) planned.set(state.jobId, state.nextPollAt);
      if (lags) activeAt.set(String(args[0].id).slice(4), performance.now());
      // How long the worker's store-and-delay step takes (BullMQ's moveToDelayed script).
      const backend = this.backend;
      if (backend && !wrapped.has(backend)) {
        wrapped.add(backend);
        const moveToDelayed = backend.moveToDelayed;
        backend.moveToDelayed = function (...a) {
          if (!stores) return moveToDelayed.apply(this, a);
          const t0 = performance.now();
          const taken = stores;
          return moveToDelayed.apply(this, a).finally(() => taken.push(performance.now() - t0));
        };
      }
    }
    return emit.call(this, event, ...args);
  };
  const ontap = createOntapClient({ baseUrl: cfg.url, auth: { username: 'admin', password: 'bench-password' }, ...(cfg.maxRequests && { maxConcurrentRequests: cfg.maxRequests }) });
  let polls = 0;
  let lags;
  let latencies;
  let starts;
  const getJob = (id, options) => {
    polls++;
    if (!lags) return ontap.getJob(id, options);
    const at = planned.get(id);
    if (at != null) lags.push(Date.now() - at);
    const active = activeAt.get(id);
    if (active !== undefined) starts.push(performance.now() - active);
    const t0 = performance.now();
    const taken = latencies;
    return ontap.getJob(id, options).finally(() => taken.push(performance.now() - t0));
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  // Without getJobs the worker polls each wait with its own GET.
  const client = cfg.batched ? ontap : { vendor: ontap.vendor, waitPolicy: ontap.waitPolicy, getJob };
  const worker = createWaitWorker({ connection: { host: '127.0.0.1', port: cfg.port, ...(process.env.AUTOPIPELINE === '1' && { enableAutoPipelining: true }) }, prefix: cfg.prefix, clients: { [CLIENT]: client }, concurrency: cfg.concurrency });
  let window;
  let session;
  process.on('message', async (message) => {
    if (message.type === 'window-start') {
      if (message.profile) {
        const { Session } = await import('node:inspector/promises');
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      }
      lags = [];
      latencies = [];
      starts = [];
      stores = [];
      loop.reset();
      loop.enable();
      window = { polls, cpu: process.cpuUsage(), t0: performance.now(), elu: performance.eventLoopUtilization() };
      process.send({ type: 'window-started' });
    } else if (message.type === 'window-end') {
      const seconds = (performance.now() - window.t0) / 1000;
      const cpu = process.cpuUsage(window.cpu);
      const elu = performance.eventLoopUtilization(window.elu).utilization;
      const taken = lags;
      const took = latencies;
      const phases = { activeToGetJobMs: percentiles(starts), storeMs: percentiles(stores) };
      stores = undefined;
      lags = undefined;
      loop.disable();
      const loopDelay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
      let profile;
      if (session) {
        const { profile: raw } = await session.post('Profiler.stop');
        session.disconnect();
        session = undefined;
        profile = summarizeProfile(raw);
      }
      process.send({ type: 'window', polls: polls - window.polls, seconds, cpuUs: cpu.user + cpu.system, elu, lag: percentiles(taken), getJobMs: percentiles(took), ...phases, loopDelay, profile });
    } else if (message.type === 'close') {
      await worker.close();
      await ontap.close();
      process.send({ type: 'closed' });
      process.disconnect();
    }
  });
  process.send({ type: 'ready' });
}

/** Self time by function and by package, from a V8 CPU profile. */
function summarizeProfile(profile) {
  const dt = new Map();
  // Time per sample: timeDeltas[i] is the time before sample i.
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...dt.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byPart = new Map();
  for (const node of profile.nodes) {
    const us = dt.get(node.id) ?? 0;
    if (us === 0) continue;
    const key = frameName(node.callFrame);
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const parent = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  /** The nearest frame above `id` with a script outside Node.js itself. */
  const scriptCaller = (id) => {
    let up = parent.get(id);
    for (let depth = 0; up !== undefined && depth < 60; depth++) {
      const frame = byId.get(up).callFrame;
      if (frame.url && !frame.url.startsWith('node:')) return frame;
      up = parent.get(up);
    }
    return undefined;
  };
  // By package, each with the Node.js internals and native code it calls (a socket write is the
  // work of whoever writes).
  for (const node of profile.nodes) {
    const us = dt.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url } = node.callFrame;
    let part;
    if (!url && ['(idle)', '(garbage collector)', '(program)', '(root)'].includes(functionName)) part = functionName === '(idle)' ? 'idle' : functionName === '(garbage collector)' ? 'GC' : 'V8 (program)';
    else if (url && !url.startsWith('node:')) part = partOf(url);
    else {
      const caller = scriptCaller(node.id);
      part = caller ? partOf(caller.url) : 'Node.js (no script caller: timers, I/O callbacks)';
    }
    byPart.set(part, (byPart.get(part) ?? 0) + us);
  }
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, share: us / total }));
  // Who calls the native functions at the top (a native frame alone does not say whose work it is):
  // the nearest caller with a script, by self time of the native frame under it.
  const callers = new Map();
  for (const node of profile.nodes) {
    const us = dt.get(node.id) ?? 0;
    if (us === 0 || node.callFrame.url) continue;
    const name = frameName(node.callFrame);
    const frame = scriptCaller(node.id);
    const key = `${name} ← ${frame ? frameName(frame) : '(root)'}`;
    callers.set(key, (callers.get(key) ?? 0) + us);
  }
  return { totalMs: total / 1000, functions: top(byFunction, 15), parts: top(byPart, 20), nativeCallers: top(callers, 8) };
}

function partOf(url) {
  if (url.includes('node_modules/bullmq')) return 'bullmq';
  if (url.includes('node_modules/ioredis') || url.includes('node_modules/@ioredis') || url.includes('redis-parser') || url.includes('redis-errors')) return 'ioredis';
  if (url.includes('node_modules/undici')) return 'undici';
  if (url.includes('node_modules/zod')) return 'zod';
  if (url.includes('/bench/')) return 'this benchmark (its hooks, the profiler)';
  if (url.includes('/dist/')) return 'jobwait';
  return 'other';
}

function frameName({ functionName, url, lineNumber }) {
  if (!url) return functionName;
  const file = url.includes('node_modules/') ? url.replace(/^.*node_modules\//, '') : url.replace(/^file:\/\//, '').replace(/^.*\/dist\//, 'jobwait dist/').replace(/^.*\/bench\//, 'bench/');
  return `${functionName || '(anonymous)'} (${file}:${lineNumber + 1})`;
}

// ---------------------------------------------------------------------------------------------
// The producer process: Redis, the simulator, the worker, the figures.

async function main() {
  // result() on 1,000 handles adds two listeners each to their queue's one QueueEvents.
  EventEmitter.defaultMaxListeners = 0;
  const started = Date.now();
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const steady = [];
  const coalescing = [];
  if (config.scenarios.includes('steady')) {
    const largest = Math.max(...config.steady);
    for (const n of config.steady) steady.push(await withRedis(ticks, [], (ctx) => runSteady(ctx, n, { profile: config.profileS > 0 && n === largest && n >= 10_000 })));
    // The same 1,000 waits on a Redis set for them: timers checked 100 times a second instead of
    // 10 (BullMQ's blocking wait for the next delayed wait times out on Redis's clock), and a hash
    // of one wait kept as a listpack (its data, some 600 B, is over the default 64 B limit).
    if (config.tuned) steady.push(await withRedis(ticks, TUNED_REDIS, (ctx) => runSteady(ctx, config.tuned, { profile: false })));
  }
  if (config.scenarios.includes('coalescing')) {
    await withRedis(ticks, [], async (ctx) => {
      // A smoke run polls with the ONTAP client alone.
      for (const batched of quick ? [true] : [true, false]) coalescing.push(await runCoalescing(ctx, batched));
    });
  }
  const runS = (Date.now() - started) / 1000;
  process.stdout.write(`${markdown(steady, coalescing, runS)}\n`);
  if (coalescing.some((r) => r.wrong > 0)) process.exitCode = 1;
}

/** A redis-server of our own for one run (`extra`: more of its settings), and an admin client on it. */
async function withRedis(ticks, extra, run) {
  const { Redis } = await import('ioredis');
  const redis = await startRedis(extra);
  const admin = new Redis({ host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null });
  try {
    return await run({ redis, admin, ticks, redisArgs: extra });
  } finally {
    admin.disconnect();
    await redis.stop();
  }
}

async function runSteady(ctx, n, { profile }) {
  const { createWaitQueue } = await import('../dist/bullmq.js');
  const { admin } = ctx;
  await admin.flushall();
  const prefix = `steady${n}`;
  // Jobs that stay running: their end is scripted 10^12 ms away.
  const sim = await startSim(['--ontap-jobs', String(n), '--window-ms', '1e12', '--fail-ratio', '0']);
  const worker = await startWorker({ url: sim.url, port: ctx.redis.port, prefix, concurrency: config.concurrency, maxRequests: config.maxRequests, batched: false });
  const queue = createWaitQueue({ connection: { host: '127.0.0.1', port: ctx.redis.port }, prefix });
  try {
    const infoBefore = await memoryInfo(admin);
    const statsBefore = process.env.MEMORY_STATS === '1' ? await memoryStats(admin) : undefined;
    const memoryBefore = infoBefore.used_memory;
    // Enqueued over about a second (as fast as the producer goes, for 10,000), so the waits' phases spread.
    const t0 = Date.now();
    const chunk = Math.max(1, Math.ceil(n / 100));
    for (let i = 0; i < n; i += chunk) {
      await Promise.all(sim.ids.slice(i, i + chunk).map((id) => queue.enqueue(CLIENT, id, { minDelayMs: 1_000, maxDelayMs: 1_000 })));
      const next = t0 + ((i + chunk) / n) * config.spreadMs;
      if (next > Date.now()) await sleep(next - Date.now());
    }
    const enqueueS = (Date.now() - t0) / 1000;
    log(`steady ${n}: enqueued in ${enqueueS.toFixed(1)} s; warming up ${config.warmupS} s`);
    await sleep(config.warmupS * 1000);
    const infoAfter = await memoryInfo(admin);
    if (statsBefore) {
      const statsAfter = await memoryStats(admin);
      log(`steady ${n}: MEMORY STATS per wait: ${Object.keys(statsAfter).filter((k) => Math.abs(statsAfter[k] - (statsBefore[k] ?? 0)) / n >= 5).map((k) => `${k} ${((statsAfter[k] - (statsBefore[k] ?? 0)) / n).toFixed(0)}`).join(', ')}; slowlog ${await admin.call('SLOWLOG', 'LEN')}`);
    }
    const memoryAfter = infoAfter.used_memory;
    // Where used_memory went: the dataset, Redis's overhead (the keyspace's dict, the clients' buffers…).
    const memoryParts = ['used_memory_dataset', 'used_memory_overhead', 'mem_clients_normal', 'used_memory_scripts']
      .filter((name) => name in infoAfter)
      .map((name) => [name, (infoAfter[name] - infoBefore[name]) / n]);
    log(`steady ${n}: used_memory per wait ${((memoryAfter - memoryBefore) / n).toFixed(0)} B: ${memoryParts.map(([name, b]) => `${name} ${b.toFixed(0)}`).join(', ')}`);
    const sample = sim.ids[0];
    const [eventsBytes, jobBytes, delayedCount] = await Promise.all([
      admin.call('MEMORY', 'USAGE', `${prefix}:wait.${CLIENT}:events`).then(Number),
      admin.call('MEMORY', 'USAGE', `${prefix}:wait.${CLIENT}:job.${sample}`).then(Number),
      admin.zcard(`${prefix}:wait.${CLIENT}:delayed`),
    ]);
    const eventsLength = await admin.xlen(`${prefix}:wait.${CLIENT}:events`);
    const keys = await keyMemory(admin, `${prefix}:wait.${CLIENT}:`);
    log(`steady ${n}: keys: ${keys.hashes} wait hashes, ${Math.round(keys.hashBytes / keys.hashes)} B each; others: ${keys.others.map(([k, b]) => `${k} ${b}`).join(', ')}`);
    // What one wait's hash holds, field by field (bytes of the value).
    const hash = await admin.hgetall(`${prefix}:wait.${CLIENT}:job.${sample}`);
    const fields = Object.entries(hash).map(([field, value]) => [field, Buffer.byteLength(value)]).sort((a, b) => b[1] - a[1]);
    log(`steady ${n}: one wait's hash: ${fields.map(([f, b]) => `${f} ${b}`).join(', ')}; data: ${hash.data}`);

    const measureOnce = async (seconds, withProfile) => {
      await quiet(ctx, [sim.pid, worker.pid]);
      const cpu0 = { redis: await redisCpu(admin), sim: procCpu(sim.pid, ctx.ticks), worker: procCpu(worker.pid, ctx.ticks), ...machineCpu(ctx, [sim.pid, worker.pid]) };
      const requests0 = (await sim.count()).requests;
      const commands0 = await commandStats(admin);
      await worker.ask({ type: 'window-start', profile: withProfile }, 'window-started');
      const w0 = performance.now();
      await sleep(seconds * 1000);
      const stats = await worker.ask({ type: 'window-end' }, 'window');
      const wallS = (performance.now() - w0) / 1000;
      const requests = (await sim.count()).requests - requests0;
      const commands1 = await commandStats(admin);
      // Redis commands per poll (the INFO calls of this process left out).
      const commands = Object.entries(commands1)
        .filter(([name]) => name !== 'info')
        .map(([name, c]) => ({ name, perPoll: (c.calls - (commands0[name]?.calls ?? 0)) / stats.polls, usecPerPoll: (c.usec - (commands0[name]?.usec ?? 0)) / stats.polls }))
        .filter((c) => c.perPoll > 0.005)
        .sort((a, b) => b.usecPerPoll - a.usecPerPoll);
      const cpu1 = { redis: await redisCpu(admin), sim: procCpu(sim.pid, ctx.ticks), worker: procCpu(worker.pid, ctx.ticks), ...machineCpu(ctx, [sim.pid, worker.pid]) };
      const share = (key) => (cpu1[key] - cpu0[key]) / wallS;
      return { ...stats, requests, commands, wallS, cpu: { worker: stats.cpuUs / 1e6 / stats.seconds, workerProc: share('worker'), redis: share('redis'), sim: share('sim'), others: share('busy') - share('ours') } };
    };
    // A shared machine: a window during which other people's work took more than a quarter of a
    // core is measured again (twice at most), and the figures say how much they took.
    const measure = async (seconds, withProfile) => {
      for (let attempt = 1; ; attempt++) {
        const result = await measureOnce(seconds, withProfile);
        if (result.cpu.others <= MAX_OTHERS || attempt === 3) return { ...result, attempts: attempt };
        log(`steady ${n}: other processes took ${pct(result.cpu.others)} of a core in the window: measuring again`);
      }
    };
    log(`steady ${n}: measuring ${config.windowS} s`);
    const window = await measure(config.windowS, false);
    log(`steady ${n}: Redis commands per poll: ${window.commands.map((c) => `${c.name} ${c.perPoll.toFixed(2)} (${c.usecPerPoll.toFixed(0)} µs)`).join(', ')}`);
    log(`steady ${n}: ${(window.polls / window.seconds).toFixed(0)} polls/s, lag p50 ${window.lag.p50} p95 ${window.lag.p95} max ${window.lag.max} ms; getJob p50 ${window.getJobMs.p50.toFixed(1)} p95 ${window.getJobMs.p95.toFixed(1)} ms; active→getJob p50 ${window.activeToGetJobMs.p50.toFixed(1)} p95 ${window.activeToGetJobMs.p95.toFixed(1)}; store p50 ${window.storeMs.p50.toFixed(1)} p95 ${window.storeMs.p95.toFixed(1)} ms; loop delay p50 ${window.loopDelay.p50.toFixed(1)} p99 ${window.loopDelay.p99.toFixed(1)} ms; CPU worker ${pct(window.cpu.worker)} redis ${pct(window.cpu.redis)} sim ${pct(window.cpu.sim)} others ${pct(window.cpu.others)}`);
    let profiled;
    if (profile) {
      log(`steady ${n}: profiling the worker ${config.profileS} s`);
      profiled = await measure(config.profileS, true);
    }
    return { n, redisArgs: ctx.redisArgs, keys, memoryParts, concurrency: config.concurrency, fields, enqueueS, memoryBefore, memoryAfter, eventsBytes, eventsLength, jobBytes, delayedCount, window, profiled };
  } finally {
    await worker.close();
    await queue.close();
    await sim.close();
  }
}

async function runCoalescing(ctx, batched) {
  const { createWaitQueue } = await import('../dist/bullmq.js');
  const { JobFailedError } = await import('../dist/index.js');
  const { admin } = ctx;
  await admin.flushall();
  const prefix = batched ? 'batched' : 'single';
  const sim = await startSim(['--ontap-jobs', String(config.jobs), '--window-ms', String(config.windowMs), '--fail-ratio', '0.1', '--seed', '7']);
  const worker = await startWorker({ url: sim.url, port: ctx.redis.port, prefix, concurrency: config.concurrency, maxRequests: config.maxRequests, batched });
  const queue = createWaitQueue({ connection: { host: '127.0.0.1', port: ctx.redis.port }, prefix });
  try {
    const cpu0 = { redis: await redisCpu(admin), sim: procCpu(sim.pid, ctx.ticks), worker: procCpu(worker.pid, ctx.ticks) };
    const requests0 = (await sim.count()).requests;
    const t0 = performance.now();
    const handles = [];
    for (let i = 0; i < sim.ids.length; i += 100) handles.push(...(await Promise.all(sim.ids.slice(i, i + 100).map((id) => queue.enqueue(CLIENT, id)))));
    let wrong = 0;
    const examples = [];
    await Promise.all(
      handles.map((handle) =>
        handle.result().then(
          (job) => ({ job }),
          (error) => ({ error }),
        ).then(({ job, error }) => {
          const want = sim.failing.has(handle.jobId) ? 'failed' : 'succeeded';
          const got = job ? job.state : error instanceof JobFailedError ? error.job.state : `${error?.name}`;
          if (got === want && (want === 'succeeded' ? job : error)) return;
          wrong++;
          if (examples.length < 3) examples.push(`${handle.jobId}: want ${want}, got ${got}`);
        }),
      ),
    );
    const wallS = (performance.now() - t0) / 1000;
    const requests = (await sim.count()).requests - requests0;
    const cpu1 = { redis: await redisCpu(admin), sim: procCpu(sim.pid, ctx.ticks), worker: procCpu(worker.pid, ctx.ticks) };
    const mode = batched ? 'ONTAP client (getJobs: collection queries)' : 'one by one (a view without getJobs)';
    log(`coalescing, ${mode}: ${requests} requests, ${wallS.toFixed(1)} s, ${wrong} wrong${examples.length ? `: ${examples.join('; ')}` : ''}`);
    return { batched, mode, requests, wallS, wrong, cpuS: { worker: cpu1.worker - cpu0.worker, redis: cpu1.redis - cpu0.redis, sim: cpu1.sim - cpu0.sim } };
  } finally {
    await worker.close();
    await queue.close();
    await sim.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Processes: redis-server, the simulator, the worker.

async function startRedis(settings) {
  const port = await freePort();
  const extra = [...settings, ...(process.env.REDIS_ARGS ?? '').split(' ').filter(Boolean)];
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--loglevel', 'warning', ...extra], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('redis-server did not answer within 10 s');
    }
    await sleep(20);
  }
  return {
    port,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => process.kill(child.pid, 'SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString().startsWith('+PONG'));
    });
    socket.on('error', () => resolve(false));
  });
}

/** bench/sim-server.mjs with a fleet of ONTAP jobs; its ids and the ones scripted to fail. */
async function startSim(args) {
  const dir = mkdtempSync(join(tmpdir(), 'jobwait-durable-'));
  const jobsFile = join(dir, 'jobs.json');
  const child = spawn(process.execPath, [new URL('./sim-server.mjs', import.meta.url).pathname, ...args, '--jobs-file', jobsFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const hello = JSON.parse((await lines.next()).value);
  const ids = [];
  const failing = new Set();
  for (const [id, end] of JSON.parse(readFileSync(hello.jobsFile, 'utf8'))) {
    ids.push(id);
    if (end === 'failure') failing.add(id);
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    url: hello.url,
    pid: child.pid,
    ids,
    failing,
    count: async () => {
      child.stdin.write('count\n');
      return JSON.parse((await lines.next()).value);
    },
    close: async () => {
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}

/** The worker, forked: its own process, so its CPU is its own. */
async function startWorker(cfg) {
  const child = fork(new URL(import.meta.url).pathname, ['--worker', JSON.stringify(cfg)], { stdio: ['ignore', 2, 2, 'ipc'], execArgv: [] });
  const waiting = new Map();
  child.on('message', (message) => {
    const resolve = waiting.get(message.type);
    waiting.delete(message.type);
    resolve?.(message);
  });
  const reply = (type) => new Promise((resolve) => waiting.set(type, resolve));
  await reply('ready');
  return {
    pid: child.pid,
    ask: (message, type) => {
      const answer = reply(type);
      child.send(message);
      return answer;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      const answer = reply('closed');
      child.send({ type: 'close' });
      await Promise.race([answer, exited]);
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Measures.

/** MEMORY USAGE of every key of the queue: the wait hashes (job.*) in sum, the rest one by one. */
async function keyMemory(admin, base) {
  let cursor = '0';
  let hashes = 0;
  let hashBytes = 0;
  const others = [];
  do {
    const [next, found] = await admin.scan(cursor, 'MATCH', `${base}*`, 'COUNT', 1000);
    cursor = next;
    const pipeline = admin.pipeline();
    for (const key of found) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    const sizes = await pipeline.exec();
    found.forEach((key, i) => {
      const bytes = Number(sizes[i][1]);
      const name = key.slice(base.length);
      if (/^job\.[^:]+$/.test(name)) {
        hashes++;
        hashBytes += bytes;
      } else others.push([name.replace(/^job\.[^:]+:/, 'job.*:'), bytes]);
    });
  } while (cursor !== '0');
  // Per-wait keys other than the hash (a lock of an active wait) summed by kind.
  const byKind = new Map();
  for (const [name, bytes] of others) byKind.set(name, (byKind.get(name) ?? 0) + bytes);
  return { hashes, hashBytes, others: [...byKind].sort((a, b) => b[1] - a[1]) };
}

async function usedMemory(admin) {
  return (await memoryInfo(admin)).used_memory;
}

/** MEMORY STATS, flattened to numbers by name. */
async function memoryStats(admin) {
  const flat = {};
  const walk = (list, base) => {
    for (let i = 0; i + 1 < list.length; i += 2) {
      const [name, value] = [String(list[i]), list[i + 1]];
      if (Array.isArray(value)) walk(value, `${base}${name}.`);
      else if (typeof value === 'number' || /^\d+$/.test(String(value))) flat[base + name] = Number(value);
    }
  };
  walk(await admin.call('MEMORY', 'STATS'), '');
  return flat;
}

/** INFO memory's byte counts, by name. */
async function memoryInfo(admin) {
  const info = await admin.info('memory');
  return Object.fromEntries([...info.matchAll(/^(\w+):(\d+)\r?$/gm)].map(([, name, value]) => [name, Number(value)]));
}

/** INFO commandstats: calls and microseconds by command. */
async function commandStats(admin) {
  const info = await admin.info('commandstats');
  return Object.fromEntries([...info.matchAll(/^cmdstat_([\w|]+):calls=(\d+),usec=(\d+)/gm)].map(([, name, calls, usec]) => [name, { calls: Number(calls), usec: Number(usec) }]));
}

/** Redis's CPU seconds (INFO cpu: used_cpu_user + used_cpu_sys). */
async function redisCpu(admin) {
  const info = await admin.info('cpu');
  return Number(/used_cpu_user:([\d.]+)/.exec(info)[1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)[1]);
}

/** A process's CPU seconds (user + system), from /proc/PID/stat. */
function procCpu(pid, ticks) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

/**
 * The machine's busy CPU seconds (all cores, /proc/stat) and ours (this process, Redis, the
 * simulator, the worker): the rest is other people's work on a shared machine.
 */
function machineCpu(ctx, pids) {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + fields[4];
  const ours = [process.pid, ctx.redis.pid, ...pids].reduce((sum, pid) => sum + procCpu(pid, ctx.ticks), 0);
  return { busy: (total - idle) / ctx.ticks, ours };
}

/** Waits (60 s at most) until other processes take under 15 % of a core over a second. */
async function quiet(ctx, pids) {
  if (quick) return;
  const until = Date.now() + 60_000;
  for (;;) {
    const a = machineCpu(ctx, pids);
    await sleep(1_000);
    const b = machineCpu(ctx, pids);
    const others = b.busy - a.busy - (b.ours - a.ours);
    if (others < 0.15 || Date.now() > until) return;
  }
}

/** Nearest-rank p50 / p95 / max. */
function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const rank = (p) => (sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]);
  return { n: sorted.length, p50: rank(50), p95: rank(95), max: rank(100) };
}

function pct(share) {
  return `${(share * 100).toFixed(0)} %`;
}

// ---------------------------------------------------------------------------------------------
// The markdown section.

function markdown(steady, coalescing, runS) {
  const out = ['## Durable waits (jobwait/bullmq)', ''];
  out.push(
    `BullMQ ${bullmqVersion()} on a redis-server ${redisVersion()} of its own (no persistence), the simulator (bench/sim-server.mjs) and one worker (\`createWaitWorker\`, concurrency ${config.concurrency}, the default lock and stall settings), each in a process of its own on ${availableParallelism()} cores; the producer (this process) enqueues and reads Redis's INFO. ` +
      'The client is ONTAP on the simulator; CPU is user + system time over the window as a share of one core (worker: `process.cpuUsage`; Redis: `INFO cpu`; simulator: /proc/PID/stat).',
  );
  if (steady.length > 0) {
    out.push(
      '',
      `**Steady polling.** N waits polling every 1 s (\`minDelayMs\` = \`maxDelayMs\` = 1000, so no jitter) on jobs that stay running, through a view of the client without \`getJobs\` (every poll is one GET; the client's default \`maxConcurrentRequests\` 16), enqueued over about a second; after a ${config.warmupS} s warm-up, a ${config.windowS} s window, ${quick ? 'not waiting for a quiet machine (a smoke run)' : `taken when other processes on this shared machine were quiet (a window during which they took over ${pct(MAX_OTHERS)} of a core is measured again, twice at most; the column says what they took)`}. ` +
        'Polls/s = `getJob` calls of the worker in the window / its length. Start lag = the time the worker calls `getJob` less the wait\'s planned `nextPollAt`, as the worker read it from the state stored in Redis (the BullMQ job\'s data as it became active), over every poll in the window; getJob = the time from that call to its answer (the client\'s queue for its 16 request slots, the simulator and both event loops). ' +
        'Redis bytes per waiting wait = (`used_memory` after the warm-up − before the enqueues) / N; the hash alone = `MEMORY USAGE` of the waits\' hashes, mean.',
      '',
      '| waits | Redis | polls/s | start lag p50 / p95 / max ms | getJob p50 / p95 ms | Redis B per waiting wait (hash alone) | worker CPU (event loop busy) | Redis CPU | simulator CPU | other processes | targets met |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of steady) {
      const w = r.window;
      const pollsPerS = w.polls / w.seconds;
      const perWait = (r.memoryAfter - r.memoryBefore) / r.n;
      const met = pollsPerS >= TARGETS.pollsPerS && w.lag.p95 < TARGETS.lagP95Ms && perWait <= TARGETS.bytesPerWait;
      const redis = r.redisArgs.length === 0 ? 'defaults' : `\`${r.redisArgs.join(' ')}\``;
      out.push(
        `| ${r.n.toLocaleString('en-US')} | ${redis} | ${pollsPerS.toFixed(0)} | ${w.lag.p50} / ${w.lag.p95} / ${w.lag.max} | ${w.getJobMs.p50.toFixed(0)} / ${w.getJobMs.p95.toFixed(0)} | ${Math.round(perWait).toLocaleString('en-US')} (${Math.round(r.keys.hashBytes / r.keys.hashes).toLocaleString('en-US')}) | ${pct(w.cpu.worker)} (${pct(w.elu)}) | ${pct(w.cpu.redis)} | ${pct(w.cpu.sim)} | ${pct(Math.max(0, w.cpu.others))}${w.attempts > 1 ? ` (window ${w.attempts})` : ''} | ${r.n <= 1000 ? (met ? 'yes' : 'no') : '—'} |`,
      );
    }
    out.push(
      '',
      `Targets (1,000 waits): ≥ ${TARGETS.pollsPerS} polls/s, start lag p95 < ${TARGETS.lagP95Ms} ms, ≤ ${TARGETS.bytesPerWait.toLocaleString('en-US')} B per waiting wait. A wait is re-delayed 1 s after its poll's answer, so N waits make at most N / (1 s + lag + getJob) polls/s: 900 polls/s from 1,000 waits leaves 111 ms for the mean lag and poll together. ` +
        '10,000 waits ask for more polls than the machine makes: each is polled less often and the lag is the time the others take (its bytes per wait count waits not yet polled twice, with a smaller hash).',
    );
    out.push(
      '',
      'Redis memory, by key (`MEMORY USAGE`): ' +
        steady
          .map((r) => `${r.n.toLocaleString('en-US')} waits (${r.redisArgs.length === 0 ? 'defaults' : 'tuned'}): ${r.keys.hashes.toLocaleString('en-US')} wait hashes of ${Math.round(r.keys.hashBytes / r.keys.hashes).toLocaleString('en-US')} B; ${r.keys.others.slice(0, 4).map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`).join(', ')}`)
          .join('; ') +
        `. Of the ${Math.round((steady[0].memoryAfter - steady[0].memoryBefore) / steady[0].n).toLocaleString('en-US')} B per wait of the first row, INFO memory puts ${steady[0].memoryParts.map(([name, bytes]) => `${Math.round(bytes).toLocaleString('en-US')} B in ${name}`).join(', ')}; the keys' own \`MEMORY USAGE\` adds up to ${Math.round((steady[0].keys.hashBytes + steady[0].keys.others.reduce((sum, [, bytes]) => sum + bytes, 0)) / steady[0].n).toLocaleString('en-US')} B. ` +
        `The events stream is BullMQ's (XADDs of 'active' and 'delayed' at each poll, trimmed near its \`maxLen\`, 10,000 entries, whatever the number of waits): a fixed cost of about 1 MB, ${Math.round(steady[0].eventsBytes / steady[0].n).toLocaleString('en-US')} B per wait at ${steady[0].n.toLocaleString('en-US')} waits. One wait's hash: ${steady[0].fields.map(([field, bytes]) => `${field} ${bytes} B`).join(', ')} of values; by default its data (over 64 B) makes it a hash table rather than a listpack.`,
    );
    const profiled = steady.find((r) => r.profiled);
    if (profiled) {
      const p = profiled.profiled;
      out.push(
        '',
        `Where the time goes at ${profiled.n.toLocaleString('en-US')} waits: in the ${config.profileS} s profiled window (${(p.polls / p.seconds).toFixed(0)} polls/s under the profiler) the worker used ${pct(p.cpu.worker)} of a core (event loop busy ${pct(p.elu)}), Redis ${pct(p.cpu.redis)}, the simulator ${pct(p.cpu.sim)}: ` +
          `${((p.cpu.worker + p.cpu.redis + p.cpu.sim) * 100).toFixed(0)} % of the ${availableParallelism() * 100} % the machine has. Per poll: worker ${((p.cpu.worker * 1e6) / (p.polls / p.seconds)).toFixed(0)} µs, Redis ${((p.cpu.redis * 1e6) / (p.polls / p.seconds)).toFixed(0)} µs, simulator ${((p.cpu.sim * 1e6) / (p.polls / p.seconds)).toFixed(0)} µs of CPU: ${availableParallelism()} cores make at most about ${Math.round((availableParallelism() * (p.polls / p.seconds)) / (p.cpu.worker + p.cpu.redis + p.cpu.sim)).toLocaleString('en-US')} polls/s of this (the unprofiled window: ${((profiled.window.polls / profiled.window.seconds)).toFixed(0)}), and the simulator's share would be the vendor's on a real one. Redis's part, by command (INFO commandstats over the unprofiled window, per poll): ${profiled.window.commands.slice(0, 4).map((c) => `${c.name} ${c.perPoll.toFixed(1)} calls, ${c.usecPerPoll.toFixed(0)} µs`).join('; ')} (BullMQ's Lua scripts: moveToActive and moveToDelayed at each poll). The worker's CPU profile (node:inspector), self time by package:`,
        '',
        '| part | share of samples |',
        '|---|---|',
        ...p.profile.parts.map((x) => `| ${x.name} | ${pct(x.share)} |`),
        '',
        'Top functions by self time:',
        '',
        '| function | share of samples |',
        '|---|---|',
        ...p.profile.functions.map((x) => `| \`${x.name.replaceAll('|', '\\|')}\` | ${(x.share * 100).toFixed(1)} % |`),
        '',
        'Native frames by their nearest caller outside Node.js itself:',
        '',
        '| native frame ← caller | share of samples |',
        '|---|---|',
        ...p.profile.nativeCallers.map((x) => `| \`${x.name.replaceAll('|', '\\|')}\` | ${(x.share * 100).toFixed(1)} % |`),
      );
    }
  }
  if (coalescing.length > 0) {
    out.push(
      '',
      `**ONTAP coalescing across the durable path.** ${config.jobs.toLocaleString('en-US')} durable waits (default schedule) on ONTAP jobs that end at a seeded-random time within ${config.windowMs / 1000} s (10 % fail), enqueued at once, until every \`result()\` settled; requests counted at the simulator. With the ONTAP client the worker's batcher polls the waits it holds with one collection query (\`uuid=a|b|…\`); the view without \`getJobs\` polls them one by one.`,
      '',
      '| client | requests | wall s | worker CPU s | Redis CPU s | wrong outcomes |',
      '|---|---|---|---|---|---|',
      ...coalescing.map((r) => `| ${r.mode} | ${r.requests.toLocaleString('en-US')} | ${r.wallS.toFixed(1)} | ${r.cpuS.worker.toFixed(1)} | ${r.cpuS.redis.toFixed(1)} | ${r.wrong} |`),
    );
    const [batched, single] = coalescing;
    if (batched && single) {
      const ratio = batched.requests / single.requests;
      out.push('', `The ONTAP client takes ${(ratio * 100).toFixed(1)} % of the one-by-one requests (1/${(1 / ratio).toFixed(0)}; target ≤ 1/${TARGETS.requestRatio}: ${ratio <= 1 / TARGETS.requestRatio ? 'met' : 'not met'}).`);
    }
  }
  out.push('', `Command: \`npm run bench:durable\` (${runS.toFixed(0)} s here; \`BENCH_QUICK=1\` for a smoke run; env \`STEADY\`, \`CONCURRENCY\`, \`WINDOW_S\`, \`WARMUP_S\`, \`PROFILE_S\`, \`JOBS\`, \`WINDOW_MS\`).`);
  return out.join('\n');
}

function bullmqVersion() {
  try {
    return JSON.parse(readFileSync(new URL('../node_modules/bullmq/package.json', import.meta.url), 'utf8')).version;
  } catch {
    return '6';
  }
}

function redisVersion() {
  try {
    return /v=([\d.]+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))[1];
  } catch {
    return '7';
  }
}
