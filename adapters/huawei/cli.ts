import type { JobClient } from '../../src/client/job-client.js';
import type { ClientOptions } from '../../src/transport/client-options.js';
import { stringFlag, type VendorCli, type VendorConfigInput, type VendorScenario, type VendorSimulation, type VendorSimulator } from '../../src/vendor/descriptor.js';
import type { HuaweiAuth } from './auth.js';
import type { HuaweiClientOptions } from './client-options.js';
import type { HuaweiGatewayAuth } from './simulator-auth.js';

/** The project id the simulated Huawei jobs use (any id works with the simulator). @internal */
const SIMULATED_PROJECT = '063a3158b1a34710b36ad208b9497d00';

/** The Huawei clients' connection flags. @internal */
const HUAWEI_FLAGS = Object.freeze({ endpoint: 'string', project: 'string' } as const);

/** Flags refused because they would carry a Huawei secret, and where it goes instead. @internal */
const HUAWEI_SECRET_FLAGS: Readonly<Record<string, string>> = Object.freeze({
  token: 'set JOBWAIT_HUAWEI_TOKEN',
  'secret-key': 'set HUAWEICLOUD_SDK_SK',
  sk: 'set HUAWEICLOUD_SDK_SK',
  'security-token': 'set HUAWEICLOUD_SDK_SECURITY_TOKEN',
});

/** `--help`'s lines for both Huawei clients: one array, so the help prints it once. @internal */
const HUAWEI_HELP: readonly string[] = Object.freeze([
  '  CAS/CCE  --endpoint URL  or JOBWAIT_CAS_ENDPOINT / JOBWAIT_CCE_ENDPOINT',
  '           --project ID    or HUAWEICLOUD_SDK_PROJECT_ID',
  '           credentials     JOBWAIT_HUAWEI_TOKEN (a token; wins when set), or',
  '                           HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK [+ HUAWEICLOUD_SDK_SECURITY_TOKEN]',
]);

/** Huawei credentials, from the names Huawei's SDKs read, or a token from JOBWAIT_HUAWEI_TOKEN (which wins). @internal */
export function huaweiAuthFromEnv(input: Pick<VendorConfigInput, 'env' | 'refuse'>): HuaweiAuth {
  const token = input.env('JOBWAIT_HUAWEI_TOKEN');
  if (token) return { token };
  const accessKey = input.env('HUAWEICLOUD_SDK_AK');
  const secretKey = input.env('HUAWEICLOUD_SDK_SK');
  const securityToken = input.env('HUAWEICLOUD_SDK_SECURITY_TOKEN');
  if (accessKey && secretKey) return securityToken ? { accessKey, secretKey, securityToken } : { accessKey, secretKey };
  if (accessKey || secretKey) return input.refuse('Huawei credentials are incomplete: set both HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK');
  return input.refuse('Huawei credentials are missing: set JOBWAIT_HUAWEI_TOKEN, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK');
}

/**
 * A Huawei client from `--endpoint` or `variable`, `--project` or HUAWEICLOUD_SDK_PROJECT_ID, and
 * the credentials of {@link huaweiAuthFromEnv}.
 * @internal
 */
async function huaweiClientFromConfig<C extends JobClient>(input: VendorConfigInput, title: string, variable: string, create: (options: HuaweiClientOptions) => C): Promise<C> {
  const endpoint = stringFlag(input, 'endpoint') ?? input.env(variable);
  if (!endpoint) return input.refuse(`the ${title} endpoint is missing: pass --endpoint or set ${variable}`);
  const projectId = stringFlag(input, 'project') ?? input.env('HUAWEICLOUD_SDK_PROJECT_ID');
  if (!projectId) return input.refuse('the project id is missing: pass --project or set HUAWEICLOUD_SDK_PROJECT_ID');
  const auth = huaweiAuthFromEnv(input);
  return create({ endpoint, projectId, auth, tls: await input.tls(), logger: input.logger, proxy: input.proxy });
}

/** A Huawei simulation: its gateway demands `auth` when set. */
type HuaweiSimulation = VendorSimulation & { auth: HuaweiGatewayAuth | undefined };

/**
 * The parts of a Huawei vendor's descriptor that CAS and CCE share, for the client `create` makes
 * (its endpoint from `--endpoint` or `variable`): the simulator's token client, the connection
 * flags and help, and the scenario's environment and demo client. @internal
 */
export function huaweiDescriptorParts<C extends JobClient, S extends HuaweiSimulation>(
  title: string,
  variable: string,
  create: (options: HuaweiClientOptions) => C,
): {
  simulator: Pick<VendorSimulator<C, S>, 'client' | 'demandCredential'>;
  cli: Pick<VendorCli<C, S>, 'flags' | 'secretFlags' | 'help' | 'createClient'>;
  scenario: Pick<VendorScenario<C, S>, 'environment' | 'simulatorInfo' | 'demoClient'>;
} {
  const simulated = (url: string, token: string, options: ClientOptions = {}): C => create({ ...options, endpoint: url, projectId: SIMULATED_PROJECT, auth: { token } });
  return {
    simulator: {
      client: simulated,
      demandCredential: (sim, credential) => {
        sim.auth = { token: credential };
      },
    },
    cli: { flags: HUAWEI_FLAGS, secretFlags: HUAWEI_SECRET_FLAGS, help: HUAWEI_HELP, createClient: (input) => huaweiClientFromConfig(input, title, variable, create) },
    scenario: {
      environment: (url) => ({ [variable]: url, HUAWEICLOUD_SDK_PROJECT_ID: SIMULATED_PROJECT, JOBWAIT_HUAWEI_TOKEN: 'any-value' }),
      simulatorInfo: { projectId: SIMULATED_PROJECT },
      demoClient: (url, options) => simulated(url, 'demo-token', options),
    },
  };
}
