import { parseArgs, type ParseArgsConfig } from 'node:util';
import { vendorCommandFlags } from '../vendor/descriptor.js';
import type { VendorRegistry } from '../vendor/registry.js';
import { FLAG_ENV } from './config.js';
import { UsageError } from './exit-codes.js';

/** The flags of every command, whatever the vendor. The vendors' connection flags come from the registry. */
const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  timeout: { type: 'string' },
  'min-delay': { type: 'string' },
  'max-delay': { type: 'string' },
  ca: { type: 'string' },
  insecure: { type: 'boolean' },
  proxy: { type: 'string' },
  state: { type: 'string' },
  'max-records': { type: 'string' },
  until: { type: 'string' },
  'no-fail': { type: 'boolean' },
  wait: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  port: { type: 'string' },
  redis: { type: 'string' },
  prefix: { type: 'string' },
  concurrency: { type: 'string' },
  'lock-duration': { type: 'string' },
  'stalled-interval': { type: 'string' },
} as const;

/**
 * Every flag the command line knows besides the common ones: each vendor's connection flags and
 * command flags (`list`'s filters, `wait`'s options, which take a value), and the secret-carrying
 * flags, declared only to refuse them by name (with where the secret goes instead).
 */
function vendorOptions(vendors: VendorRegistry): { declared: Map<string, 'string' | 'boolean'>; secrets: Map<string, string> } {
  const declared = new Map<string, 'string' | 'boolean'>();
  const secrets = new Map<string, string>();
  for (const vendor of vendors) {
    for (const [flag, type] of Object.entries(vendor.cli.flags)) {
      if (Object.hasOwn(COMMON_OPTIONS, flag)) throw new Error(`the ${vendor.name} flag --${flag} is a common flag`);
      const known = declared.get(flag);
      if (known !== undefined && known !== type) throw new Error(`the flag --${flag} is a ${known} flag and a ${type} one`);
      declared.set(flag, type);
    }
    for (const [flag, instead] of Object.entries(vendor.cli.secretFlags)) if (!secrets.has(flag)) secrets.set(flag, instead);
  }
  // A command flag is known apart from the connection flags: the command refuses another vendor's.
  const connection = new Set(declared.keys());
  for (const vendor of vendors) {
    for (const flags of Object.values(vendorCommandFlags(vendor))) {
      for (const flag of Object.keys(flags)) {
        if (Object.hasOwn(COMMON_OPTIONS, flag) || connection.has(flag)) throw new Error(`the ${vendor.name} command flag --${flag} is a common or connection flag`);
        declared.set(flag, 'string');
      }
    }
  }
  return { declared, secrets };
}

export interface Flags {
  help: boolean;
  version: boolean;
  json: boolean;
  /** `--verbose`: each request on stderr. */
  verbose: boolean;
  /** Every flag the vendors declare, by name, as given: connection flags (`url`, `password-stdin`…) and command flags (`svm`). */
  vendorFlags: Readonly<Record<string, string | boolean | undefined>>;
  timeoutMs?: number | undefined;
  minDelayMs?: number | undefined;
  maxDelayMs?: number | undefined;
  ca?: string | undefined;
  insecure: boolean;
  /** `--proxy URL`: every request through this proxy (else the environment's HTTPS_PROXY / HTTP_PROXY / NO_PROXY). */
  proxy?: string | undefined;
  state?: string | undefined;
  /** `list --max-records N`: at most N jobs. */
  maxRecords?: number | undefined;
  /** `--until S`: the states (`a|b`) that end the wait, besides the terminal ones. */
  until?: string | undefined;
  /** `--no-fail`: a failed or cancelled job is an outcome, exit 0 (`throwOnFailure: false`). */
  noFail: boolean;
  /** `cancel --wait`: then wait until the job has ended. */
  wait: boolean;
  /** `--quiet`: no progress, only the outcome. */
  quiet: boolean;
  port?: number | undefined;
  /** `worker --redis URL`: the Redis of the durable waits (else `JOBWAIT_REDIS_URL`). */
  redis?: string | undefined;
  /** `worker --prefix P`: BullMQ's key prefix (else `JOBWAIT_REDIS_PREFIX`). */
  prefix?: string | undefined;
  /** `worker --concurrency N`: waits held at once per client. */
  concurrency?: number | undefined;
  /** `worker --lock-duration D`. */
  lockDurationMs?: number | undefined;
  /** `worker --stalled-interval D`. */
  stalledIntervalMs?: number | undefined;
}

