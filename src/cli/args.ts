import { parseArgs } from 'node:util';
import { UsageError } from './exit-codes.js';

/** Every flag the command line knows. Secret-carrying flags are declared only to refuse them by name. */
const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
  url: { type: 'string' },
  user: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  endpoint: { type: 'string' },
  project: { type: 'string' },
  timeout: { type: 'string' },
  'min-delay': { type: 'string' },
  'max-delay': { type: 'string' },
  ca: { type: 'string' },
  insecure: { type: 'boolean' },
  state: { type: 'string' },
  port: { type: 'string' },
  // Refused: a secret on the command line lands in shell history and `ps`.
  password: { type: 'string' },
  token: { type: 'string' },
  'secret-key': { type: 'string' },
  sk: { type: 'string' },
  'security-token': { type: 'string' },
} as const;

/** Flags that would carry a secret, and where the secret goes instead. */
const SECRET_FLAGS: Readonly<Record<string, string>> = {
  password: 'set JOBWAIT_ONTAP_PASSWORD or pipe it to --password-stdin',
  token: 'set JOBWAIT_HUAWEI_TOKEN',
  'secret-key': 'set HUAWEICLOUD_SDK_SK',
  sk: 'set HUAWEICLOUD_SDK_SK',
  'security-token': 'set HUAWEICLOUD_SDK_SECURITY_TOKEN',
};

export interface Flags {
  help: boolean;
  version: boolean;
  json: boolean;
  url?: string | undefined;
  user?: string | undefined;
  passwordStdin: boolean;
  endpoint?: string | undefined;
  project?: string | undefined;
  timeoutMs?: number | undefined;
  minDelayMs?: number | undefined;
  maxDelayMs?: number | undefined;
  ca?: string | undefined;
  insecure: boolean;
  state?: string | undefined;
  port?: number | undefined;
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

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port > 65_535) throw new UsageError(`--port must be a whole number from 0 to 65535 (got ${JSON.stringify(text.slice(0, 20))})`);
  return port;
}

/** Removes the value of `--flag=value` from a parser message, in case the value is a secret. */
function scrub(message: string): string {
  return message.replace(/(--?[\w-]+)=[^\s'"]*/g, '$1=…');
}

/** Parses argv (without `node` and the script) with `util.parseArgs`. Throws {@link UsageError}. */
export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(scrub(error instanceof Error ? error.message : String(error)));
  }
  const { values, positionals } = parsed;
  for (const [flag, instead] of Object.entries(SECRET_FLAGS)) {
    if ((values as Record<string, unknown>)[flag] !== undefined) {
      throw new UsageError(`--${flag} is refused: a secret given as a flag shows in shell history and in the process list; ${instead}`);
    }
  }
  const flags: Flags = {
    help: values.help ?? false,
    version: values.version ?? false,
    json: values.json ?? false,
    url: values.url,
    user: values.user,
    passwordStdin: values['password-stdin'] ?? false,
    endpoint: values.endpoint,
    project: values.project,
    timeoutMs: values.timeout === undefined ? undefined : parseDuration(values.timeout, 'timeout'),
    minDelayMs: values['min-delay'] === undefined ? undefined : parseDuration(values['min-delay'], 'min-delay'),
    maxDelayMs: values['max-delay'] === undefined ? undefined : parseDuration(values['max-delay'], 'max-delay'),
    ca: values.ca,
    insecure: values.insecure ?? false,
    state: values.state,
    port: values.port === undefined ? undefined : parsePort(values.port),
  };
  const [command, ...rest] = positionals;
  return { command, positionals: rest, flags };
}

export const USAGE = `Usage: jobwait <command> [options]

Commands:
  wait <ontap|cas|cce> <id>        wait until the job ends, showing its progress
  get <ontap|cas|cce> <id>         print the job once
  list ontap [--state S]           list ONTAP jobs (S: queued, running, paused, success, failure, or a|b)
  cancel|pause|resume ontap <id>   act on an ONTAP job
  simulate [--port N]              run the loopback simulator with scripted jobs until Ctrl-C
  demo                             wait on one simulated job per vendor and print a summary

Connection (flags win over environment variables):
  ONTAP    --url URL       or JOBWAIT_ONTAP_URL
           --user NAME     or JOBWAIT_ONTAP_USER
           password        JOBWAIT_ONTAP_PASSWORD, or --password-stdin
  CAS/CCE  --endpoint URL  or JOBWAIT_CAS_ENDPOINT / JOBWAIT_CCE_ENDPOINT
           --project ID    or HUAWEICLOUD_SDK_PROJECT_ID
           credentials     JOBWAIT_HUAWEI_TOKEN (a token; wins when set), or
                           HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK [+ HUAWEICLOUD_SDK_SECURITY_TOKEN]
  Secrets are never accepted as flag values (--password, --token … are refused) and never printed.
  --ca FILE                trust this PEM CA
  --insecure               do not verify TLS certificates (warned about)

Waiting:
  --timeout D              give up after D (default 30m); D is like 1500ms, 90s, 30m, 1h
  --min-delay D            first delay between polls (default 1.5s); later ones grow ×1.3
  --max-delay D            longest delay between polls (default 30s)

Output:
  --json                   NDJSON on stdout: each snapshot, then the outcome
  -h, --help               this help
  -v, --version            the version

Exit codes:
  0 succeeded   1 failed   2 usage or invalid argument   3 timeout   4 not found
  5 cancelled   6 authentication   7 other API or network error   130 interrupted
  141 output closed (as by | head -1): the wait stopped quietly
`;
