// Exploration for bench/schedule.mjs: which jobwait schedule parameters (growth factor, first delay,
// cap) are not beaten on both median detection delay and requests/job by any of the schedules people
// use today (smithy, Terraform, fixed 5 s, Azure 2 s), at every duration? Same harness, same
// simulated time, same seeded durations and jitter.
//
// 1. Checks that the model of jobwait's schedule (jobwaitModel, from src/engine/backoff.ts) reproduces the
//    real waitForJob job for job with jobwait's defaults.
// 2. Runs a grid of candidates (factor x first delay x cap) at SEED, and lists the undominated ones.
// 3. Re-runs the named candidates and the undominated ones at SEEDS (default 1-5) to see whether the
//    verdict holds across draws.
// Run: npm run build && node bench/schedule-explore.mjs   (N=, SEED=, SEEDS=1,2,3 ; BENCH_QUICK=1)
import { WAIT_DEFAULTS } from '../dist/bench-internals.js';
import {
  ALTERNATIVES,
  DEFAULT_FACTOR,
  DURATIONS,
  benchConfig,
  dominates,
  drawDurations,
  installClock,
  jobwaitDefault,
  jobwaitModel,
  runAll,
  runGroup,
  seconds,
  seedsOf,
  setupSentence,
} from './schedule.mjs';

const config = benchConfig();
const seeds = (process.env.SEEDS ?? (config.quick ? '1,2' : '1,2,3,4,5')).split(',').map(Number);
const log = (line) => console.error(line);
installClock();
const t0 = process.hrtime.bigint();
const out = [];

// 1. The model against the real thing, job for job.
{
  const model = jobwaitModel({ factor: DEFAULT_FACTOR, minDelayMs: WAIT_DEFAULTS.minDelayMs, maxDelayMs: WAIT_DEFAULTS.maxDelayMs });
  let jobs = 0;
  let mismatches = 0;
  for (const [index, duration] of DURATIONS.entries()) {
    const s = seedsOf(config.seed, index);
    const durationsMs = drawDurations(duration.ms, config.n, s.durations);
    const real = await runGroup(jobwaitDefault, durationsMs, s.random);
    const modelled = await runGroup(model, durationsMs, s.random);
    for (let i = 0; i < real.length; i++) {
      jobs++;
      if (real[i].delayMs !== modelled[i].delayMs || real[i].requests !== modelled[i].requests) mismatches++;
    }
  }
  out.push(`Model check: jobwaitModel(factor ${DEFAULT_FACTOR}, ${WAIT_DEFAULTS.minDelayMs / 1000} s, ${WAIT_DEFAULTS.maxDelayMs / 1000} s) against the real waitForJob: ${mismatches} of ${jobs} jobs differ in delay or requests.`, '');
  if (mismatches > 0) process.exitCode = 1;
  log(`model check: ${mismatches}/${jobs} differ`);
}

const grid = [];
for (const factor of [1.2, 1.25, 1.3, 1.4, 1.5, 1.75, 2]) {
  for (const minDelayMs of [1_000, 1_500, 2_000, 2_500, 3_000]) {
    for (const maxDelayMs of [30_000, 60_000]) grid.push(jobwaitModel({ factor, minDelayMs, maxDelayMs }));
  }
}
const pick = (factor, minDelayMs, maxDelayMs) => grid.find((c) => c.name === jobwaitModel({ factor, minDelayMs, maxDelayMs }).name);
/** For comparison: the default before the schedule benchmark (1 s ×2 to 30 s), and factor 1.5 and 1.25 from 1 s. */
const named = [pick(2, 1_000, 30_000), pick(1.5, 1_000, 30_000), pick(1.25, 1_000, 30_000)];

