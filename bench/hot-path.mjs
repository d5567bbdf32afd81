// Hot-path micro-benchmark: what one poll's own steps cost in two builds of jobwait, to tell
// whether a shortcut (a cache, a fast path) is worth its code. End to end (bench/poll-cost.mjs,
// bench/ab-poll.mjs) a poll costs some 200-400 µs of client CPU, and this machine's drift between
// rounds is ±10 µs, so a step of a few µs is seen here, where it is timed alone, and then put in
// proportion: the table gives each step's µs per poll in each build, and the difference as a share
// of a real poll's client CPU (POLL_CPU_US, from `npm run bench:poll`'s "client CPU" column).
// Timed, per poll as the clients run them (payloads as the simulator serves them):
// - ONTAP: toOntapJob(record) (state folding, two timestamps);
// - CCE: toCceJob(record) (phase folding, Huawei timestamps of the job and its sub-jobs);
// - CCE AK/SK: signRequest of the getJob GET (the signer's path and empty-body shortcuts);
// - CAS: toCasJob(page) (state folding, two ISO timestamps per task of the documented job);
// - p-retry around a request that succeeds at once (pRetry(fn, options) with the transport's
//   options), against calling it without p-retry: the cost a first-attempt bypass saves.
// Rounds alternate the builds (A, B, B, A, ...), each round timing ITERATIONS calls per step in CPU
// time; the figure is the median per call over rounds, the difference the median of each round's
// paired difference.
// Run: npm run build, build the other checkout, then
//   flock /work/notes/bench.lock node bench/hot-path.mjs /path/to/checkoutA /path/to/checkoutB
// Env: ROUNDS (default 15), ITERATIONS (default 20000), POLL_CPU_US (default "ONTAP=211,CCE=290,AKSK=387,CAS=362";
// CAS from bench/ab-poll.mjs, the others from bench/poll-cost.mjs).
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pRetry from 'p-retry';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const ITERATIONS = Number(process.env.ITERATIONS ?? 20_000);
const POLL_CPU_US = Object.fromEntries((process.env.POLL_CPU_US ?? 'ONTAP=211,CCE=290,AKSK=387,CAS=362').split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
const args = process.argv.slice(2);
if (args.length !== 2) throw new Error('usage: node bench/hot-path.mjs [label=]checkoutA [label=]checkoutB');

const project = '063a3158b1a34710b36ad208b9497d00';
const builds = [];
for (const arg of args) {
  const [label, dir] = arg.includes('=') ? arg.split('=') : [basename(arg), arg];
  const load = (entry) => import(pathToFileURL(resolve(dir, 'dist', `${entry}.js`)).href);
  const ontap = await load('ontap');
  const cce = await load('cce');
  const cas = await load('cas');
  builds.push({ label, ontap, cce, cas, load });
}

// The records a poll reads: what the simulator serves for the jobs of bench/sim-server.mjs.
const { startSimulator } = await builds[0].load('testing');
const sim = await startSimulator();
const ontapId = sim.ontap.addJob({ description: 'benchmark job', steps: [{ state: 'running', message: 'creating_node_backups' }] });
const cceId = sim.cce.addJob({ steps: [{ phase: 'Running', subJobPhases: ['Success', 'Running'] }] });
const casId = sim.cas.addJob({ steps: [{ status: 'RUNNING' }] });
const fetchJson = async (path, headers = {}) => {
  const res = await fetch(sim.url + path, { headers });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
};
// Two polls, so that the job has started (ONTAP shows start_time from the second read on).
await fetchJson(`/api/cluster/jobs/${ontapId}`);
const ontapRecord = await fetchJson(`/api/cluster/jobs/${ontapId}`);
const cceRecord = await fetchJson(`/api/v3/projects/${project}/jobs/${cceId}`);
const casRecord = await fetchJson(`/v2/${project}/cas/jobs/${casId}?limit=100&offset=0`);
await sim.close();
const ccePath = `/api/v3/projects/${project}/jobs/${cceId}`;
const akskHeaders = { host: '127.0.0.1:1234', 'x-sdk-date': '20261201T120000Z', 'x-project-id': project };

const steps = {
  'ONTAP toOntapJob': { poll: 'ONTAP', run: (b) => b.ontap.toOntapJob(ontapRecord) },
  'CCE toCceJob': { poll: 'CCE', run: (b) => b.cce.toCceJob(cceRecord) },
  'CCE AK/SK signRequest': { poll: 'AKSK', run: (b) => b.cce.signRequest({ method: 'GET', path: ccePath, headers: { ...akskHeaders } }, 'AK', 'SK') },
  'CAS toCasJob': { poll: 'CAS', run: (b) => b.cas.toCasJob(casRecord) },
};
// Sanity: both builds give the same answer.
for (const [name, step] of Object.entries(steps)) {
  const [a, b] = builds.map((build) => JSON.stringify(step.run(build)));
  if (a !== b) throw new Error(`${name}: the builds disagree:\n${a}\n${b}`);
}

const transportOptions = { retries: 2, minTimeout: 200, maxTimeout: 5_000, factor: 2, randomize: true, signal: undefined };
const answer = { status: 200 };
const attempt = async () => answer;
const retrySteps = {
  'request without p-retry': async () => attempt(),
  'request through pRetry(fn, options)': () =>
    pRetry(() => attempt(), { ...transportOptions, shouldRetry: () => false, onFailedAttempt: () => {} }),
};

// CPU time (user + system), not wall time: on this shared machine a descheduled round is not slower code.
const cpuSince = (before) => {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / ITERATIONS;
};
function timeSync(fn) {
  const before = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) fn();
  return cpuSince(before);
}
async function timeAsync(fn) {
  const before = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) await fn();
  return cpuSince(before);
}

