// The ONTAP simulator's collection read at scale, in two builds of jobwait: milliseconds per
// `GET /api/cluster/jobs?uuid=a|b|…&fields=*&max_records=N` (the request ontap.getJobs sends for a
// batch, as bench/scale.mjs scenario B does) against a simulator holding JOBS jobs. This is the
// whole cost of one batched request on the simulator's side, so it bounds scenario B: its
// requests (3,458 at 100,000 jobs in bench/RESULTS.md) run one at a time in the simulator process.
// Each build gets its own simulator (in this process) with the same jobs; rounds alternate the
// builds (A, B, B, A, ...), each round sending REQUESTS reads of different batches; the figure is
// the median per request.
// Run: npm run build, build the other checkout, then
//   flock /work/notes/bench.lock node bench/sim-index.mjs /path/to/checkoutA /path/to/checkoutB
// Env: JOBS (default 100000), BATCH (uuids per request, default 107: getJobs' 4,000-character URL
// budget), ROUNDS (default 6), REQUESTS (default 2).
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { mulberry32 } from './random.mjs';

const JOBS = Number(process.env.JOBS ?? 100_000);
const BATCH = Number(process.env.BATCH ?? 107);
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const REQUESTS = Number(process.env.REQUESTS ?? 2);
const args = process.argv.slice(2);
if (args.length !== 2) throw new Error('usage: node bench/sim-index.mjs [label=]checkoutA [label=]checkoutB');

const random = mulberry32(7);
const uuids = [];
const agent = new Agent();
const builds = [];
for (const arg of args) {
  const [label, dir] = arg.includes('=') ? arg.split('=') : [basename(arg), arg];
  const { startSimulator } = await import(pathToFileURL(resolve(dir, 'dist', 'testing.js')).href);
  const sim = await startSimulator();
  for (let i = 0; i < JOBS; i++) {
    const uuid = (uuids[i] ??= crypto.randomUUID());
    sim.ontap.addJob({ uuid, description: `scale job ${i}`, steps: [{ state: 'running', message: 'working', ms: 600_000 }, { state: 'success' }] });
  }
  builds.push({ label, sim, ms: [] });
  process.stderr.write(`sim-index: ${label} holds ${JOBS} jobs\n`);
}

async function read(sim, batch) {
  const query = `uuid=${batch.join('|')}&fields=*&max_records=${batch.length}`;
  const start = performance.now();
  const res = await request(sim.url, { path: `/api/cluster/jobs?${query}`, dispatcher: agent });
  const body = await res.body.json();
  const ms = performance.now() - start;
  sim.requests.length = 0;
  if (res.statusCode !== 200 || body.num_records !== batch.length) throw new Error(`HTTP ${res.statusCode}, ${body.num_records} of ${batch.length} records`);
  return ms;
}

for (let round = 0; round < ROUNDS; round++) {
  const batches = Array.from({ length: REQUESTS }, () => Array.from({ length: BATCH }, () => uuids[Math.floor(random() * JOBS)]));
  const order = round % 2 === 0 ? builds : [...builds].reverse();
  for (const build of order) for (const batch of batches) build.ms.push(await read(build.sim, [...new Set(batch)]));
  process.stderr.write(`sim-index: round ${round + 1}/${ROUNDS}\n`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = [`## ONTAP simulator: ms per batched collection read (${BATCH} uuids) at ${JOBS.toLocaleString('en-US')} jobs`, ''];
out.push('| build | median ms | min ms | max ms | reads |');
out.push('|---|---|---|---|---|');
for (const b of builds) out.push(`| ${b.label} | ${median(b.ms).toFixed(1)} | ${Math.min(...b.ms).toFixed(1)} | ${Math.max(...b.ms).toFixed(1)} | ${b.ms.length} |`);
out.push('');
out.push(`Command: \`node bench/sim-index.mjs ${args.join(' ')}\``);
console.log(out.join('\n'));
await Promise.all([...builds.map((b) => b.sim.close()), agent.close()]);
