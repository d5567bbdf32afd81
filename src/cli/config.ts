import { readFile } from 'node:fs/promises';
import type { JobClient } from '../client/job-client.js';
import type { TlsOptions } from '../transport/client-options.js';
import type { Logger } from '../transport/logger.js';
import { PROXY_FROM_ENV } from '../transport/proxy.js';
import { isVendorCommand, stringFlag, vendorCommandFlags, type AnyVendorDescriptor, type VendorCommand, type VendorConfigInput } from '../vendor/descriptor.js';
import { findVendor, type VendorRegistry } from '../vendor/registry.js';
import type { Flags } from './args.js';
import type { RetryTally } from './retries.js';
import { UsageError } from './exit-codes.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** What a command needs to reach a vendor, besides flags and environment. */
export interface ConfigContext {
  flags: Flags;
  env: Env;
  /** Reads all of stdin (for `--password-stdin`). */
  readStdin: () => Promise<string>;
  /** Where the clients' warnings go (stderr), and their debug lines (counted in `retries`). */
  logger: Logger;
  /** The transient failures the clients met, for the live display. */
  retries: RetryTally;
  /** The vendors the command line knows (the shipped registry, or a test's). */
  vendors: VendorRegistry;
}

/** The vendor a command names, from the registry. Throws {@link UsageError}. */
export function parseVendor(text: string | undefined, vendors: VendorRegistry): AnyVendorDescriptor {
  const names = vendors.map((vendor) => vendor.name).join(', ');
  if (text === undefined) throw new UsageError(`a vendor is required: ${names}`);
  const vendor = findVendor(vendors, text);
  if (!vendor) throw new UsageError(`unknown vendor ${JSON.stringify(text.slice(0, 40))}: use ${names}`);
  return vendor;
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** The environment variables that common flags also come from; the flag wins. */
export const FLAG_ENV = Object.freeze({ ca: 'JOBWAIT_CA', insecure: 'JOBWAIT_INSECURE', verbose: 'JOBWAIT_DEBUG' } as const);

/** Whether a switch's variable (`JOBWAIT_INSECURE`, `JOBWAIT_DEBUG`) is on: set, and not `0`, `false`, `no` or `off`. */
export function envSwitch(value: string | undefined): boolean {
  return value !== undefined && value !== '' && !/^(0|false|no|off)$/i.test(value);
}

/** A file's bytes (a PEM certificate or key), or a usage error naming where its path came from (`--ca`, `JOBWAIT_CA`). */
async function readNamedFile(path: string, source: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new UsageError(`${source}: cannot read ${JSON.stringify(path)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** `--ca FILE` (or JOBWAIT_CA) and `--insecure` (or JOBWAIT_INSECURE) as a client's `tls`. */
async function tlsOptions(flags: Flags, env: Env): Promise<TlsOptions | undefined> {
  const tls: TlsOptions = {};
  const flag = nonEmpty(flags.ca);
  const [ca, source] = flag === undefined ? [nonEmpty(env[FLAG_ENV.ca]), FLAG_ENV.ca] : [flag, '--ca'];
  if (ca !== undefined) tls.ca = await readNamedFile(ca, source);
  // The client itself logs the warning (through the logger) when verification is off.
  if (flags.insecure || envSwitch(env[FLAG_ENV.insecure])) tls.rejectUnauthorized = false;
  return Object.keys(tls).length > 0 ? tls : undefined;
}

/** A descriptor's refusal of the command line: a usage error (exit 2). */
export function refuseUsage(message: string): never {
  throw new UsageError(message);
}

/** What a descriptor reads of the command line: its flags, the environment, refusals as usage errors. */
export function configInput(context: ConfigContext): VendorConfigInput {
  const { flags, env } = context;
  return {
    flag: (name) => flags.vendorFlags[name],
    env: (name) => nonEmpty(env[name]),
    readStdin: context.readStdin,
    readFile: readNamedFile,
    refuse: refuseUsage,
    tls: () => tlsOptions(flags, env),
    logger: context.logger,
    proxy: nonEmpty(flags.proxy) ?? PROXY_FROM_ENV,
  };
}

/**
 * Refuses a vendor's command flag (`list`'s filters, `wait`'s options) given where nothing would
 * read it: to another command, or (`vendor`, the one the command names) another vendor.
 */
export function checkCommandFlags(context: ConfigContext, command: string, vendor?: AnyVendorDescriptor): void {
  const given = context.flags.vendorFlags;
  const own = ownCommandFlags(command, vendor);
  for (const other of context.vendors) {
    for (const [each, flags] of Object.entries(vendorCommandFlags(other))) {
      for (const name of Object.keys(flags)) {
        if (given[name] === undefined || Object.hasOwn(own, name)) continue;
        throw new UsageError(`--${name} is not a flag of ${vendor === undefined ? command : `${command} ${vendor.name}`} (it goes with ${each} ${other.name})`);
      }
    }
  }
}

const ownCommandFlags = (command: string, vendor: AnyVendorDescriptor | undefined): Readonly<Record<string, unknown>> =>
  vendor !== undefined && isVendorCommand(command) ? vendorCommandFlags(vendor)[command] : {};

/**
 * The values of `vendor`'s own flags of `command`: `undefined` (or `''`) when not given. Any other
 * vendor command flag given is refused ({@link checkCommandFlags}).
 */
export function commandFlags(context: ConfigContext, vendor: AnyVendorDescriptor, command: VendorCommand): (name: string) => string | undefined {
  checkCommandFlags(context, command, vendor);
  const own = ownCommandFlags(command, vendor);
  const input = configInput(context);
  return (name) => (Object.hasOwn(own, name) ? stringFlag(input, name) : undefined);
}

/** A client of `vendor` from the flags and the environment (its descriptor says which). */
export function createClientFromConfig(vendor: AnyVendorDescriptor, context: ConfigContext): Promise<JobClient> {
  return vendor.cli.createClient(configInput(context));
}
