import { createOntapFromConfig, parseVendor } from '../config.js';
import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';

export const ACTIONS = ['cancel', 'pause', 'resume'] as const;
export type Action = (typeof ACTIONS)[number];

/** `jobwait cancel|pause|resume ontap <id>`: asks ONTAP to act on the job. */
export async function actionCommand(action: Action, context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  const [vendorText, id, ...extra] = args.positionals;
  const vendor = parseVendor(vendorText);
  if (vendor !== 'ontap') throw new UsageError(`${action} works for ontap jobs only`);
  if (!id) throw new UsageError(`usage: jobwait ${action} ontap <job uuid>`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0]?.slice(0, 40))}`);
  const client = await createOntapFromConfig(context.config);
  try {
    const options = { signal };
    if (action === 'cancel') await client.cancelJob(id, options);
    else if (action === 'pause') await client.pauseJob(id, options);
    else await client.resumeJob(id, options);
    io.stdout.write(args.flags.json ? `${JSON.stringify({ type: 'action', action, vendor, id, status: 'accepted' })}\n` : `${action} accepted for ontap job ${id}\n`);
    return EXIT.SUCCEEDED;
  } finally {
    await client.close();
  }
}
