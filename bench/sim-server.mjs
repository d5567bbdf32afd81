// The simulator in a process of its own, so a benchmark's client is measured alone.
// Prints one JSON line: the URL and the ids of an ONTAP job and a CCE job that stay running.
// Without arguments (bench/poll-cost.mjs) every request must carry bench/credentials.mjs's
// credentials, as on the vendors' APIs: ONTAP's basic auth and CCE's token on `url`, and CCE's
// AK/SK signature on `akskUrl`, a second simulator with the same CCE job (a gateway of the
// simulator takes a token or a key pair, not both).
//
// With arguments it also scripts a fleet of ONTAP jobs (bench/scale.mjs):
//   --ontap-jobs N     that many jobs, each running until a seeded-random time within the window
//                      (counted from when the jobs are added), then success, or failure for a share;
//   --window-ms W      the window (default 30000);
//   --seed S           the seed (default 7);
//   --fail-ratio R     the share that ends in failure (default 0.1);
//   --jobs-file PATH   write the jobs there instead of into the JSON line (for 100,000 jobs).
// The JSON line then also holds `jobs` (or `jobsFile`): [[uuid, 'success' | 'failure', endMs, endAt], ...],
// `createdAt` (Date.now() once every job was added) and `endAtSlackMs`. A job's clock starts when it
// is added (the simulator's Lifecycle takes Date.now() in addJob), so its end is that instant plus
// endMs: endAt is Date.now() read just before addJob, plus endMs, an epoch in ms on this machine's
// clock, which a benchmark in another process compares with its own Date.now(). endAt is early by at
// most endAtSlackMs (the largest change of Date.now() across one addJob call; 0 when exact).
// Each line `count` on stdin is answered
// with a JSON line { requests, rssBytes, maxRssBytes }: the requests received so far (counted,
// not kept: the recorded requests are dropped as they come) and this process's memory.
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startSimulator } from 'jobwait/testing';
import { BENCH_CCE_AKSK, BENCH_CCE_TOKEN, BENCH_ONTAP } from './credentials.mjs';
import { mulberry32 } from './random.mjs';

const { values: args } = parseArgs({
  options: {
    'ontap-jobs': { type: 'string' },
    'window-ms': { type: 'string' },
    seed: { type: 'string' },
    'fail-ratio': { type: 'string' },
    'jobs-file': { type: 'string' },
  },
});

const sim = await startSimulator();
const ontap = sim.ontap.addJob({ description: 'benchmark job', steps: [{ state: 'running', message: 'creating_node_backups' }] });
const cce = sim.cce.addJob({ steps: [{ phase: 'Running', subJobPhases: ['Success', 'Running'] }] });

if (Object.keys(args).length === 0) {
  sim.ontap.credentials = BENCH_ONTAP;
  sim.cce.auth = { token: BENCH_CCE_TOKEN };
  const aksk = await startSimulator();
  aksk.cce.auth = BENCH_CCE_AKSK;
  aksk.cce.addJob({ uid: cce, steps: [{ phase: 'Running', subJobPhases: ['Success', 'Running'] }] });
  process.stdout.write(`${JSON.stringify({ url: sim.url, akskUrl: aksk.url, ontap, cce })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => Promise.all([sim.close(), aksk.close()]).then(() => process.exit(0)));
} else {
  const count = Number(args['ontap-jobs'] ?? 0);
  const windowMs = Number(args['window-ms'] ?? 30_000);
  const failRatio = Number(args['fail-ratio'] ?? 0.1);
  const random = mulberry32(Number(args.seed ?? 7));
  const jobs = [];
  let endAtSlackMs = 0;
  for (let i = 0; i < count; i++) {
    const endMs = Math.floor(random() * windowMs);
    const fails = random() < failRatio;
    const end = fails
      ? { state: 'failure', message: 'scripted failure', code: 460770, error: { code: '460770', message: 'scripted failure' } }
      : { state: 'success', message: 'Complete: Successful', code: 0 };
    const addedAt = Date.now();
    const uuid = sim.ontap.addJob({ description: `scale job ${i}`, steps: [{ state: 'running', message: 'working', ms: endMs }, end] });
    endAtSlackMs = Math.max(endAtSlackMs, Date.now() - addedAt);
    jobs.push([uuid, end.state, endMs, addedAt + endMs]);
  }
  const createdAt = Date.now();

  // Count requests instead of keeping them: tens of thousands of records would weigh on this process.
  let requests = 0;
  const drain = () => {
    requests += sim.requests.length;
    sim.requests.length = 0;
  };
  setInterval(drain, 200).unref();

  const line = { url: sim.url, ontap, cce, createdAt, endAtSlackMs };
  if (args['jobs-file']) {
    writeFileSync(args['jobs-file'], JSON.stringify(jobs));
    line.jobsFile = args['jobs-file'];
  } else {
    line.jobs = jobs;
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
  jobs.length = 0;

  const input = createInterface({ input: process.stdin });
  input.on('line', (command) => {
    if (command.trim() !== 'count') return;
    drain();
    process.stdout.write(`${JSON.stringify({ requests, rssBytes: process.memoryUsage.rss(), maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
  });
  input.on('close', () => sim.close().then(() => process.exit(0)));
}
