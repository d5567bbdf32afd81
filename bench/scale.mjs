// Scale: many concurrent waits in one process, against the simulator in a child process.
// A. (single) 10,000 concurrent ontap.waitForJob(id) on one ONTAP client, default options;
// A-plain. (single-plain) the same 10,000 separate waits through a plain JobSource view of that
//    client, without getJobs: waitForJob({ vendor, waitPolicy, getJob }, id). Nothing can coalesce
//    these, so A against A-plain is the with/without comparison for a client that batches separate
//    waits (requests, detection delay);
// B. (batched) 100,000 ONTAP waits batched: waitForJobs(ontap, ids) (getJobs, uuid=a|b|… per request).
// Jobs run until a seeded-random time within 30 s, then succeed (or fail, 10 %). Each scenario runs
// in a process of its own (its peak RSS is its own), with the simulator in another. Measured per
// scenario: RSS and heapUsed before the waits and at their peak, event-loop delay over the waits
// (perf_hooks.monitorEventLoopDelay, 10 ms resolution), requests the simulator received, wall
// time, every outcome checked against the script, and the detection delay of each wait.
// Detection delay: the time a wait settled less the time its job ended in the simulator's script,
// in ms, as p50 / p95 / max over the waits. Both are Date.now() epochs on this machine's one clock,
// read in two processes: the simulator writes each job's end as endAt = (Date.now() when the job was
// added) + its scripted endMs (see sim-server.mjs; early by at most its endAtSlackMs, logged), and
// this process reads Date.now() when a wait settles: in the wait's own then/catch callback for A and
// A-plain (the caller's view), and for B, whose promise settles once for the whole fleet, when
// onProgress sees the job's terminal snapshot (the round that settled that job's outcome). A job
// that ended before the waits were started (the simulator scripts the jobs before the warm-up) is
// measured from the start of the waits instead: no wait could have seen its end earlier.
// Prints a markdown section on stdout; progress on stderr. Exits 1 if an outcome is wrong.
// Run: npm run build && node bench/scale.mjs
// Env: WAITS (A and A-plain, default 10000), BATCHED (B, default 100000), WINDOW_MS (default 30000),
// SEED, FAIL_RATIO, SCENARIOS=single,single-plain,batched; BENCH_QUICK=1: 500 / 5,000 waits within 3 s.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const quick = process.env.BENCH_QUICK === '1';
const config = {
  waits: Number(process.env.WAITS ?? (quick ? 500 : 10_000)),
  batched: Number(process.env.BATCHED ?? (quick ? 5_000 : 100_000)),
  windowMs: Number(process.env.WINDOW_MS ?? (quick ? 3_000 : 30_000)),
  seed: Number(process.env.SEED ?? 7),
  failRatio: Number(process.env.FAIL_RATIO ?? 0.1),
};
const TARGET_RSS_MB = 150;
const TARGET_P99_MS = 50;
const MB = 1024 * 1024;
const log = (message) => process.stderr.write(`[scale] ${message}\n`);

const scenarioArg = process.argv.indexOf('--scenario');
if (scenarioArg === -1) await main();
else if (process.argv[scenarioArg + 1] === 'held') await measureHeld();
else await runScenario(process.argv[scenarioArg + 1]);

/**
 * The heap one waiting wait holds, apart from HTTP: N waits asleep between polls on an in-memory
 * source (a job that stays running), heap after GC minus before, per wait. Prints one JSON line.
 */
async function measureHeld() {
  const { waitForJob } = await import('jobwait');
  const n = config.waits;
  const source = { vendor: 'fake', getJob: async (id) => ({ vendor: 'fake', id, state: 'running', vendorState: 'RUNNING', tasks: [], raw: { id } }) };
  const gc = () => {
    globalThis.gc();
    globalThis.gc();
  };
  gc();
  const before = process.memoryUsage().heapUsed;
  const controller = new AbortController();
  const waits = Array.from({ length: n }, (_, i) => waitForJob(source, `job-${i}`, { signal: controller.signal }).catch(() => {}));
  await new Promise((resolve) => setTimeout(resolve, 200)); // every first poll answered: all asleep
  gc();
  const held = (process.memoryUsage().heapUsed - before) / n;
  controller.abort();
  await Promise.all(waits);
  process.stdout.write(`${JSON.stringify({ waits: n, heldBytesPerWait: held })}\n`);
}

