// Per-poll cost: microseconds per getJob against the simulator (in its own process, on loopback),
// for ONTAP and CCE, side by side:
// - jobwait's clients (validation, normalization, redaction check, limiter, retries armed);
// - the floor: undici.request + JSON.parse on a keep-alive Agent, no validation (for CCE AK/SK, each
//   request signed with jobwait's own signer (bench/internals.ts), as a hand-written client signs it);
// - a hand-written fetch + res.json() (Node's built-in fetch, its global keep-alive dispatcher);
// - for CCE AK/SK, Huawei's official Node SDK (@huaweicloud/huaweicloud-sdk-cce showJob).
// The simulators demand credentials of every request (bench/sim-server.mjs), and the run stops at
// the first refused one: every figure is of a verified request.
// Every contender runs once per round, in turn, so all see the same machine state; the figure is
// the median of the rounds.
// Run alone: npm run bench:poll   (env: ROUNDS, CALLS; BENCH_QUICK=1 for a smoke run)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { createCceClient } from 'jobwait/cce';
import { formatSdkDate, signRequest } from '../dist/bench-internals.js';
import { createOntapClient } from 'jobwait/ontap';
import { BENCH_CCE_AKSK, BENCH_CCE_TOKEN, BENCH_ONTAP } from './credentials.mjs';

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
const akskOrigin = new URL(ids.akskUrl).origin;
const project = '063a3158b1a34710b36ad208b9497d00';
const ontapPath = `/api/cluster/jobs/${ids.ontap}`;
const ccePath = `/api/v3/projects/${project}/jobs/${ids.cce}`;
const basic = `Basic ${Buffer.from(`${BENCH_ONTAP.username}:${BENCH_ONTAP.password}`).toString('base64')}`;

// A refused request must stop the run, not be timed: the floor and fetch check the status, as a
// hand-written client does; jobwait's clients and Huawei's SDK throw on their own.
const refused = (status, where) => new Error(`${where}: HTTP ${status}; the simulator refused the request, so this row would not be verified`);
const agent = new Agent();
const floor = (base, path, headers) => async () => {
  const res = await request(base, { path, method: 'GET', headers: { accept: 'application/json', ...headers() }, dispatcher: agent });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw refused(res.statusCode, `floor ${path}`);
  return JSON.parse(text);
};
const handFetch = (base, path, headers) => async () => {
  const res = await fetch(base + path, { headers: { accept: 'application/json', ...headers() } });
  if (!res.ok) throw refused(res.status, `fetch ${path}`);
  return res.json();
};
// What a hand-written AK/SK client adds to each request: X-Sdk-Date, X-Project-Id, Authorization.
const akskHost = new URL(akskOrigin).host;
const akskHeaders = (secretKey = BENCH_CCE_AKSK.secretKey) => () => {
  const headers = { host: akskHost, 'x-sdk-date': formatSdkDate(new Date()), 'x-project-id': project };
  const { authorization } = signRequest({ method: 'GET', path: ccePath, headers }, BENCH_CCE_AKSK.accessKey, secretKey);
  return { ...headers, authorization };
};
const fixed = (headers) => () => headers;

const ontap = createOntapClient({ baseUrl: ids.url, auth: BENCH_ONTAP });
const cceToken = createCceClient({ endpoint: ids.url, projectId: project, auth: { token: BENCH_CCE_TOKEN } });
const cceAksk = createCceClient({ endpoint: ids.akskUrl, projectId: project, auth: BENCH_CCE_AKSK });
const hwCredentials = new hwCore.BasicCredentials().withAk(BENCH_CCE_AKSK.accessKey).withSk(BENCH_CCE_AKSK.secretKey).withProjectId(project);
const hwClient = hwCce.CceClient.newBuilder().withCredential(hwCredentials).withEndpoint(ids.akskUrl).build();

const groups = {
  ONTAP: {
    'jobwait getJob': () => ontap.getJob(ids.ontap),
    floor: floor(origin, ontapPath, fixed({ authorization: basic })),
    'hand-written fetch + res.json()': handFetch(origin, ontapPath, fixed({ authorization: basic })),
  },
  'CCE token': {
    'jobwait getJob': () => cceToken.getJob(ids.cce),
    floor: floor(origin, ccePath, fixed({ 'x-auth-token': BENCH_CCE_TOKEN })),
    'hand-written fetch + res.json()': handFetch(origin, ccePath, fixed({ 'x-auth-token': BENCH_CCE_TOKEN })),
  },
  'CCE AK/SK': {
    'jobwait getJob': () => cceAksk.getJob(ids.cce),
    floor: floor(akskOrigin, ccePath, akskHeaders()),
    'hand-written fetch + res.json()': handFetch(akskOrigin, ccePath, akskHeaders()),
    [`Huawei SDK ${hwVersion} showJob`]: () => hwClient.showJob(new hwCce.ShowJobRequest().withJobId(ids.cce)),
  },
};

