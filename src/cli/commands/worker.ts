import type { JobClient } from '../../client/job-client.js';
import { BULLMQ_DEFAULTS } from '../../bullmq/settings.js';
import { createRedactor } from '../../transport/redact.js';
import type { WaitWorker, WaitWorkerOptions } from '../../bullmq/worker.js';
import { createClientFromConfig, parseVendor } from '../config.js';
import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { terminalSafe } from '../terminal-text.js';

/** Where the workers' Redis is when neither `--redis` nor `JOBWAIT_REDIS_URL` says. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** A Redis URL (`redis://[user:password@]host[:port][/db]`, `rediss://` for TLS) as ioredis options. */
export function redisConnection(text: string): { options: NonNullable<WaitWorkerOptions['connection']>; password: string | undefined; shown: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('--redis must be a redis:// or rediss:// URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new UsageError('--redis must be a redis:// or rediss:// URL');
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined;
  if (db !== undefined && !Number.isInteger(db)) throw new UsageError('--redis: the database (the URL\'s path) must be a number');
  const decode = (part: string): string | undefined => {
    if (part === '') return undefined;
    try {
      return decodeURIComponent(part);
    } catch {
      throw new UsageError('--redis: the user or password has a stray %');
    }
  };
  const password = decode(url.password);
  const username = decode(url.username);
  const options = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 6379 : Number(url.port),
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    ...(db !== undefined && { db }),
    ...(url.protocol === 'rediss:' && { tls: {} }),
    // A worker's connection waits through an outage and goes on (BullMQ requires it of workers).
    maxRetriesPerRequest: null,
  };
  return { options, password, shown: `${url.protocol}//${url.host}${db === undefined ? '' : `/${db}`}` };
}

/**
 * `jobwait worker <vendor>[=NAME]…`: a worker of durable waits (`jobwait/bullmq`) with one client
 * per argument, from the same flags and variables as the other commands; each polls the waits
 * enqueued under NAME (the vendor's name by default). Runs until SIGINT or SIGTERM, then closes
 * cleanly (waits held go back unpolled, polls in flight end) and exits 0.
 */
export async function workerCommand(context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  const { flags } = args;
  if (args.positionals.length === 0) throw new UsageError('a vendor is required: jobwait worker <vendor>[=NAME]…');
  const names = new Map<string, string>();
  for (const positional of args.positionals) {
    const [vendorText = '', name, ...rest] = positional.split('=');
    if (rest.length > 0 || name === '') throw new UsageError(`${JSON.stringify(positional.slice(0, 40))} must be <vendor> or <vendor>=NAME`);
    const vendor = parseVendor(vendorText, context.config.vendors);
    const clientName = name ?? vendor.name;
    if (names.has(clientName)) throw new UsageError(`the name ${JSON.stringify(clientName.slice(0, 40))} is given twice`);
    names.set(clientName, vendor.name);
  }
  // An empty variable is unset, as for every other variable the CLI reads.
  const redis = redisConnection(flags.redis ?? (context.config.env['JOBWAIT_REDIS_URL'] || DEFAULT_REDIS_URL));
  const redact = createRedactor([redis.password]);
  const prefix = flags.prefix ?? (context.config.env['JOBWAIT_REDIS_PREFIX'] || undefined);
  let bullmq: typeof import('../../bullmq/worker.js');
  try {
    bullmq = await import('../../bullmq/worker.js');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new UsageError('jobwait worker needs the packages bullmq and ioredis: npm install bullmq ioredis (next to jobwait)');
    throw error;
  }
  const clients: Record<string, JobClient> = {};
  try {
    for (const [clientName, vendorName] of names) clients[clientName] = await createClientFromConfig(parseVendor(vendorName, context.config.vendors), context.config);
    const print = (line: string): void => {
      io.stderr.write(`jobwait worker: ${terminalSafe(redact(line))}\n`);
    };
    const worker: WaitWorker = bullmq.createWaitWorker({
      connection: redis.options,
      ...(prefix !== undefined && { prefix }),
      clients,
      ...(flags.concurrency !== undefined && { concurrency: flags.concurrency }),
      ...(flags.lockDurationMs !== undefined && { lockDurationMs: flags.lockDurationMs }),
      ...(flags.stalledIntervalMs !== undefined && { stalledIntervalMs: flags.stalledIntervalMs }),
      onError: bullmq.dedupedReporter(print),
    });
    const described = [...names].map(([clientName, vendorName]) => (clientName === vendorName ? clientName : `${clientName} (${vendorName})`)).join(', ');
    print(`polling ${described} from ${redis.shown}, prefix ${prefix ?? BULLMQ_DEFAULTS.prefix}; SIGTERM or Ctrl-C stops`);
    if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    print('stopping: waits held go back to Redis, polls in flight end');
    await worker.close();
    print('stopped');
    return EXIT.SUCCEEDED;
  } finally {
    await Promise.allSettled(Object.values(clients).map((client) => client.close()));
  }
}
