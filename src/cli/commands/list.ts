import type { Job } from '../../model/job.js';
import { commandFlags, createClientFromConfig, parseVendor } from '../config.js';
import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { jsonLine, terminalSafe } from '../terminal-text.js';

/**
 * `jobwait list <vendor> [--state S] [--max-records N]`: a header line, then one line per job,
 * every page (or one NDJSON object per job, without a header), for a vendor with a job list; at
 * most N jobs.
 */
export async function listCommand(context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  const [vendorText, ...extra] = args.positionals;
  const vendor = parseVendor(vendorText, context.config.vendors);
  const jobs = vendor.cli.jobs;
  if (!jobs) throw new UsageError(`list works for ${jobNames(context)} only: ${vendor.title} has no job list API`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0]?.slice(0, 40))}`);
  const { state, maxRecords } = args.flags;
  const flag = commandFlags(context.config, vendor, 'list');
  const client = await createClientFromConfig(vendor, context.config);
  try {
    const table = args.flags.json ? undefined : new ListTable((text) => io.stdout.write(text));
    let count = 0;
    for await (const job of jobs.list(client, { state, maxRecords, flag }, { signal })) {
      if (table) table.row(job);
      else io.stdout.write(jsonLine({ type: 'job', job }));
      count += 1;
      // A vendor without a limit of its own, or one that sends more: stop here.
      if (maxRecords !== undefined && count >= maxRecords) break;
    }
    table?.end();
    return EXIT.SUCCEEDED;
  } finally {
    await client.close();
  }
}

/** The columns of `list`'s table, in order. */
const LIST_COLUMNS = ['ID', 'STATE', 'DESCRIPTION'] as const;

/** The width of the STATE column: ONTAP's longest state word is 7 letters. */
const STATE_WIDTH = 8;

/**
 * `list`'s table, streamed: each job is printed as it comes, so the widths are the first row's
 * (an id as long as the first one), and the header comes before the first row (or alone, for no
 * job).
 */
class ListTable {
  #widths: readonly number[] | undefined;

  constructor(readonly write: (text: string) => unknown) {}

  row(job: Job): void {
    const cells = [job.id, job.vendorState, (job.description ?? '').replace(/\s+/g, ' ')];
    if (this.#widths === undefined) this.#header([Math.max(LIST_COLUMNS[0].length, job.id.length), STATE_WIDTH]);
    this.#line(cells);
  }

  /** After the last row: the header, when there was no row. */
  end(): void {
    if (this.#widths === undefined) this.#header([LIST_COLUMNS[0].length, STATE_WIDTH]);
  }

  #header(widths: readonly number[]): void {
    this.#widths = widths;
    this.#line(LIST_COLUMNS);
  }

  #line(cells: readonly string[]): void {
    const text = cells.map((cell, i) => cell.padEnd(this.#widths?.[i] ?? 0)).join('  ').trimEnd();
    this.write(`${terminalSafe(text)}\n`);
  }
}

/** The vendors with job commands (`list`, `cancel`…), for messages: `ontap`. */
export function jobNames(context: CommandContext): string {
  return context.config.vendors
    .filter((vendor) => vendor.cli.jobs)
    .map((vendor) => vendor.name)
    .join(', ');
}