export interface ParsedArgs {
  command: string | undefined;
  positionals: string[];
  flags: Flags;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `1500ms`, `90s`, `30m`, `1h`, `1.5h` → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new UsageError(`--${flag} must be a duration with a unit, like 1500ms, 90s, 30m or 1h (got ${JSON.stringify(text.slice(0, 40))})`);
  const ms = Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1_000));
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`--${flag} must be more than zero`);
  return ms;
}

/** A whole number from `min` to `max` (no upper bound when `max` is absent), or a usage error naming `--flag`. */
function parseWhole(text: string, flag: string, min: number, max?: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `of ${min} or more` : `from ${min} to ${max}`;
    throw new UsageError(`--${flag} must be a whole number ${range} (got ${JSON.stringify(text.slice(0, 20))})`);
  }
  return value;
}

/**
 * `util.parseArgs`'s error in one short line of ours. Only the flag's name is quoted (never a
 * value, which may be a secret), as the parser names it.
 */
function parserMessage(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(--?[\w-]+)/.exec(message)?.[1];
  if (flag === undefined) return 'the command line cannot be read';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${flag}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return message.includes('argument missing') ? `${flag} needs a value` : `${flag} takes no value`;
  return `${flag} cannot be read`;
}

/** Parses argv (without `node` and the script) with `util.parseArgs`. Throws {@link UsageError}. */
export function parseCommandLine(argv: readonly string[], vendors: VendorRegistry): ParsedArgs {
  const { declared, secrets } = vendorOptions(vendors);
  const options: NonNullable<ParseArgsConfig['options']> = { ...COMMON_OPTIONS };
  for (const [flag, type] of declared) options[flag] = { type };
  // Refused: a secret on the command line lands in shell history and `ps`.
  for (const flag of secrets.keys()) options[flag] = { type: 'string' };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parserMessage(error));
  }
  const { positionals } = parsed;
  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const [flag, instead] of secrets) {
    if (values[flag] !== undefined) {
      throw new UsageError(`--${flag} is refused: a secret given as a flag shows in shell history and in the process list; ${instead}`);
    }
  }
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);
  const given: Record<string, string | boolean | undefined> = {};
  for (const flag of declared.keys()) given[flag] = values[flag];
  const flags: Flags = {
    help: values['help'] === true,
    version: values['version'] === true,
    json: values['json'] === true,
    verbose: values['verbose'] === true,
    vendorFlags: given,
    timeoutMs: optional(text('timeout'), (value) => parseDuration(value, 'timeout')),
    minDelayMs: optional(text('min-delay'), (value) => parseDuration(value, 'min-delay')),
    maxDelayMs: optional(text('max-delay'), (value) => parseDuration(value, 'max-delay')),
    ca: text('ca'),
    insecure: values['insecure'] === true,
    proxy: text('proxy'),
    state: text('state'),
    maxRecords: optional(text('max-records'), (value) => parseWhole(value, 'max-records', 1)),
    until: text('until'),
    noFail: values['no-fail'] === true,
    wait: values['wait'] === true,
    quiet: values['quiet'] === true,
    port: optional(text('port'), (value) => parseWhole(value, 'port', 0, 65_535)),
    redis: text('redis'),
    prefix: text('prefix'),
    concurrency: optional(text('concurrency'), (value) => parseWhole(value, 'concurrency', 1)),
    lockDurationMs: optional(text('lock-duration'), (value) => parseDuration(value, 'lock-duration')),
    stalledIntervalMs: optional(text('stalled-interval'), (value) => parseDuration(value, 'stalled-interval')),
  };
  const [command, ...rest] = positionals;
  return { command, positionals: rest, flags };
}

