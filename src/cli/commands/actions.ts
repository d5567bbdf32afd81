import { createClientFromConfig, parseVendor } from '../config.js';
import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { chooseMode, Reporter } from '../output.js';
import { timingOptions, waitOutcome } from './wait.js';
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
  if (args.flags.wait && action !== 'cancel') throw new UsageError(`--wait goes with cancel only: a ${action}d job does not end`);
  const client = await createClientFromConfig(vendor, context.config);
  try {
    await jobs.act(client, action, id, { signal });
    io.stdout.write(args.flags.json ? `${JSON.stringify({ type: 'action', action, vendor: vendor.name, id, status: 'accepted' })}\n` : `${action} accepted for ${vendor.name} job ${id}\n`);
    if (!args.flags.wait) return EXIT.SUCCEEDED;
    // The cancel was accepted: wait for the job to end, whatever end it reaches.
    const reporter = new Reporter(chooseMode(args.flags.json, io.stderr), io);
    try {
      reporter.track(vendor.name, id);
      const outcome = await waitOutcome(client, vendor.name, id, {
        signal,
        throwOnFailure: false,
        ...timingOptions(args.flags),
        onProgress: (snapshot) => reporter.snapshot(snapshot),
      });
      reporter.outcomes([outcome]);
      return outcome.exitCode;
    } finally {
      reporter.close();
    }
  } finally {
    await client.close();
  }
}
