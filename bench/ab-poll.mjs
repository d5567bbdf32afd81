// Per-poll A/B: the client CPU of getJob for two or more builds of jobwait, interleaved in one
// process against one simulator, so that a small change (a hot-path shortcut kept or removed) can
// be seen through this 2-core machine's drift. bench/poll-cost.mjs compares jobwait with a floor;
// this compares builds with each other.
// Each round runs every build's ONTAP, CCE token, CCE AK/SK and CAS token getJob (CALLS calls each) in turn,
// the order of the builds rotating every round; the figure per build is the median over rounds of
// client CPU (user + system of this process) per call, and the difference to the first build is the
// median of each round's paired difference (with its quartiles, the spread), so drift between
// rounds cancels.
// The simulators (bench/sim-server.mjs of this checkout, and one for CAS) check every request's credentials.
// Run: npm run build, build the other checkout(s), then
//   flock /work/notes/bench.lock node bench/ab-poll.mjs /path/to/checkoutA /path/to/checkoutB ...
// Each argument is a checkout with a built dist/ (label: its directory name, or `label=path`).
// Env: ROUNDS (default 21), CALLS (default 250).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { BENCH_CCE_AKSK, BENCH_CCE_TOKEN, BENCH_ONTAP } from './credentials.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 21);
const CALLS = Number(process.env.CALLS ?? 250);
const WARMUP = 200;
const args = process.argv.slice(2);
if (args.length < 2) throw new Error('usage: node bench/ab-poll.mjs [label=]checkoutA [label=]checkoutB ...');

const server = spawn(process.execPath, [new URL('./sim-server.mjs', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
const [line] = await once(createInterface({ input: server.stdout }), 'line');
const ids = JSON.parse(line);
const project = '063a3158b1a34710b36ad208b9497d00';
// bench/sim-server.mjs has no CAS job: a second simulator process serves one (the documented
// example's job and tasks), demanding the same token.
const casSource = `import { startSimulator } from 'jobwait/testing';
const sim = await startSimulator();
sim.cas.auth = { token: ${JSON.stringify(BENCH_CCE_TOKEN)} };
const id = sim.cas.addJob({ steps: [{ status: 'RUNNING' }] });
process.stdout.write(JSON.stringify({ url: sim.url, id }) + '\\n');
process.stdin.resume();
process.stdin.on('end', () => sim.close().then(() => process.exit(0)));`;
const casServer = spawn(process.execPath, ['--input-type=module', '-e', casSource], { stdio: ['pipe', 'pipe', 'inherit'], cwd: new URL('..', import.meta.url).pathname });
const [casLine] = await once(createInterface({ input: casServer.stdout }), 'line');
const cas = JSON.parse(casLine);

const builds = [];
for (const arg of args) {
  const [label, dir] = arg.includes('=') ? arg.split('=') : [basename(arg), arg];
  const load = (entry) => import(pathToFileURL(resolve(dir, 'dist', `${entry}.js`)).href);
  const { createOntapClient } = await load('ontap');
  const { createCceClient } = await load('cce');
  const { createCasClient } = await load('cas');
  const clients = {
    ONTAP: createOntapClient({ baseUrl: ids.url, auth: BENCH_ONTAP }),
    'CCE token': createCceClient({ endpoint: ids.url, projectId: project, auth: { token: BENCH_CCE_TOKEN } }),
    'CCE AK/SK': createCceClient({ endpoint: ids.akskUrl, projectId: project, auth: BENCH_CCE_AKSK }),
    'CAS token': createCasClient({ endpoint: cas.url, projectId: project, auth: { token: BENCH_CCE_TOKEN } }),
  };
  const idOf = { ONTAP: ids.ontap, 'CCE token': ids.cce, 'CCE AK/SK': ids.cce, 'CAS token': cas.id };
  const rows = Object.entries(clients).map(([group, client]) => ({ group, fn: () => client.getJob(idOf[group]), id: idOf[group], cpu: [] }));
  builds.push({ label, clients, rows });
}

// Every build must really read the running job (a refused request throws), or its time means nothing.
for (const build of builds) {
  for (const row of build.rows) {
    const job = await row.fn();
    if (job.id !== row.id || job.state !== 'running') throw new Error(`${build.label} ${row.group} did not read the job: ${JSON.stringify(job).slice(0, 200)}`);
    for (let i = 0; i < WARMUP; i++) await row.fn();
  }
}

async function cpuPerCall(fn) {
  const before = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
}

for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < builds.length; k++) {
    const build = builds[(round + k) % builds.length];
    for (const row of build.rows) row.cpu.push(await cpuPerCall(row.fn));
  }
  process.stderr.write(`ab-poll: round ${round + 1}/${ROUNDS}\n`);
}

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)];
const median = (xs) => quantile(xs, 0.5);
const out = [];
out.push(`## Per-poll A/B: client CPU µs per getJob (median of ${ROUNDS} rounds of ${CALLS} calls)`);
out.push('');
out.push(`| group | ${builds.map((b) => b.label).join(' | ')} | ${builds.slice(1).map((b) => `${b.label} − ${builds[0].label}`).join(' | ')} |`);
out.push(`|---|${builds.map(() => '---').join('|')}|${builds.slice(1).map(() => '---').join('|')}|`);
for (let r = 0; r < builds[0].rows.length; r++) {
  const base = builds[0].rows[r];
  const cells = builds.map((b) => median(b.rows[r].cpu).toFixed(1));
  const diffs = builds.slice(1).map((b) => {
    const diffs = b.rows[r].cpu.map((x, i) => x - base.cpu[i]);
    const d = median(diffs);
    const [q1, q3] = [quantile(diffs, 0.25), quantile(diffs, 0.75)];
    return `${d >= 0 ? '+' : ''}${d.toFixed(1)} µs (${((100 * d) / median(base.cpu)).toFixed(1)} %; quartiles ${q1.toFixed(1)} / ${q3.toFixed(1)})`;
  });
  out.push(`| ${base.group} | ${cells.join(' | ')} | ${diffs.join(' | ')} |`);
}
out.push('');
out.push(`Command: \`node bench/ab-poll.mjs ${args.join(' ')}\``);
console.log(out.join('\n'));

await Promise.all(builds.flatMap((b) => Object.values(b.clients).map((c) => c.close())));
server.stdin.end();
casServer.stdin.end();
await Promise.all([once(server, 'exit'), once(casServer, 'exit')]);