/** The parent: each scenario in a child process of its own, then the markdown. */
async function main() {
  const started = Date.now();
  const wanted = (process.env.SCENARIOS ?? 'single,single-plain,batched').split(',').map((s) => s.trim());
  const results = [];
  for (const scenario of ['single', 'single-plain', 'batched'].filter((s) => wanted.includes(s))) {
    log(`scenario ${scenario}: starting`);
    const child = spawn(process.execPath, ['--expose-gc', new URL(import.meta.url).pathname, '--scenario', scenario], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    // A wait that never ends would hold the run for the default 30-minute timeout: give up sooner.
    const watchdogMs = config.windowMs * 6 + 120_000;
    const watchdog = setTimeout(() => {
      log(`scenario ${scenario}: no result after ${watchdogMs / 1000} s, stopping it`);
      child.kill();
    }, watchdogMs);
    const [code, signal] = await once(child, 'exit');
    clearTimeout(watchdog);
    if (code !== 0 || out.trim() === '') {
      log(`scenario ${scenario}: the child exited with ${code ?? signal}`);
      process.exitCode = 1;
      continue;
    }
    results.push(JSON.parse(out.trim().split('\n').at(-1)));
  }
  // The heap a waiting wait holds, apart from HTTP (steadier than a peak, which follows the GC).
  let held;
  if (wanted.includes('single') || wanted.includes('single-plain')) {
    const child = spawn(process.execPath, ['--expose-gc', new URL(import.meta.url).pathname, '--scenario', 'held'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const [code] = await once(child, 'exit');
    if (code === 0) held = JSON.parse(out.trim());
    else process.exitCode = 1;
  }
  const runS = (Date.now() - started) / 1000;
  log(`done in ${runS.toFixed(0)} s`);

  const mb = (bytes) => (bytes / MB).toFixed(0);
  const ms = (value) => value.toFixed(1);
  const lines = [
    '## Scale',
    '',
    `Each scenario runs in a fresh Node ${process.version} process (${availableParallelism()} cores) with one ONTAP client on default options (default schedule, \`maxConcurrentRequests\` 16) against the simulator in a child process on loopback, its jobs ending at a seeded-random time within ${config.windowMs / 1000} s (${Math.round(config.failRatio * 100)} % as failures); RSS and heap are before the waits → peak, the loop delay is \`monitorEventLoopDelay\` at 10 ms resolution over the waits (an idle loop reads about 10 ms), the detection delay is each wait's settling less its job's scripted end (\`Date.now()\` on both sides; for B, when the fleet sees the job's end; a job that ended before the waits started counts from their start), and the targets (the issue's, for A; A-plain and B are held to the same) are RSS under ${TARGET_RSS_MB} MB and loop-delay p99 under ${TARGET_P99_MS} ms. A-plain is A's waits through a view of the client without \`getJobs\` (\`{ vendor, waitPolicy, getJob }\` with the standalone \`waitForJob\`): nothing can coalesce them, so A and A-plain compare a client that batches separate waits with one that cannot.`,
    '',
    '| scenario | waits | requests | wall s | RSS MB (before → peak) | heap MB (before → peak) | loop delay p50 / p99 / max ms | detection delay p50 / p95 / max ms | wrong outcomes | targets met |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const met = r.peakRss < TARGET_RSS_MB * MB && r.loop.p99 < TARGET_P99_MS;
    lines.push(
      `| ${r.label} | ${r.waits.toLocaleString('en-US')} | ${r.requests.toLocaleString('en-US')} | ${r.wallS.toFixed(1)} | ${mb(r.baseRss)} → ${mb(r.peakRss)} | ${mb(r.baseHeap)} → ${mb(r.peakHeap)} | ${ms(r.loop.p50)} / ${ms(r.loop.p99)} / ${ms(r.loop.max)} | ${r.detection.p50.toFixed(0)} / ${r.detection.p95.toFixed(0)} / ${r.detection.max.toFixed(0)} | ${r.wrong} | ${met ? 'yes' : 'no'} |`,
    );
  }
  const early = results.filter((r) => r.detection.endedBeforeStart > 0);
  if (early.length > 0) {
    lines.push('', `Jobs that ended before their waits were started (the simulator scripts them before the warm-up), their detection delay counted from the start of the waits: ${early.map((r) => `${r.label.split('.')[0]} ${r.detection.endedBeforeStart.toLocaleString('en-US')}`).join(', ')}.`);
  }
  if (held) {
    lines.push(
      '',
      `Held heap per waiting wait, apart from HTTP: ${Math.round(held.heldBytesPerWait).toLocaleString('en-US')} B (target 1,024 B: ${held.heldBytesPerWait <= 1024 ? 'met' : 'not met'}) ` +
        `(${held.waits.toLocaleString('en-US')} waits asleep between polls on an in-memory source; heap after GC, less the heap before, per wait; ` +
        'it counts what the caller holds too: its promise and `.catch`, the id, the options object, and the snapshot the source answered).',
    );
  }
  lines.push('', `Command: \`npm run bench:scale\` (${runS.toFixed(0)} s here; \`BENCH_QUICK=1\` for a smoke run; env \`WAITS\`, \`BATCHED\`, \`WINDOW_MS\`, \`SCENARIOS\`).`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (results.some((r) => r.wrong > 0)) process.exitCode = 1;
}

/** One scenario, in its own process: prints one JSON line with its figures on stdout. */
async function runScenario(scenario) {
  const { JobFailedError, isTerminal, waitForJob, waitForJobs } = await import('jobwait');
  const { createOntapClient } = await import('jobwait/ontap');
  const batched = scenario === 'batched';
  const plain = scenario === 'single-plain';
  const count = batched ? config.batched : config.waits;
  const dir = mkdtempSync(join(tmpdir(), 'jobwait-scale-'));
  const jobsFile = join(dir, 'jobs.json');

  // The simulator, with the jobs scripted, in a child process.
  const server = spawn(
    process.execPath,
    [new URL('./sim-server.mjs', import.meta.url).pathname, '--ontap-jobs', String(count), '--window-ms', String(config.windowMs), '--seed', String(config.seed), '--fail-ratio', String(config.failRatio), '--jobs-file', jobsFile],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const serverLines = createInterface({ input: server.stdout })[Symbol.asyncIterator]();
  const hello = JSON.parse((await serverLines.next()).value);
  // The ids, the ones scripted to fail, and each job's end (a Date.now() epoch), by the ids' order:
  // [[uuid, 'success' | 'failure', endMs, endAt], …] is dropped.
  const ids = [];
  const failing = new Set();
  const endAt = new Float64Array(count);
  for (const [id, end, , endEpoch] of JSON.parse(readFileSync(hello.jobsFile, 'utf8'))) {
    endAt[ids.length] = endEpoch;
    ids.push(id);
    if (end === 'failure') failing.add(id);
  }
  rmSync(dir, { recursive: true, force: true });
  const askServer = async () => {
    server.stdin.write('count\n');
    return JSON.parse((await serverLines.next()).value);
  };

  const ontap = createOntapClient({ baseUrl: hello.url, auth: { username: 'admin', password: 'bench-password' } });
  // A-plain: the same client seen through a JobSource without getJobs, so nothing can batch its waits.
  const source = plain ? { vendor: ontap.vendor, waitPolicy: ontap.waitPolicy, getJob: (id, o) => ontap.getJob(id, o) } : undefined;
  // When each wait settled (Date.now(); 0 while pending), by the ids' order; for B, an id's place, to
  // file what onProgress reports. Made here, so the figures before the waits already hold them.
  const settledAt = new Float64Array(count);
  const indexOf = batched ? new Map(ids.map((id, i) => [id, i])) : undefined;
  // Warm up (connection, HTTP parser, compiled code) on the simulator's own job, outside the figures.
  for (let i = 0; i < 50; i++) await ontap.getJob(hello.ontap);
  await ontap.getJobs([hello.ontap]);
  const { requests: warmUpRequests } = await askServer();
  globalThis.gc?.();
  const baseRss = process.memoryUsage.rss();
  const baseHeap = process.memoryUsage().heapUsed;
  let peakRss = baseRss;
  let peakHeap = baseHeap;
  const sampler = setInterval(() => {
    const { rss, heapUsed } = process.memoryUsage();
    if (rss > peakRss) peakRss = rss;
    if (heapUsed > peakHeap) peakHeap = heapUsed;
  }, 50);
  log(`${scenario}: ${count} waits; jobs scripted ${Date.now() - hello.createdAt} ms ago; their ends known to ${hello.endAtSlackMs} ms`);

  const loop = monitorEventLoopDelay({ resolution: 10 });
  let settled = 0;
  let wrong = 0;
  const wrongExamples = [];
  const check = (id, job, error) => {
    settled++;
    const want = failing.has(id) ? 'failure' : 'success';
    const right = want === 'success' ? job?.state === 'succeeded' : error instanceof JobFailedError && error.job.state === 'failed';
    if (right) return;
    wrong++;
    if (wrongExamples.length < 5) wrongExamples.push(`${id}: expected ${want}, got ${job ? `job ${job.state}` : `${error?.name}: ${error?.message}`}`);
  };

  loop.enable();
  // The histogram records from its second tick on: let it tick before the waits start.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const start = performance.now();
  const startedAt = Date.now();
  const elapsedS = () => ((performance.now() - start) / 1000).toFixed(0);
  const progress = setInterval(() => log(batched ? `${scenario}: ${elapsedS()} s` : `${scenario}: ${settled} of ${count} settled after ${elapsedS()} s`), 5_000);
  if (batched) {
    // The fleet settles a job's outcome in the round that sees its end, and reports that snapshot.
    const onProgress = (job) => {
      if (!isTerminal(job.state)) return;
      const i = indexOf.get(job.id);
      if (i !== undefined && settledAt[i] === 0) settledAt[i] = Date.now();
    };
    const all = waitForJobs(ontap, ids, { onProgress });
    log(`${scenario}: waitForJobs took ${(performance.now() - start).toFixed(0)} ms to return its promise`);
    const outcomes = await all;
    for (const outcome of outcomes) check(outcome.id, outcome.job, outcome.error);
  } else {
    // All at once, as a caller would: the loop below runs synchronously.
    const wait = plain ? (id) => waitForJob(source, id) : (id) => ontap.waitForJob(id);
    const all = Promise.all(
      ids.map((id, i) =>
        wait(id).then(
          (job) => {
            settledAt[i] = Date.now();
            check(id, job);
          },
          (error) => {
            settledAt[i] = Date.now();
            check(id, undefined, error);
          },
        ),
      ),
    );
    log(`${scenario}: starting the ${count} waits took ${(performance.now() - start).toFixed(0)} ms (synchronous)`);
    await all;
  }
  if (settled !== count) wrong += count - settled;
  const wallS = (performance.now() - start) / 1000;
  loop.disable();
  clearInterval(sampler);
  clearInterval(progress);

  const { requests: allRequests, maxRssBytes: serverPeakRss } = await askServer();
  const requests = allRequests - warmUpRequests;
  await ontap.close();
  server.stdin.end();
  await once(server, 'exit');
  const maxRss = process.resourceUsage().maxRSS * 1024; // the whole process's peak
  const detection = detectionDelays(endAt, settledAt, startedAt);
  if (detection.unseen > 0) log(`${scenario}: ${detection.unseen} waits with no settling time, left out of the detection delay`);
  log(`${scenario}: detection delay min ${detection.min} / p50 ${detection.p50} / p95 ${detection.p95} / max ${detection.max} ms over ${detection.n} waits (${detection.endedBeforeStart} jobs ended before the waits started: counted from the start)`);
  // A wait cannot see an end before it happens: a negative delay means the two clocks disagree.
  if (detection.min < -hello.endAtSlackMs) log(`${scenario}: a wait settled ${-detection.min} ms before its job's scripted end: the clocks do not compare`);
  if (wrong > 0) log(`${scenario}: ${wrong} wrong outcomes, e.g.\n  ${wrongExamples.join('\n  ')}`);
  log(`${scenario}: ${count} waits in ${wallS.toFixed(1)} s, ${requests} requests; RSS peak sampled ${(peakRss / MB).toFixed(0)} MB, maxRSS ${(maxRss / MB).toFixed(0)} MB; simulator peak RSS ${(serverPeakRss / MB).toFixed(0)} MB`);
  const result = {
    scenario,
    label: batched ? 'B. `waitForJobs` batched (getJobs)' : plain ? 'A-plain. `waitForJob` each, no `getJobs`' : 'A. `waitForJob` each',
    waits: count,
    requests,
    wallS,
    baseRss,
    baseHeap,
    peakRss: Math.max(peakRss, maxRss),
    peakHeap,
    loop: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    detection,
    wrong,
    serverPeakRss,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * Detection delays, in ms: each settled wait's time less its job's end (or less the start of the
 * waits, for a job that ended before them), as nearest-rank p50 / p95 and the max.
 */
function detectionDelays(endAt, settledAt, startedAt) {
  const delays = [];
  let endedBeforeStart = 0;
  let unseen = 0;
  for (let i = 0; i < endAt.length; i++) {
    if (settledAt[i] === 0) {
      unseen++;
      continue;
    }
    if (endAt[i] < startedAt) endedBeforeStart++;
    delays.push(settledAt[i] - Math.max(endAt[i], startedAt));
  }
  delays.sort((a, b) => a - b);
  const rank = (p) => (delays.length === 0 ? NaN : delays[Math.max(0, Math.ceil((p / 100) * delays.length) - 1)]);
  return { n: delays.length, min: rank(0), p50: rank(50), p95: rank(95), max: rank(100), endedBeforeStart, unseen };
}
