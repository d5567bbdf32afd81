import { isVendorCommand, vendorCommandFlags } from '../vendor/descriptor.js';
import { FLAG_ENV } from './config.js';
import { BULLMQ_DEFAULTS } from '../bullmq/settings.js';
import { DEFAULT_REDIS_URL } from './commands/worker.js';
import type { VendorRegistry } from '../vendor/registry.js';

/** One flag in a command's help: how it is written, what it does, its default and its variable. */
interface FlagHelp {
  readonly flag: string;
  readonly text: string;
  readonly default?: string;
  readonly env?: string;
}

const TLS: readonly FlagHelp[] = [
  { flag: '--ca FILE', text: 'trust this PEM CA', default: 'the system CAs', env: FLAG_ENV.ca },
  { flag: '--insecure', text: 'do not verify TLS certificates (warned about)', default: 'off', env: `${FLAG_ENV.insecure}=1` },
  { flag: '--proxy URL', text: 'send every request through this HTTP proxy', default: 'from the environment', env: 'HTTPS_PROXY, HTTP_PROXY, NO_PROXY' },
  { flag: '--verbose', text: 'print each request (method, path, status, time, retries) on stderr', default: 'off', env: `${FLAG_ENV.verbose}=1` },
];
const JSON_FLAG: FlagHelp = { flag: '--json', text: 'NDJSON on stdout', default: 'off' };
const WAITING: readonly FlagHelp[] = [
  { flag: '--timeout D', text: 'give up after D (like 1500ms, 90s, 30m, 1h)', default: '30m' },
  { flag: '--min-delay D', text: 'first delay between polls; later ones grow ×1.3', default: '1.5s' },
  { flag: '--max-delay D', text: 'longest delay between polls', default: '30s' },
  { flag: '--until S', text: 'stop once the job is in state S (a job state or the vendor\'s word; a|b)', default: 'the job ends' },
  { flag: '--no-fail', text: 'a failed or cancelled job exits 0 (its outcome still says how it ended)', default: 'off' },
  { flag: '-q, --quiet', text: 'no progress: only the outcome', default: 'off' },
];

/** What `jobwait <command> --help` prints of a command. */
interface CommandHelp {
  readonly usage: (vendors: string) => string;
  readonly summary: string;
  readonly connects: boolean;
  readonly flags: readonly FlagHelp[];
}

const ACTION_HELP = (action: string, flags: readonly FlagHelp[] = []): CommandHelp => ({
  usage: () => `jobwait ${action} <vendor> <id>${flags.length > 0 ? ' [options]' : ''}`,
  summary: `asks the vendor to ${action} the job (vendors with a job API: see jobwait --help)`,
  connects: true,
  flags,
});

