import { createOntapFromConfig, parseVendor } from '../config.js';
import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { jsonLine, terminalSafe } from '../terminal-text.js';

/** `jobwait list ontap [--state S]`: one line (or one NDJSON object) per job, every page. */
export async function listCommand(context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  const [vendorText, ...extra] = args.positionals;
  const vendor = parseVendor(vendorText);
  if (vendor !== 'ontap') throw new UsageError(`list works for ontap only: ${vendor.toUpperCase()} has no job list API`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0]?.slice(0, 40))}`);
  const client = await createOntapFromConfig(context.config);
  try {
    const query = args.flags.state === undefined ? {} : { state: args.flags.state };
    for await (const job of client.listJobs(query, { signal })) {
      if (args.flags.json) io.stdout.write(jsonLine({ type: 'job', job }));
      else io.stdout.write(`${terminalSafe(`${job.id}  ${job.vendorState.padEnd(8)}  ${(job.description ?? '').replace(/\s+/g, ' ')}`)}\n`);
    }
    return EXIT.SUCCEEDED;
  } finally {
    await client.close();
  }
}
