// Schedule quality in simulated time: for jobs of about 1 s, 10 s, 1 min, 10 min and 1 h, how long
// after a job ends each polling schedule notices it (detection delay: the wait resolved - the job
// ended), and how many requests it spends per job. jobwait's defaults against the schedules people
// use today:
// - jobwait: the real `waitForJob` (built package) with its default schedule;
// - AWS's smithy waiter: the real `createWaiter` of @smithy/util-waiter, minDelay 2 s, maxDelay 120 s;
// - Terraform's StateChangeConf (WaitForStateContext): 100 ms doubling to 10 s, modelled below;
// - a fixed 5 s poll (NetApp's Python client, Ansible);
// - Azure core-lro's fixed 2 s.
// Every wait runs under @sinonjs/fake-timers (setTimeout, clearTimeout, Date and performance faked;
// nextTick, queueMicrotask and setImmediate real), against a job that answers `running` until its
// end and `succeeded` from then on, with zero latency. Math.random is a seeded PRNG, so the jitter
// (jobwait's and smithy's) and the numbers are reproducible.
//
// Run: npm run bench:schedule   (N=400 jobs per duration by default; BENCH_QUICK=1 for a smoke test;
// SEED= changes the seed). The harness is exported for bench/schedule-explore.mjs.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import FakeTimers from '@sinonjs/fake-timers';
import { createWaiter, WaiterState } from '@smithy/util-waiter';
import { waitForJob } from 'jobwait';
import { SCHEDULE_CONSTANTS, WAIT_DEFAULTS } from '../dist/bench-internals.js';
import { mulberry32 } from './random.mjs';

/** Every strategy gets this timeout: jobwait's default (30 min) is too short for the 1 h jobs. */
export const TIMEOUT_MS = 3 * 3_600_000;

/** Nominal durations; each job's own is drawn log-uniformly in [D/2, 2D]. */
export const DURATIONS = [
  { label: '1 s', ms: 1_000 },
  { label: '10 s', ms: 10_000 },
  { label: '1 min', ms: 60_000 },
  { label: '10 min', ms: 600_000 },
  { label: '1 h', ms: 3_600_000 },
];

/** N durations log-uniform in [D/2, 2D], from their own PRNG: the same for every strategy. */
export function drawDurations(nominalMs, n, seed) {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => nominalMs * 2 ** (2 * random() - 1));
}

let clock;

