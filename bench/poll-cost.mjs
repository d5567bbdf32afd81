// Per-poll cost: microseconds per getJob against the simulator (in its own process), for jobwait's
// ONTAP and CCE clients and for the floor on the same URL (undici.request + JSON.parse on a
// keep-alive Agent, no validation). Rounds are interleaved so all see the same machine state.
// Run: npm run bench:poll
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { createCceClient } from 'jobwait/cce';
import { createOntapClient } from 'jobwait/ontap';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const CALLS = Number(process.env.CALLS ?? 400);

const server = spawn(process.execPath, [new URL('./sim-server.mjs', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
const [line] = await once(createInterface({ input: server.stdout }), 'line');
const ids = JSON.parse(line);
const origin = new URL(ids.url).origin;
const agent = new Agent();
const floor = (path, headers) => async () => {
  const res = await request(origin, { path, method: 'GET', headers: { accept: 'application/json', ...headers }, dispatcher: agent });
  return JSON.parse(await res.body.text());
};

const ontap = createOntapClient({ baseUrl: ids.url, auth: { username: 'admin', password: 'bench-password' } });
const project = '063a3158b1a34710b36ad208b9497d00';
const cceToken = createCceClient({ endpoint: ids.url, projectId: project, auth: { token: 'bench-token' } });
const cceAksk = createCceClient({ endpoint: ids.url, projectId: project, auth: { accessKey: 'bench-ak', secretKey: 'bench-sk' } });

const groups = {
  ONTAP: {
    'jobwait getJob': () => ontap.getJob(ids.ontap),
    floor: floor(`/api/cluster/jobs/${ids.ontap}`, { authorization: `Basic ${Buffer.from('admin:bench-password').toString('base64')}` }),
  },
  CCE: {
    'jobwait getJob (token)': () => cceToken.getJob(ids.cce),
    'jobwait getJob (AK/SK signed)': () => cceAksk.getJob(ids.cce),
    floor: floor(`/api/v3/projects/${project}/jobs/${ids.cce}`, { 'x-auth-token': 'bench-token' }),
  },
};

async function timeRound(fn) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1000 / CALLS;
}

const contenders = Object.entries(groups).flatMap(([group, fns]) => Object.entries(fns).map(([name, fn]) => ({ group, name, fn, samples: [] })));
for (const c of contenders) for (let i = 0; i < 200; i++) await c.fn(); // warm-up
for (let round = 0; round < ROUNDS; round++) for (const c of contenders) c.samples.push(await timeRound(c.fn));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`per-poll cost on loopback (${ROUNDS} rounds x ${CALLS} calls, median of rounds), node ${process.version}`);
console.log('| vendor | client | us per getJob | ratio to floor |');
console.log('|---|---|---|---|');
for (const [group] of Object.entries(groups)) {
  const rows = contenders.filter((c) => c.group === group);
  const base = median(rows.find((c) => c.name === 'floor').samples);
  for (const c of rows) console.log(`| ${group} | ${c.name} | ${median(c.samples).toFixed(1)} | ${(median(c.samples) / base).toFixed(2)}x |`);
}
await Promise.all([ontap.close(), cceToken.close(), cceAksk.close(), agent.close()]);
server.stdin.end();
await once(server, 'exit');
