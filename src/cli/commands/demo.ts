import type { JobClient } from '../../client/job-client.js';
import type { Job } from '../../model/job.js';
import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { chooseMode, formatElapsed, Reporter, type Outcome } from '../output.js';
import { jsonLine, terminalSafe } from '../terminal-text.js';
import { startScenario } from '../scenario.js';
import { exitCodeOfJob, outcomeOfError, resolvedOutcome } from './wait.js';

/** One row of the demo's summary. */
export interface DemoRow {
  vendor: string;
  id: string;
  expected: string;
  outcome: string;
  detail: string;
  match: boolean;
}

interface DemoWait {
  vendor: string;
  client: JobClient;
  id: string;
  expected: string;
  matches: (job: Job) => boolean;
}

/**
 * `jobwait demo`: the simulator on loopback with one scripted job per vendor (the registry's), all
 * waited on at once with live progress, then a summary table. Exits 0 when every outcome matches its script.
 */
export async function demoCommand(context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  if (args.positionals.length > 0) throw new UsageError(`demo takes no arguments (got ${JSON.stringify(args.positionals[0]?.slice(0, 40))})`);
  const started = Date.now();
  const { sim, scenario } = await startScenario(context.config.vendors, { demo: true });
  const clientOptions = { retry: false as const, requestTimeoutMs: 5_000 };
  const waits: DemoWait[] = scenario.main.map(({ vendor, id }) => ({
    vendor: vendor.name,
    client: vendor.cli.scenario.demoClient(sim.url, clientOptions),
    id,
    expected: vendor.cli.scenario.expected,
    matches: (job: Job) => vendor.cli.scenario.matches(job),
  }));
  const reporter = new Reporter(chooseMode(args.flags.json, io.stderr), io);
  try {
    for (const wait of waits) reporter.track(wait.vendor, wait.id);
    const results = await Promise.all(
      waits.map(async (wait): Promise<{ wait: DemoWait; outcome: Outcome }> => {
        let outcome: Outcome;
        try {
          const job = await wait.client.waitForJob(wait.id, {
            signal,
            timeoutMs: 15_000,
            minDelayMs: args.flags.minDelayMs ?? 200,
            maxDelayMs: args.flags.maxDelayMs ?? 400,
            throwOnFailure: false,
            onProgress: (snapshot) => reporter.snapshot(snapshot),
          });
          outcome = { ...resolvedOutcome(wait.vendor, wait.id, job), exitCode: exitCodeOfJob(job) };
        } catch (error) {
          outcome = outcomeOfError(wait.vendor, wait.id, error);
        }
        reporter.outcome(outcome);
        return { wait, outcome };
      }),
    );
    reporter.close();
    if (results.some(({ outcome }) => outcome.status === 'interrupted')) return EXIT.INTERRUPTED;
    const rows: DemoRow[] = results.map(({ wait, outcome }) => ({
      vendor: wait.vendor,
      id: wait.id,
      expected: wait.expected,
      outcome: outcome.job ? `${outcome.job.state} (${outcome.job.vendorState})` : outcome.status,
      detail: detailOf(outcome),
      match: outcome.job !== undefined && outcome.error === undefined && wait.matches(outcome.job),
    }));
    const ok = rows.every((row) => row.match);
    const elapsedMs = Date.now() - started;
    if (args.flags.json) io.stdout.write(jsonLine({ type: 'summary', ok, elapsedMs, rows }));
    else io.stdout.write(`\n${terminalSafe(summaryTable(rows))}\n${ok ? 'Every outcome matches its script' : 'Some outcomes do not match their script'} (${formatElapsed(elapsedMs)}).\n`);
    return ok ? EXIT.SUCCEEDED : EXIT.FAILED;
  } finally {
    reporter.close();
    await Promise.allSettled(waits.map((wait) => wait.client.close()));
    await sim.close();
  }
}

function detailOf(outcome: Outcome): string {
  const job = outcome.job;
  if (outcome.error !== undefined) return outcome.error instanceof Error ? outcome.error.message.slice(0, 60) : String(outcome.error);
  if (!job) return '';
  const failed = job.tasks.find((task) => task.state === 'failed');
  if (failed) return `task ${failed.name ?? failed.id}: ${failed.error?.code ? `${failed.error.code} ` : ''}${failed.error?.message ?? ''}`.trim();
  const tasks = job.progress ? `${job.progress.completed}/${job.progress.total} tasks` : '';
  return [tasks, job.message].filter(Boolean).join(', ');
}

/** The summary as an aligned text table. */
export function summaryTable(rows: readonly DemoRow[]): string {
  const header = ['VENDOR', 'JOB', 'EXPECTED', 'OUTCOME', 'DETAIL', 'MATCH'];
  const body = rows.map((row) => [row.vendor, row.id, row.expected, row.outcome, row.detail, row.match ? 'yes' : 'NO']);
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const format = (cells: readonly string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...body.map(format)].join('\n');
}