const COMMANDS: Readonly<Record<string, CommandHelp>> = {
  wait: { usage: (names) => `jobwait wait <${names}> <id>… [options]`, summary: 'waits until the jobs end, showing their progress; the exit code says how (with many ids, the highest of theirs)', connects: true, flags: [...WAITING, JSON_FLAG] },
  get: { usage: (names) => `jobwait get <${names}> <id> [options]`, summary: 'prints the job once', connects: true, flags: [JSON_FLAG] },
  list: {
    usage: () => 'jobwait list <vendor> [--state S] [--max-records N] [options]',
    summary: 'lists the jobs of a vendor with a job list API: a header line (ID, STATE, DESCRIPTION), then one line per job',
    connects: true,
    flags: [
      { flag: '--state S', text: 'only jobs in the states S names (a|b)', default: 'every state' },
      { flag: '--max-records N', text: 'at most N jobs (ONTAP: one page of N)', default: 'every job' },
      { ...JSON_FLAG, text: 'NDJSON on stdout: one job per line, no header' },
    ],
  },
  cancel: ACTION_HELP('cancel', [{ flag: '--wait', text: 'then wait until the job has ended (exit 0 whatever its end: the outcome says it)', default: 'off' }, WAITING[0] as FlagHelp, JSON_FLAG]),
  pause: ACTION_HELP('pause'),
  resume: ACTION_HELP('resume'),
  simulate: { usage: () => 'jobwait simulate [--port N] [--json]', summary: 'runs the loopback simulator with scripted jobs until Ctrl-C', connects: false, flags: [{ flag: '--port N', text: 'the port to listen on', default: 'a free port' }, { flag: '--json', text: 'print the url and jobs as one JSON line', default: 'off' }] },
  demo: { usage: () => 'jobwait demo', summary: 'waits on one simulated job per vendor and prints a summary', connects: false, flags: [] },
  worker: {
    usage: (names) => `jobwait worker <${names}>[=NAME]… [options]`,
    summary: 'polls the durable waits (jobwait/bullmq) enqueued under each NAME (default: the vendor\'s name) with a client of that vendor from the same flags and variables as the other commands, until SIGTERM or Ctrl-C, which stop it cleanly (exit 0). Needs bullmq and ioredis installed',
    connects: true,
    flags: [
      { flag: '--redis URL', text: 'the Redis of the waits (redis:// or rediss://; a password in it is never printed)', default: DEFAULT_REDIS_URL, env: 'JOBWAIT_REDIS_URL' },
      { flag: '--prefix P', text: 'BullMQ\'s key prefix, as the producers use it', default: BULLMQ_DEFAULTS.prefix, env: 'JOBWAIT_REDIS_PREFIX' },
      { flag: '--concurrency N', text: 'waits held at once per client name', default: String(BULLMQ_DEFAULTS.concurrency) },
      { flag: '--lock-duration D', text: 'a wait\'s lock, renewed while it is polled; a dead worker\'s waits move on after it', default: `${BULLMQ_DEFAULTS.lockDurationMs / 1_000}s` },
      { flag: '--stalled-interval D', text: 'how often dead workers\' waits are looked for', default: `${BULLMQ_DEFAULTS.stalledIntervalMs / 1_000}s` },
    ],
  },
};

/** The commands that have their own help. */
export const HELP_COMMANDS: readonly string[] = Object.keys(COMMANDS);

/** A flag's line, its name padded to `width` (the longest flag the help prints, at least 15). */
function flagLine(help: FlagHelp, width: number): string {
  const notes = [help.default === undefined ? undefined : `default: ${help.default}`, help.env === undefined ? undefined : `env: ${help.env}`].filter((note) => note !== undefined);
  return `  ${help.flag.padEnd(width)}  ${help.text}${notes.length > 0 ? ` [${notes.join('; ')}]` : ''}`;
}

/** `jobwait <command> --help`: the command's usage and every flag it takes, with its default and variable; `undefined` for an unknown command. */
export function commandHelp(command: string, vendors: VendorRegistry): string | undefined {
  const help = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (help === undefined) return undefined;
  const names = vendors.map((vendor) => vendor.name).join('|');
  // The flags a vendor adds to this command, a section per vendor.
  const vendorSections = isVendorCommand(command)
    ? vendors.flatMap((vendor) => {
        const own = Object.values(vendorCommandFlags(vendor)[command]).map((flag): FlagHelp => ({ flag: flag.usage, text: flag.text, default: flag.default }));
        return own.length > 0 ? [{ title: `${vendor.title} options (${command} ${vendor.name} only):`, flags: own }] : [];
      })
    : [];
  // One width for every flag line of this help: the command's, the vendors' and the TLS ones.
  const printed = [...help.flags, ...vendorSections.flatMap((each) => each.flags), ...(help.connects ? TLS : [])];
  const width = Math.max(15, ...printed.map((flag) => flag.flag.length));
  const line = (flag: FlagHelp): string => flagLine(flag, width);
  const sections = [`Usage: ${help.usage(names)}\n\n${help.summary[0]?.toUpperCase()}${help.summary.slice(1)}.`];
  if (help.flags.length > 0) sections.push(`Options:\n${help.flags.map(line).join('\n')}`);
  for (const each of vendorSections) sections.push(`${each.title}\n${each.flags.map(line).join('\n')}`);
  if (help.connects) {
    // Vendors that share one help array (the Huawei clients) print it once.
    const connection = [...new Set(vendors.map((vendor) => vendor.cli.help))].flat();
    sections.push(`Connection (flags win over environment variables):\n${connection.join('\n')}\n${TLS.map(line).join('\n')}`);
  }
  sections.push('Run `jobwait --help` for every command and the exit codes.');
  return `${sections.join('\n\n')}\n`;
}
