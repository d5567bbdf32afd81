import { createClientFromConfig, parseVendor } from '../config.js';
import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { jobNames } from './list.js';

export const ACTIONS = ['cancel', 'pause', 'resume'] as const;
export type Action = (typeof ACTIONS)[number];

/** `jobwait cancel|pause|resume <vendor> <id>`: asks the vendor to act on the job, for a vendor with job commands. */
export async function actionCommand(action: Action, context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  const [vendorText, id, ...extra] = args.positionals;
  const vendor = parseVendor(vendorText, context.config.vendors);
  const jobs = vendor.cli.jobs;
  if (!jobs) throw new UsageError(`${action} works for ${jobNames(context)} jobs only`);
  if (!id) throw new UsageError(`the ${jobs.idLabel} is missing: jobwait ${action} ${vendor.name} <${jobs.idLabel}>`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0]?.slice(0, 40))}`);
  const client = await createClientFromConfig(vendor, context.config);
  try {
    await jobs.act(client, action, id, { signal });
    io.stdout.write(args.flags.json ? `${JSON.stringify({ type: 'action', action, vendor: vendor.name, id, status: 'accepted' })}\n` : `${action} accepted for ${vendor.name} job ${id}\n`);
    return EXIT.SUCCEEDED;
  } finally {
    await client.close();
  }
}