/** For each candidate and duration: the alternatives that beat it on both metrics (strict), and those that tie or beat it on both (weak). */
function judge(stats, candidates) {
  const verdicts = new Map();
  for (const c of candidates) {
    const perDuration = DURATIONS.map((d) => {
      const mine = stats[d.label][c.name];
      const strict = ALTERNATIVES.filter((a) => dominates(stats[d.label][a.name], mine)).map((a) => a.name);
      const weak = ALTERNATIVES.filter((a) => {
        const o = stats[d.label][a.name];
        return o.medianDelayMs <= mine.medianDelayMs && o.meanRequests <= mine.meanRequests && !strict.includes(a.name);
      }).map((a) => a.name);
      return { label: d.label, stats: mine, strict, weak };
    });
    verdicts.set(c.name, perDuration);
  }
  return verdicts;
}
const short = (name) => name.replace(/ \(.*\)$/, '');

// 2. The grid, at SEED.
const gridStats = await runAll([jobwaitDefault, ...ALTERNATIVES, ...grid], config, log);
const verdicts = judge(gridStats, [jobwaitDefault, ...grid]);
const undominated = grid.filter((c) => verdicts.get(c.name).every((v) => v.strict.length === 0));

out.push('## Candidate jobwait schedules', '');
out.push(setupSentence(config), '');
out.push('Each candidate is jobwait\'s schedule (first poll at once, delay min·factor^n, ±20 % jitter clamped to [min, max]) with other parameters. "beaten by" lists the alternatives that are better on both median delay and requests/job at that duration.', '');
out.push('| schedule | duration | median delay (s) | p95 delay (s) | requests/job | beaten by |');
out.push('|---|---|--:|--:|--:|---|');
const shown = [jobwaitDefault, ...named, ...undominated.filter((c) => !named.includes(c))];
for (const c of shown) {
  for (const v of verdicts.get(c.name)) {
    const beaten = v.strict.length ? v.strict.map(short).join(', ') : v.weak.length ? `— (ties: ${v.weak.map(short).join(', ')})` : '—';
    out.push(`| ${short(c.name)} | ${v.label} | ${seconds(v.stats.medianDelayMs)} | ${seconds(v.stats.p95DelayMs)} | ${v.stats.meanRequests.toFixed(2)} | ${beaten} |`);
  }
}
out.push('');
out.push(`### Grid (seed ${config.seed}): factor × first delay × cap, ${grid.length} schedules`, '');
out.push('| schedule | beaten at | median delay 10 s | requests 10 s | median delay 1 h | requests 1 h |');
out.push('|---|---|--:|--:|--:|--:|');
for (const c of [jobwaitDefault, ...grid]) {
  const v = verdicts.get(c.name);
  const at = v.filter((x) => x.strict.length).map((x) => `${x.label} (${x.strict.map(short).join(', ')})`).join('; ') || '**none**';
  const ten = v[1].stats;
  const hour = v[4].stats;
  out.push(`| ${short(c.name)} | ${at} | ${seconds(ten.medianDelayMs)} | ${ten.meanRequests.toFixed(2)} | ${seconds(hour.medianDelayMs)} | ${hour.meanRequests.toFixed(1)} |`);
}
out.push('');

// 3. Robustness: the named candidates and the undominated ones, at other seeds.
const finalists = [jobwaitDefault, ...named, ...undominated.filter((c) => !named.includes(c))];
out.push(`### Across seeds ${seeds.join(', ')}`, '');
out.push('Where each schedule is beaten on both metrics (duration: by whom), seed by seed.', '');
out.push(`| schedule | ${seeds.map((s) => `seed ${s}`).join(' | ')} |`);
out.push(`|---|${seeds.map(() => '---').join('|')}|`);
const cells = new Map(finalists.map((c) => [c.name, []]));
for (const seed of seeds) {
  const stats = seed === config.seed ? gridStats : await runAll([...ALTERNATIVES, ...finalists], { ...config, seed }, log);
  const v = judge(stats, finalists);
  for (const c of finalists) {
    const at = v.get(c.name).filter((x) => x.strict.length).map((x) => `${x.label}: ${x.strict.map(short).join(', ')}`).join('; ') || '—';
    cells.get(c.name).push(at);
  }
}
for (const c of finalists) out.push(`| ${short(c.name)} | ${cells.get(c.name).join(' | ')} |`);
out.push('');
out.push('Command: `npm run build && node bench/schedule-explore.mjs`');
console.log(out.join('\n'));
console.error(`schedule explore: ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s real`);