// The simulators must refuse a wrong credential, or the rows below would be measured unchecked.
const wrong = {
  ONTAP: floor(origin, ontapPath, fixed({ authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` })),
  'CCE token': floor(origin, ccePath, fixed({ 'x-auth-token': `${BENCH_CCE_TOKEN}-wrong` })),
  'CCE AK/SK': floor(akskOrigin, ccePath, akskHeaders(`${BENCH_CCE_AKSK.secretKey}-wrong`)),
};
for (const [group, fn] of Object.entries(wrong)) {
  const error = await fn().then(
    () => undefined,
    (caught) => caught,
  );
  if (!/HTTP 401;/.test(String(error?.message))) throw new Error(`${group}: the simulator let a wrong credential through (${error?.message ?? 'answered 200'}); it must check every request`);
}

// Every contender must really read the job, or its time means nothing.
const isJob = (id) => (j) => j.id === id && j.state === 'running';
const check = {
  'ONTAP jobwait getJob': isJob(ids.ontap),
  'CCE token jobwait getJob': isJob(ids.cce),
  'CCE AK/SK jobwait getJob': isJob(ids.cce),
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
  const ok = check[`${c.group} ${c.name}`]?.(first) ?? JSON.stringify(first).includes(c.group === 'ONTAP' ? ids.ontap : ids.cce);
  if (!ok) throw new Error(`${c.group} ${c.name} did not read the job: ${JSON.stringify(first).slice(0, 200)}`);
  for (let i = 0; i < WARMUP; i++) await c.fn();
}
for (let round = 0; round < ROUNDS; round++) {
  for (const c of contenders) c.samples.push(await timeRound(c));
  process.stderr.write(`poll-cost: round ${round + 1}/${ROUNDS}\n`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const groupSamples = (group, name) => contenders.find((c) => c.group === group && c.name === name).samples;

const out = [];
out.push('## Per-poll cost');
out.push('');
out.push(
  `Microseconds per \`getJob\` of a running job against the simulator in another process on loopback, one request at a time: ` +
    `median of ${ROUNDS} rounds of ${CALLS} calls, every contender once per round in turn. ` +
    'The floor is `undici.request` + `JSON.parse` on a keep-alive Agent, with no validation; for CCE AK/SK it also signs each request ' +
    "with jobwait's own signer (the one its client uses), as a hand-written client must sign, and so does the hand-written fetch. " +
    "The simulator checks every contender's credentials as the vendor does (ONTAP basic auth, CCE's token, and the AK/SK signature " +
    "recomputed as Huawei's gateway does), and the run stops at the first request it refuses. " +
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
const sdk = Object.keys(results).find((k) => k.startsWith('CCE AK/SK Huawei SDK'));
const worst = Math.max(results['ONTAP jobwait getJob'], results['CCE token jobwait getJob'], results['CCE AK/SK jobwait getJob']);
// jobwait's signed getJob against the unsigned (token) floor of the same round: signing included.
const akskVsToken = median(groupSamples('CCE AK/SK', 'jobwait getJob').map((sample, round) => sample / groupSamples('CCE token', 'floor')[round]));
out.push('');
out.push(
  `Target: jobwait within 1.25x of the floor (worst here: ${worst.toFixed(2)}x, ${worst <= 1.25 ? 'met' : 'NOT met'}); ` +
    `jobwait's AK/SK-signed getJob is ${akskVsToken.toFixed(2)}x the unsigned (token) floor, signing included; ` +
    `Huawei's SDK takes ${(results[sdk] / results['CCE AK/SK jobwait getJob']).toFixed(1)}x the time of jobwait's AK/SK-signed getJob.`,
);
out.push('');
out.push('Command: `npm run bench:poll`');
console.log(out.join('\n'));

await Promise.all([ontap.close(), cceToken.close(), cceAksk.close(), agent.close()]);
server.stdin.end();
await once(server, 'exit');