const optional = <T>(value: string | undefined, parse: (value: string) => T): T | undefined => (value === undefined ? undefined : parse(value));

/** A command and its description, in the help's two columns. */
const row = (command: string, description: string): string => `  ${command.padEnd(31)}  ${description}`;

/** `--help`: the commands and connection settings of the registry's vendors. */
export function usage(vendors: VendorRegistry): string {
  const names = vendors.map((vendor) => vendor.name).join('|');
  const lists = vendors.flatMap((vendor) => (vendor.cli.jobs ? [row(`list ${vendor.name} [options]`, `list ${vendor.title} jobs, --state S (${vendor.cli.jobs.stateHelp}), --max-records N`)] : []));
  const actions = vendors.flatMap((vendor) => (vendor.cli.jobs ? [row(`cancel|pause|resume ${vendor.name} <id>`, `act on an ${vendor.title} job`)] : []));
  const commands = [
    row(`wait <${names}> <id>…`, 'wait until the jobs end, showing their progress'),
    row(`get <${names}> <id>`, 'print the job once'),
    ...lists,
    ...actions,
    row('cancel <vendor> <id> --wait', 'cancel, then wait until the job has ended'),
    row('simulate [--port N]', 'run the loopback simulator with scripted jobs until Ctrl-C'),
    row('demo', 'wait on one simulated job per vendor and print a summary'),
    row(`worker <${names}>[=NAME]…`, 'poll durable waits from Redis (jobwait/bullmq) until SIGTERM'),
  ];
  // Vendors that share one help array (the Huawei clients) print it once.
  const connection = [...new Set(vendors.map((vendor) => vendor.cli.help))].flat();
  // Each line ends with its newline, so that no flag leaves no blank line.
  const waitFlags = vendors.flatMap((vendor) => Object.values(vendorCommandFlags(vendor).wait).map((flag) => `  ${flag.usage.padEnd(23)}  ${vendor.title} only: ${flag.text}\n`));
  return `Usage: jobwait <command> [options]

Commands:
${commands.join('\n')}

Connection (flags win over environment variables):
${connection.join('\n')}
  Secrets are never accepted as flag values (--password, --token … are refused) and never printed.
  --ca FILE                trust this PEM CA; or ${FLAG_ENV.ca}=FILE
  --insecure               do not verify TLS certificates (warned about); or ${FLAG_ENV.insecure}=1
  --proxy URL              send every request through this HTTP proxy (default: HTTPS_PROXY,
                           HTTP_PROXY and NO_PROXY from the environment)

Waiting:
  --timeout D              give up after D (default 30m); D is like 1500ms, 90s, 30m, 1h
  --min-delay D            first delay between polls (default 1.5s); later ones grow ×1.3
  --max-delay D            longest delay between polls (default 30s)
  --until S                stop waiting once the job is in state S (running, or a vendor word; a|b)
  --no-fail                a failed or cancelled job exits 0: only the wait's own trouble fails
${waitFlags.join('')}
Output:
  --json                   NDJSON on stdout: each snapshot, then the outcome
  -q, --quiet              no progress: only the outcome
  --verbose                each request (method, path, status, time, retries) on stderr;
                           ${FLAG_ENV.verbose}=1 does the same
  -h, --help               this help; jobwait <command> --help for one command's flags
  -v, --version            the version

Exit codes:
  0 succeeded   1 failed   2 usage or invalid argument   3 timeout   4 not found
  5 cancelled   6 authentication   7 other API or network error   130 interrupted (Ctrl-C)
  143 terminated (SIGTERM)   141 output closed (as by | head -1): the wait stopped quietly
`;
}
