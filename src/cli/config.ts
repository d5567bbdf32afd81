import { readFile } from 'node:fs/promises';
import { createCasClient, type CasClient } from '../../adapters/cas/index.js';
import { createCceClient, type CceClient } from '../../adapters/cce/index.js';
import type { HuaweiAuth } from '../../adapters/huawei/auth.js';
import { createOntapClient, type OntapClient } from '../../adapters/ontap/index.js';
import type { TlsOptions } from '../transport/client-options.js';
import type { Logger } from '../transport/logger.js';
import type { Flags } from './args.js';
import { UsageError } from './exit-codes.js';

export const VENDORS = ['ontap', 'cas', 'cce'] as const;
export type Vendor = (typeof VENDORS)[number];

export type Env = Readonly<Record<string, string | undefined>>;

/** What a command needs to reach a vendor, besides flags and environment. */
export interface ConfigContext {
  flags: Flags;
  env: Env;
  /** Reads all of stdin (for `--password-stdin`). */
  readStdin: () => Promise<string>;
  /** Where the clients' warnings go (stderr). */
  logger: Logger;
}

export type AnyClient = OntapClient | CasClient | CceClient;

export function parseVendor(text: string | undefined): Vendor {
  if (text === undefined) throw new UsageError(`a vendor is required: ${VENDORS.join(', ')}`);
  if (!(VENDORS as readonly string[]).includes(text)) throw new UsageError(`unknown vendor ${JSON.stringify(text.slice(0, 40))}: use ${VENDORS.join(', ')}`);
  return text as Vendor;
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

async function tlsOptions(flags: Flags): Promise<TlsOptions | undefined> {
  const tls: TlsOptions = {};
  if (flags.ca !== undefined) {
    try {
      tls.ca = await readFile(flags.ca);
    } catch (error) {
      throw new UsageError(`--ca: cannot read ${JSON.stringify(flags.ca)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  // The client itself logs the warning (through the logger) when verification is off.
  if (flags.insecure) tls.rejectUnauthorized = false;
  return Object.keys(tls).length > 0 ? tls : undefined;
}

/** ONTAP: `--url`/JOBWAIT_ONTAP_URL, `--user`/JOBWAIT_ONTAP_USER, password from JOBWAIT_ONTAP_PASSWORD or stdin. */
export async function createOntapFromConfig(context: ConfigContext): Promise<OntapClient> {
  const { flags, env } = context;
  const baseUrl = nonEmpty(flags.url) ?? nonEmpty(env['JOBWAIT_ONTAP_URL']);
  if (!baseUrl) throw new UsageError('the ONTAP address is missing: pass --url or set JOBWAIT_ONTAP_URL');
  const username = nonEmpty(flags.user) ?? nonEmpty(env['JOBWAIT_ONTAP_USER']);
  if (!username) throw new UsageError('the ONTAP user is missing: pass --user or set JOBWAIT_ONTAP_USER');
  let password: string | undefined;
  if (flags.passwordStdin) {
    password = (await context.readStdin()).replace(/\r?\n$/, '');
    if (password === '') throw new UsageError('--password-stdin read an empty password');
  } else {
    password = nonEmpty(env['JOBWAIT_ONTAP_PASSWORD']);
  }
  if (password === undefined) throw new UsageError('the ONTAP password is missing: set JOBWAIT_ONTAP_PASSWORD or pipe it to --password-stdin');
  return createOntapClient({ baseUrl, auth: { username, password }, tls: await tlsOptions(flags), logger: context.logger });
}

/** Huawei credentials, from the names Huawei's SDKs read, or a token from JOBWAIT_HUAWEI_TOKEN (which wins). */
export function huaweiAuthFromEnv(env: Env): HuaweiAuth {
  const token = nonEmpty(env['JOBWAIT_HUAWEI_TOKEN']);
  if (token) return { token };
  const accessKey = nonEmpty(env['HUAWEICLOUD_SDK_AK']);
  const secretKey = nonEmpty(env['HUAWEICLOUD_SDK_SK']);
  const securityToken = nonEmpty(env['HUAWEICLOUD_SDK_SECURITY_TOKEN']);
  if (accessKey && secretKey) return securityToken ? { accessKey, secretKey, securityToken } : { accessKey, secretKey };
  if (accessKey || secretKey) throw new UsageError('Huawei credentials are incomplete: set both HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK');
  throw new UsageError('Huawei credentials are missing: set JOBWAIT_HUAWEI_TOKEN, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK');
}

/** CAS / CCE: `--endpoint`/JOBWAIT_{CAS,CCE}_ENDPOINT, `--project`/HUAWEICLOUD_SDK_PROJECT_ID. */
export async function createHuaweiFromConfig(vendor: 'cas' | 'cce', context: ConfigContext): Promise<CasClient | CceClient> {
  const { flags, env } = context;
  const variable = vendor === 'cas' ? 'JOBWAIT_CAS_ENDPOINT' : 'JOBWAIT_CCE_ENDPOINT';
  const endpoint = nonEmpty(flags.endpoint) ?? nonEmpty(env[variable]);
  if (!endpoint) throw new UsageError(`the ${vendor.toUpperCase()} endpoint is missing: pass --endpoint or set ${variable}`);
  const projectId = nonEmpty(flags.project) ?? nonEmpty(env['HUAWEICLOUD_SDK_PROJECT_ID']);
  if (!projectId) throw new UsageError('the project id is missing: pass --project or set HUAWEICLOUD_SDK_PROJECT_ID');
  const options = { endpoint, projectId, auth: huaweiAuthFromEnv(env), tls: await tlsOptions(flags), logger: context.logger };
  return vendor === 'cas' ? createCasClient(options) : createCceClient(options);
}

export async function createClientFromConfig(vendor: Vendor, context: ConfigContext): Promise<AnyClient> {
  return vendor === 'ontap' ? createOntapFromConfig(context) : createHuaweiFromConfig(vendor, context);
}
