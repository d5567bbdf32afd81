import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** The TLS settings of a client's own connections (undici's `connect` options). @internal */
export interface ConnectTls {
  ca?: string | Buffer | Array<string | Buffer>;
  cert?: string | Buffer;
  key?: string | Buffer;
  servername?: string;
  rejectUnauthorized: boolean;
}

/**
 * A client's proxy, validated: one URL for every request, or the conventional variables
 * (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, lower-case names first) as they were when it was made.
 * @internal
 */
export type ResolvedProxy =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'env'; readonly httpProxy: string | undefined; readonly httpsProxy: string | undefined; readonly noProxy: string | undefined };

/** The value of `ClientOptions.proxy` that reads the conventional environment variables. */
export const PROXY_FROM_ENV = 'env';

const fromEnv = (env: NodeJS.ProcessEnv, lower: string, upper: string): string | undefined => {
  const value = env[lower] || env[upper];
  return value ? value : undefined;
};

/** A proxy URL checked (http or https, no path), never quoted: it may carry the proxy's password. */
function proxyUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(name, 'must be a proxy URL, like http://proxy.example.com:3128');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(name, `must be an http: or https: URL, not ${url.protocol}`);
  // undici decodes the user and password for Proxy-Authorization: a stray % would throw a bare URIError there.
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    throw new InvalidArgumentError(name, 'must be a proxy URL whose user and password are percent-encoded (% then two hex digits)');
  }
  return url.href;
}

/**
 * Validates `ClientOptions.proxy`: a URL, {@link PROXY_FROM_ENV}, or `false`/absent for none.
 * With `'env'` and no proxy variable set, there is no proxy. @internal
 */
export function resolveProxy(proxy: unknown, env: NodeJS.ProcessEnv = process.env): ResolvedProxy | undefined {
  if (proxy === undefined || proxy === false) return undefined;
  if (proxy === PROXY_FROM_ENV) {
    const httpsProxy = fromEnv(env, 'https_proxy', 'HTTPS_PROXY');
    const httpProxy = fromEnv(env, 'http_proxy', 'HTTP_PROXY');
    if (httpsProxy === undefined && httpProxy === undefined) return undefined;
    return {
      kind: 'env',
      httpProxy: httpProxy === undefined ? undefined : proxyUrl(httpProxy, 'HTTP_PROXY'),
      httpsProxy: httpsProxy === undefined ? undefined : proxyUrl(httpsProxy, 'HTTPS_PROXY'),
      noProxy: fromEnv(env, 'no_proxy', 'NO_PROXY'),
    };
  }
  if (typeof proxy === 'string' || proxy instanceof URL) return { kind: 'url', url: proxyUrl(String(proxy), 'proxy') };
  throw new InvalidArgumentError('proxy', `must be a proxy URL, '${PROXY_FROM_ENV}' or false`);
}

/** The credentials in a proxy's URLs, for the client's redactor: they must never be printed. @internal */
export function proxySecrets(proxy: ResolvedProxy | undefined): string[] {
  if (proxy === undefined) return [];
  const urls = proxy.kind === 'url' ? [proxy.url] : [proxy.httpProxy, proxy.httpsProxy];
  const secrets: string[] = [];
  for (const href of urls) {
    if (href === undefined) continue;
    const { username, password } = new URL(href);
    if (password) secrets.push(password, decodeURIComponent(password), `${username}:${password}`);
  }
  return secrets;
}

/**
 * The client's own dispatcher: a keep-alive `Agent`, or one that goes through the proxy. The TLS
 * settings apply to the server's certificate either way (through a proxy, inside the tunnel). @internal
 */
export function createDispatcher(connect: ConnectTls, proxy: ResolvedProxy | undefined): Dispatcher {
  if (proxy === undefined) return new Agent({ connect });
  if (proxy.kind === 'url') return new ProxyAgent({ uri: proxy.url, requestTls: connect });
  return new EnvHttpProxyAgent({
    connect,
    requestTls: connect,
    ...(proxy.httpProxy === undefined ? {} : { httpProxy: proxy.httpProxy }),
    ...(proxy.httpsProxy === undefined ? {} : { httpsProxy: proxy.httpsProxy }),
    // Empty, not absent: undici would read the variable itself, from a later environment.
    noProxy: proxy.noProxy ?? '',
  });
}