const samples = {};
const push = (key, value) => (samples[key] ??= []).push(value);
for (let round = -2; round < ROUNDS; round++) {
  // Two warm-up rounds (not kept), then A, B / B, A in turn.
  const order = round % 2 === 0 ? builds : [...builds].reverse();
  for (const build of order) for (const [name, step] of Object.entries(steps)) {
    const us = timeSync(() => step.run(build));
    if (round >= 0) push(`${name}|${build.label}`, us);
  }
  const retryOrder = round % 2 === 0 ? Object.entries(retrySteps) : Object.entries(retrySteps).reverse();
  for (const [name, fn] of retryOrder) {
    const us = await timeAsync(fn);
    if (round >= 0) push(`retry|${name}`, us);
  }
  process.stderr.write(`hot-path: round ${round + 1}/${ROUNDS}\n`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const [A, B] = builds.map((b) => b.label);
const out = [];
out.push(`## Hot-path steps: µs per call (median of ${ROUNDS} rounds of ${ITERATIONS} calls)`);
out.push('');
out.push(`| step | ${A} | ${B} | ${B} − ${A} | share of a poll's client CPU |`);
out.push('|---|---|---|---|---|');
for (const [name, step] of Object.entries(steps)) {
  const a = median(samples[`${name}|${A}`]);
  const b = median(samples[`${name}|${B}`]);
  // The median of each round's paired difference: drift between rounds cancels.
  const d = median(samples[`${name}|${B}`].map((x, i) => x - samples[`${name}|${A}`][i]));
  out.push(`| ${name} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${d >= 0 ? '+' : ''}${d.toFixed(2)} | ${((100 * d) / POLL_CPU_US[step.poll]).toFixed(1)} % of ${POLL_CPU_US[step.poll]} µs |`);
}
const direct = median(samples['retry|request without p-retry']);
const retried = median(samples['retry|request through pRetry(fn, options)']);
const retryCost = median(samples['retry|request through pRetry(fn, options)'].map((x, i) => x - samples['retry|request without p-retry'][i]));
out.push('');
out.push(
  `p-retry on a request that succeeds at once: ${retried.toFixed(2)} µs through pRetry(fn, options), ${direct.toFixed(2)} µs without; ` +
    `+${retryCost.toFixed(2)} µs a request, ${((100 * retryCost) / POLL_CPU_US.ONTAP).toFixed(1)} % of an ONTAP poll's ${POLL_CPU_US.ONTAP} µs.`,
);
out.push('');
out.push(`Command: \`node bench/hot-path.mjs ${args.join(' ')}\``);
console.log(out.join('\n'));
