// Per-poll cost: microseconds per ONTAP getJob against the simulator (in its own process), for
// jobwait and for the floor (undici.request + JSON.parse on a keep-alive Agent, no validation).
// Rounds are interleaved so both see the same machine state. Run: npm run bench:poll
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { createOntapClient } from 'jobwait/ontap';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const CALLS = Number(process.env.CALLS ?? 400);

const server = spawn(process.execPath, [new URL('./sim-server.mjs', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
const [line] = await once(createInterface({ input: server.stdout }), 'line');
const { url, uuid } = JSON.parse(line);

const ontap = createOntapClient({ baseUrl: url, auth: { username: 'admin', password: 'bench-password' } });
const agent = new Agent();
const basic = `Basic ${Buffer.from('admin:bench-password').toString('base64')}`;
const origin = new URL(url).origin;
const path = `/api/cluster/jobs/${uuid}`;

const contenders = {
  jobwait: () => ontap.getJob(uuid),
  floor: async () => {
    const res = await request(origin, { path, method: 'GET', headers: { accept: 'application/json', authorization: basic }, dispatcher: agent });
    return JSON.parse(await res.body.text());
  },
};

async function timeRound(fn) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1000 / CALLS;
}

for (const fn of Object.values(contenders)) for (let i = 0; i < 200; i++) await fn(); // warm-up
const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(contenders)) samples[name].push(await timeRound(fn));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(samples.floor);
console.log(`per-poll cost, ONTAP getJob on loopback (${ROUNDS} rounds x ${CALLS} calls, median of rounds), node ${process.version}`);
console.log('| client | us per getJob | ratio to floor |');
console.log('|---|---|---|');
for (const name of Object.keys(contenders)) {
  const us = median(samples[name]);
  console.log(`| ${name} | ${us.toFixed(1)} | ${(us / floor).toFixed(2)}x |`);
}
await ontap.close();
await agent.close();
server.stdin.end();
await once(server, 'exit');
