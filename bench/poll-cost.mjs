// Per-poll cost: microseconds per getJob against the simulator (in its own process, on loopback),
// for ONTAP and CCE, side by side:
// - jobwait's clients (validation, normalization, redaction check, limiter, retries armed);
// - the floor: undici.request + JSON.parse on a keep-alive Agent, no validation;
// - a hand-written fetch + res.json() (Node's built-in fetch, its global keep-alive dispatcher);
// - for CCE, Huawei's official Node SDK (@huaweicloud/huaweicloud-sdk-cce showJob, AK/SK signed).
// Every contender runs once per round, in turn, so all see the same machine state; the figure is
// the median of the rounds.
// Run alone: npm run bench:poll   (env: ROUNDS, CALLS; BENCH_QUICK=1 for a smoke run)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { createCceClient } from 'jobwait/cce';
import { createOntapClient } from 'jobwait/ontap';

const quick = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.ROUNDS ?? (quick ? 3 : 21));
const CALLS = Number(process.env.CALLS ?? (quick ? 20 : 250));
const WARMUP = quick ? 10 : 200;

// Huawei's SDK is CommonJS; its core requires `uuid` without declaring it (installed alongside).
const require = createRequire(import.meta.url);
const hwCore = require('@huaweicloud/huaweicloud-sdk-core');
const hwCce = require('@huaweicloud/huaweicloud-sdk-cce');
const hwVersion = require('@huaweicloud/huaweicloud-sdk-cce/package.json').version;

const server = spawn(process.execPath, [new URL('./sim-server.mjs', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
const [line] = await once(createInterface({ input: server.stdout }), 'line');
const ids = JSON.parse(line);
const origin = new URL(ids.url).origin;
const project = '063a3158b1a34710b36ad208b9497d00';
const ontapPath = `/api/cluster/jobs/${ids.ontap}`;
const ccePath = `/api/v3/projects/${project}/jobs/${ids.cce}`;
const basic = `Basic ${Buffer.from('admin:bench-password').toString('base64')}`;

const agent = new Agent();
const floor = (path, headers) => async () => {
  const res = await request(origin, { path, method: 'GET', headers: { accept: 'application/json', ...headers }, dispatcher: agent });
  return JSON.parse(await res.body.text());
};
const handFetch = (path, headers) => async () => {
  const res = await fetch(origin + path, { headers: { accept: 'application/json', ...headers } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
};

const ontap = createOntapClient({ baseUrl: ids.url, auth: { username: 'admin', password: 'bench-password' } });
const cceToken = createCceClient({ endpoint: ids.url, projectId: project, auth: { token: 'bench-token' } });
const cceAksk = createCceClient({ endpoint: ids.url, projectId: project, auth: { accessKey: 'bench-ak', secretKey: 'bench-sk' } });
const hwCredentials = new hwCore.BasicCredentials().withAk('bench-ak').withSk('bench-sk').withProjectId(project);
const hwClient = hwCce.CceClient.newBuilder().withCredential(hwCredentials).withEndpoint(ids.url).build();

const groups = {
  ONTAP: {
    'jobwait getJob': () => ontap.getJob(ids.ontap),
    floor: floor(ontapPath, { authorization: basic }),
    'hand-written fetch + res.json()': handFetch(ontapPath, { authorization: basic }),
  },
  CCE: {
    'jobwait getJob (token)': () => cceToken.getJob(ids.cce),
    'jobwait getJob (AK/SK signed)': () => cceAksk.getJob(ids.cce),
    floor: floor(ccePath, { 'x-auth-token': 'bench-token' }),
    'hand-written fetch + res.json() (token)': handFetch(ccePath, { 'x-auth-token': 'bench-token' }),
    [`Huawei SDK ${hwVersion} showJob (AK/SK signed)`]: () => hwClient.showJob(new hwCce.ShowJobRequest().withJobId(ids.cce)),
  },
};

// Every contender must really read the job, or its time means nothing.
const check = {
  'jobwait getJob': (j) => j.id === ids.ontap && j.state === 'running',
  'jobwait getJob (token)': (j) => j.id === ids.cce && j.state === 'running',
  'jobwait getJob (AK/SK signed)': (j) => j.id === ids.cce && j.state === 'running',
};
async function timeRound(c) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await c.fn();
  const wall = Number(process.hrtime.bigint() - start) / 1000 / CALLS;
  const used = process.cpuUsage(cpu);
  c.cpu.push((used.user + used.system) / CALLS);
  return wall;
}

const contenders = Object.entries(groups).flatMap(([group, fns]) => Object.entries(fns).map(([name, fn]) => ({ group, name, fn, samples: [], cpu: [] })));
for (const c of contenders) {
  const first = await c.fn();
  const ok = check[c.name]?.(first) ?? JSON.stringify(first).includes(c.group === 'ONTAP' ? ids.ontap : ids.cce);
  if (!ok) throw new Error(`${c.group} ${c.name} did not read the job: ${JSON.stringify(first).slice(0, 200)}`);
  for (let i = 0; i < WARMUP; i++) await c.fn();
}
for (let round = 0; round < ROUNDS; round++) {
  for (const c of contenders) c.samples.push(await timeRound(c));
  process.stderr.write(`poll-cost: round ${round + 1}/${ROUNDS}\n`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const out = [];
out.push('## Per-poll cost');
out.push('');
out.push(
  `Microseconds per \`getJob\` of a running job against the simulator in another process on loopback, one request at a time: ` +
    `median of ${ROUNDS} rounds of ${CALLS} calls, every contender once per round in turn. ` +
    'The floor is `undici.request` + `JSON.parse` on a keep-alive Agent, with no validation. ' +
    "The simulator checks credentials, including the AK/SK signature, as the vendor's gateway does. " +
    'Client CPU is the user + system time of the benchmark process per call (the simulator runs elsewhere): what the client itself costs.',
);
out.push('');
out.push('| vendor | client | µs per getJob | ratio to floor | client CPU µs per getJob |');
out.push('|---|---|---|---|---|');
const results = {};
for (const [group] of Object.entries(groups)) {
  const rows = contenders.filter((c) => c.group === group);
  const floorSamples = rows.find((c) => c.name === 'floor').samples;
  for (const c of rows) {
    const us = median(c.samples);
    // The ratio is the median of each round's ratio to the same round's floor: the machine's drift
    // between rounds (the simulator shares its cores) cancels out.
    const ratio = median(c.samples.map((sample, round) => sample / floorSamples[round]));
    results[`${group} ${c.name}`] = ratio;
    out.push(`| ${group} | ${c.name} | ${us.toFixed(1)} | ${ratio.toFixed(2)}x | ${median(c.cpu).toFixed(1)} |`);
  }
}
const sdk = Object.keys(results).find((k) => k.startsWith('CCE Huawei SDK'));
const worst = Math.max(results['ONTAP jobwait getJob'], results['CCE jobwait getJob (token)'], results['CCE jobwait getJob (AK/SK signed)']);
out.push('');
out.push(
  `Target: jobwait within 1.25x of the floor (worst here: ${worst.toFixed(2)}x, ${worst <= 1.25 ? 'met' : 'NOT met'}); ` +
    `Huawei's SDK takes ${(results[sdk] / results['CCE jobwait getJob (AK/SK signed)']).toFixed(1)}x the time of jobwait's AK/SK-signed getJob.`,
);
out.push('');
out.push('Command: `npm run bench:poll`');
console.log(out.join('\n'));

await Promise.all([ontap.close(), cceToken.close(), cceAksk.close(), agent.close()]);
server.stdin.end();
await once(server, 'exit');