/** Installs the fake clock (call once, before any wait). */
export function installClock() {
  clock = FakeTimers.install({
    toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'],
    now: Date.UTC(2025, 0, 1),
    loopLimit: 1e9, // runAllAsync counts every timer fired; a group fires up to ~10^6
  });
  return clock;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Each strategy: wait(check, timeoutMs) resolves once check() (one request: `true` when the job has
// ended) returned true, and rejects on a timeout. The first request goes out at once.

/**
 * jobwait's growth factor (SCHEDULE_CONSTANTS.factor in src/engine/options.ts). Only names and the
 * model use it; bench/schedule-explore.mjs checks the model against the real waitForJob.
 */
export const DEFAULT_FACTOR = SCHEDULE_CONSTANTS.factor;

/** jobwait's real waitForJob with the default schedule (only timeoutMs set). */
export const jobwaitDefault = {
  name: `jobwait default (${WAIT_DEFAULTS.minDelayMs / 1000} s ×${DEFAULT_FACTOR} to ${WAIT_DEFAULTS.maxDelayMs / 1000} s, ±${SCHEDULE_CONSTANTS.jitter * 100} %)`,
  wait(check, timeoutMs) {
    const source = {
      vendor: 'fake',
      getJob: async (id) => {
        const state = check() ? 'succeeded' : 'running';
        return { vendor: 'fake', id, state, vendorState: state.toUpperCase(), tasks: [], raw: null };
      },
    };
    return waitForJob(source, 'job-1', { timeoutMs });
  },
};

/**
 * jobwait's schedule with other parameters, modelled on src/engine/backoff.ts (planNextPoll,
 * jitteredDelay) and src/engine/advance.ts (advanceWait): first poll at once; delay before poll n+1 =
 * min(max, min·factor^n) × (1 ± 20 % uniform), clamped to [min, max]; the last poll goes
 * min(1 s, min) before the deadline. One Math.random draw per delay, as jobwait. With jobwait's
 * defaults it reproduces waitForJob exactly (bench/schedule-explore.mjs checks that).
 */
export function jobwaitModel({ factor, minDelayMs, maxDelayMs, name }) {
  const { jitter, finalPollLeadMs } = SCHEDULE_CONSTANTS;
  const leadMs = Math.min(finalPollLeadMs, minDelayMs);
  const fmt = (ms) => `${ms / 1000} s`;
  return {
    name: name ?? `jobwait ${fmt(minDelayMs)} ×${factor} to ${fmt(maxDelayMs)}`,
    async wait(check, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      let final = false;
      for (let step = 0; ; step++) {
        if (check()) return;
        if (final) throw new Error('timeout');
        const base = Math.min(maxDelayMs, minDelayMs * factor ** Math.min(step, 64));
        const delay = Math.min(maxDelayMs, Math.max(minDelayMs, base * (1 + jitter * (2 * Math.random() - 1))));
        const remaining = deadline - performance.now();
        if (delay + leadMs <= remaining) await sleep(delay);
        else if (remaining > leadMs) {
          final = true;
          await sleep(remaining - leadMs);
        } else throw new Error('timeout');
      }
    },
  };
}

/** AWS: the real @smithy/util-waiter createWaiter (runPolling uses global setTimeout and Date.now). */
export const smithy = {
  name: 'AWS smithy waiter (2 s to 120 s)',
  async wait(check, timeoutMs) {
    const result = await createWaiter({ client: {}, maxWaitTime: timeoutMs / 1000, minDelay: 2, maxDelay: 120 }, { id: 'job-1' }, async () => {
      // A generated AWS waiter passes the response as the reason; a 200 is counted as "200: OK".
      const reason = { $metadata: { httpStatusCode: 200 } };
      return check() ? { state: WaiterState.SUCCESS, reason } : { state: WaiterState.RETRY, reason };
    });
    if (result.state !== WaiterState.SUCCESS) throw new Error(`smithy waiter: ${result.state}`);
  },
};

/**
 * Terraform: StateChangeConf.WaitForStateContext, hashicorp/terraform-plugin-sdk
 * helper/resource/state.go (the same loop lives in helper/retry/state.go), with its defaults:
 * Delay 0, MinTimeout 0, no PollInterval, ContinuousTargetOccurence 1. The refresh goroutine
 * starts with `wait` 0, so the first Refresh is at once and sets wait = 100 ms; after each
 * pending answer `wait *= 2` (so the first sleep is 200 ms), bounded to [MinTimeout, 10 s]:
 * sleeps of 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, then 10 s for ever. Refreshes at 0, 0.2, 0.6, 1.4, 3, 6.2,
 * 12.6, 22.6, 32.6 s, ...
 */
export const terraform = {
  name: 'Terraform StateChangeConf (100 ms ×2 to 10 s)',
  async wait(check, timeoutMs) {
    const deadline = performance.now() + timeoutMs;
    let wait = 0;
    for (;;) {
      if (wait > 0) await sleep(wait);
      else wait = 100; // "first round had no wait"
      if (performance.now() > deadline) throw new Error('timeout');
      if (check()) return;
      wait *= 2; // targetOccurence == 0 while pending
      if (wait > 10_000) wait = 10_000; // MinTimeout 0: no lower bound
    }
  },
};

/** A fixed interval: poll at 0, then every intervalMs. */
export function fixed(intervalMs, name) {
  return {
    name,
    async wait(check, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (!check()) {
        if (performance.now() + intervalMs > deadline) throw new Error('timeout');
        await sleep(intervalMs);
      }
    },
  };
}

export const fixed5s = fixed(5_000, 'fixed 5 s (NetApp Python client, Ansible)');
/** @azure/core-lro: POLL_INTERVAL_IN_MS = 2000 (src/poller/constants.ts), the default intervalInMs. */
export const azure = fixed(2_000, 'Azure core-lro (fixed 2 s)');

export const ALTERNATIVES = [smithy, terraform, fixed5s, azure];

/**
 * Runs one strategy over the given durations, all waits at once on the fake clock, with
 * Math.random seeded by randomSeed. Returns each job's detection delay and request count.
 */
export async function runGroup(strategy, durationsMs, randomSeed) {
  const realRandom = Math.random;
  Math.random = mulberry32(randomSeed);
  try {
    const start = clock.now;
    const jobs = durationsMs.map((d) => ({ end: start + d, requests: 0, resolvedAt: NaN, error: undefined }));
    const waits = jobs.map((job) =>
      strategy
        .wait(() => {
          job.requests++;
          return clock.now >= job.end;
        }, TIMEOUT_MS)
        .then(
          () => {
            job.resolvedAt = clock.now;
          },
          (error) => {
            job.error = error;
          },
        ),
    );
    await clock.runAllAsync();
    await Promise.all(waits);
    const failed = jobs.find((job) => job.error !== undefined || Number.isNaN(job.resolvedAt));
    if (failed) throw new Error(`${strategy.name}: a wait did not resolve: ${failed.error ?? 'still pending'}`);
    return jobs.map((job) => ({ delayMs: job.resolvedAt - job.end, requests: job.requests }));
  } finally {
    Math.random = realRandom;
  }
}

/** Linear-interpolation quantile (type 7) of a sorted array. */
export function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(results) {
  const delays = results.map((r) => r.delayMs).sort((a, b) => a - b);
  return {
    medianDelayMs: quantile(delays, 0.5),
    p95DelayMs: quantile(delays, 0.95),
    meanRequests: results.reduce((sum, r) => sum + r.requests, 0) / results.length,
  };
}

/** Strictly better on both median detection delay and mean requests per job. */
export const dominates = (a, b) => a.medianDelayMs < b.medianDelayMs && a.meanRequests < b.meanRequests;

export const seconds = (ms) => {
  const s = ms / 1000;
  return s < 10 ? s.toFixed(2) : s.toFixed(1);
};

/** 500 ms → "0.5 s", 120 000 ms → "2 min", 7 200 000 ms → "2 h". */
export const human = (ms) => (ms >= 3_600_000 ? `${ms / 3_600_000} h` : ms >= 120_000 ? `${ms / 60_000} min` : `${ms / 1000} s`);

export function benchConfig() {
  const quick = process.env.BENCH_QUICK === '1';
  const n = Number(process.env.N ?? (quick ? 40 : 400));
  const seed = Number(process.env.SEED ?? 1);
  if (!Number.isInteger(n) || n < 2) throw new Error(`N must be an integer of 2 or more, got ${process.env.N}`);
  if (!Number.isInteger(seed)) throw new Error(`SEED must be an integer, got ${process.env.SEED}`);
  return { n, seed, quick };
}

/** Seeds of a duration: its durations' PRNG and the Math.random of its groups (same for every strategy). */
export const seedsOf = (seed, index) => ({ durations: seed * 1_000 + index, random: seed * 1_000 + 500 + index });

/** Runs the strategies at every duration; `stats[label][strategy.name]`. */
export async function runAll(strategies, { n, seed }, log = () => {}) {
  const stats = {};
  for (const [index, duration] of DURATIONS.entries()) {
    const seeds = seedsOf(seed, index);
    const durationsMs = drawDurations(duration.ms, n, seeds.durations);
    stats[duration.label] = {};
    for (const strategy of strategies) {
      const t0 = process.hrtime.bigint();
      const results = await runGroup(strategy, durationsMs, seeds.random);
      stats[duration.label][strategy.name] = { ...summarize(results), results };
      log(`${duration.label.padEnd(6)} ${strategy.name.padEnd(48)} ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0).padStart(6)} ms real`);
    }
  }
  return stats;
}

export function setupSentence({ n, seed }) {
  return (
    `Simulated time (@sinonjs/fake-timers: setTimeout, Date and performance faked), a zero-latency job that answers ` +
    `\`running\` until it ends; each job's duration is drawn log-uniformly in [D/2, 2D] around the nominal D, ` +
    `${n} jobs per duration, the same durations for every strategy. Math.random is a seeded PRNG (mulberry32, ` +
    `seed ${seed}), so jitter and results are reproducible. Every strategy's first request is at the wait's start; ` +
    `every wait gets a ${TIMEOUT_MS / 3_600_000} h timeout (jobwait's default 30 min is too short for the 1 h jobs; ` +
    `none is reached). Delay = wait resolved − job ended; requests are per job, mean.`
  );
}

async function main() {
  const config = benchConfig();
  installClock();
  const t0 = process.hrtime.bigint();
  const strategies = [jobwaitDefault, ...ALTERNATIVES];
  const stats = await runAll(strategies, config, (line) => console.error(line));
  const out = [];
  out.push('## Schedule quality', '');
  out.push(setupSentence(config), '');
  out.push('| job duration | strategy | median delay (s) | p95 delay (s) | requests/job | dominates jobwait |');
  out.push('|---|---|--:|--:|--:|---|');
  const dominating = [];
  for (const duration of DURATIONS) {
    const byName = stats[duration.label];
    const jw = byName[jobwaitDefault.name];
    for (const strategy of strategies) {
      const s = byName[strategy.name];
      let verdict = '—';
      if (strategy !== jobwaitDefault) {
        const yes = dominates(s, jw);
        verdict = yes ? '**yes**' : 'no';
        if (yes) {
          dominating.push(
            `${strategy.name} at ${duration.label} (median ${seconds(s.medianDelayMs)} s vs ${seconds(jw.medianDelayMs)} s, ` +
              `${s.meanRequests.toFixed(2)} vs ${jw.meanRequests.toFixed(2)} requests/job)`,
          );
        }
      }
      const range = `${duration.label} (${human(duration.ms / 2)}–${human(duration.ms * 2)})`;
      out.push(`| ${range} | ${strategy.name} | ${seconds(s.medianDelayMs)} | ${seconds(s.p95DelayMs)} | ${s.meanRequests.toFixed(2)} | ${verdict} |`);
    }
  }
  out.push('');
  const verdict =
    dominating.length === 0
      ? '**Target met**: no schedule beats jobwait\'s default on both median delay and requests/job at any duration.'
      : `**Target not met**: beaten on both median delay and requests/job by ${dominating.join('; ')}.`;
  // Medians near a poll boundary move with the draw: a few dozen jobs are a smoke test, not a verdict.
  out.push(config.n < 200 ? `${verdict} (N=${config.n}: too few jobs for the verdict to hold; run with the default N=400.)` : verdict);
  out.push('');
  const env = config.quick ? 'BENCH_QUICK=1 ' : `${process.env.N ? `N=${config.n} ` : ''}${process.env.SEED ? `SEED=${config.seed} ` : ''}`;
  out.push(`Command: \`${env ? `npm run build && ${env}node bench/schedule.mjs` : 'npm run bench:schedule'}\``);
  console.log(out.join('\n'));
  console.error(`schedule bench: ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s real, node ${process.version}`);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) await main();
