// Runs every benchmark part, each in a process of its own, and writes bench/RESULTS.md: the machine,
// each part's tables, and the commands that made them.
// Run: npm run bench            (all parts; builds first; each part alone: npm run bench:poll, …, bench:durable)
//      node bench/run.mjs scale  (some parts, after npm run build; still rewrites RESULTS.md)
//      node bench/run.mjs --quick --out=/tmp/r.md   (every part small: a smoke test, run by .ci/run)
// --quick (or BENCH_QUICK=1) runs every part small, and the file says so; --out (or BENCH_OUT) sets the file.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

const PARTS = {
  poll: { file: 'poll-cost.mjs', title: 'Per-poll cost' },
  scale: { file: 'scale.mjs', title: 'Scale' },
  schedule: { file: 'schedule.mjs', title: 'Schedule quality' },
  batching: { file: 'batching.mjs', title: 'Batching' },
  durable: { file: 'durable.mjs', title: 'Durable waits (jobwait/bullmq)' },
};
const args = process.argv.slice(2);
const chosen = args.filter((arg) => !arg.startsWith('--'));
for (const name of chosen) if (!(name in PARTS)) throw new Error(`unknown part ${name}; parts: ${Object.keys(PARTS).join(', ')}`);
const parts = chosen.length > 0 ? chosen : Object.keys(PARTS);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const outFile = args.find((arg) => arg.startsWith('--out='))?.slice('--out='.length) ?? process.env.BENCH_OUT ?? new URL('./RESULTS.md', import.meta.url).pathname;

const require = createRequire(import.meta.url);
const version = (name) => {
  try {
    return require(`${name}/package.json`).version;
  } catch {
    return 'not installed';
  }
};
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
})();

const started = performance.now();
const sections = [];
let failed = false;
for (const name of parts) {
  const part = PARTS[name];
  process.stderr.write(`bench: ${part.title} (bench/${part.file})\n`);
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--expose-gc', new URL(`./${part.file}`, import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...(quick ? { BENCH_QUICK: '1' } : {}) },
  });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const [code] = await once(child, 'exit');
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) {
    failed = true;
    sections.push(`## ${part.title}\n\n**This part failed (exit ${code}).**\n\n${stdout.trim()}`);
  } else {
    sections.push(`${stdout.trim()}\n\n(${seconds.toFixed(0)} s)`);
  }
}

const cpus = os.cpus();
const header = [
  '# Benchmark results',
  '',
  quick ? '**Quick run (BENCH_QUICK=1): small sizes for a smoke test, not figures to quote.**\n' : '',
  `Made by \`${quick ? 'npm run bench:smoke' : chosen.length > 0 ? `node bench/run.mjs ${chosen.join(' ')}` : 'npm run bench'}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, jobwait ${version('jobwait')} at commit ${commit}, in ${((performance.now() - started) / 60_000).toFixed(1)} min.`,
  '',
  '| machine | |',
  '|---|---|',
  `| CPU | ${cpus[0]?.model.trim() ?? 'unknown'} |`,
  `| cores | ${os.availableParallelism()} |`,
  `| memory | ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB |`,
  `| OS | ${os.type()} ${os.release()} ${os.arch()} |`,
  `| Node.js | ${process.version} |`,
  `| undici | ${version('undici')} |`,
  `| zod | ${version('zod')} |`,
  `| BullMQ, ioredis | ${version('bullmq')}, ${version('ioredis')} (bench/durable.mjs) |`,
  `| alternatives | @huaweicloud/huaweicloud-sdk-cce ${version('@huaweicloud/huaweicloud-sdk-cce')} (core ${version('@huaweicloud/huaweicloud-sdk-core')}), @smithy/util-waiter ${version('@smithy/util-waiter')} |`,
  '',
  'Each part runs in a process of its own, one after another; the simulator runs on loopback (in another process where a part says so). ' +
    'Ratios compare contenders measured in the same run, on the same machine.',
].filter((line, i, all) => line !== '' || all[i - 1] !== '');
writeFileSync(outFile, `${[header.join('\n'), ...sections].join('\n\n')}\n`);
process.stderr.write(`bench: wrote ${outFile} in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
if (failed) process.exitCode = 1;
