import { createClientFromConfig, parseVendor } from '../config.js';
import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { describeJobText } from '../output.js';
import { jsonLine } from '../terminal-text.js';

/** `jobwait get <vendor> <id>`: prints the job once. Exits 0 whatever the job's state. */
export async function getCommand(context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  const [vendorText, id, ...extra] = args.positionals;
  const vendor = parseVendor(vendorText, context.config.vendors);
  if (!id) throw new UsageError(`the job id is missing: jobwait get ${vendor.name} <job id>`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0]?.slice(0, 40))}`);
  const client = await createClientFromConfig(vendor, context.config);
  try {
    const job = await client.getJob(id, { signal });
    io.stdout.write(args.flags.json ? jsonLine({ type: 'job', job }) : describeJobText(job));
    return EXIT.SUCCEEDED;
  } finally {
    await client.close();
  }
}
