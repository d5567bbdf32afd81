import { createClientFromConfig, parseVendor } from '../config.js';
import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { jsonLine, terminalSafe } from '../terminal-text.js';

/** `jobwait list <vendor> [--state S]`: one line (or one NDJSON object) per job, every page, for a vendor with a job list. */
export async function listCommand(context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  const [vendorText, ...extra] = args.positionals;
  const vendor = parseVendor(vendorText, context.config.vendors);
  const jobs = vendor.cli.jobs;
  if (!jobs) throw new UsageError(`list works for ${jobNames(context)} only: ${vendor.title} has no job list API`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0]?.slice(0, 40))}`);
  const client = await createClientFromConfig(vendor, context.config);
  try {
    for await (const job of jobs.list(client, args.flags.state, { signal })) {
      if (args.flags.json) io.stdout.write(jsonLine({ type: 'job', job }));
      else io.stdout.write(`${terminalSafe(`${job.id}  ${job.vendorState.padEnd(8)}  ${(job.description ?? '').replace(/\s+/g, ' ')}`)}\n`);
    }
    return EXIT.SUCCEEDED;
  } finally {
    await client.close();
  }
}

/** The vendors with job commands (`list`, `cancel`…), for messages: `ontap`. */
export function jobNames(context: CommandContext): string {
  return context.config.vendors
    .filter((vendor) => vendor.cli.jobs)
    .map((vendor) => vendor.name)
    .join(', ');
}
