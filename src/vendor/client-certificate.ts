import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { TlsOptions } from '../transport/client-options.js';
import { stringFlag, type VendorConfigInput } from './descriptor.js';

/** A setting's flag and the variable it also comes from (the flag wins). @internal */
export interface FlagAndVariable {
  /** The flag's name, without `--`. */
  readonly flag: string;
  /** The environment variable. */
  readonly env: string;
}

/** Where a vendor's client certificate comes from. @internal */
export interface ClientCertificateSources {
  /** The certificate's file (PEM). */
  readonly cert: FlagAndVariable;
  /** Its private key's file (PEM). */
  readonly key: FlagAndVariable;
  /** The variable of an encrypted key's passphrase: never a flag, since it is a secret. */
  readonly passphraseEnv: string;
}

/** A path from its flag, else its variable, with the one it came from (`--cert`, `JOBWAIT_ONTAP_CERT`). */
function pathOf(input: VendorConfigInput, source: FlagAndVariable): { path: string; from: string } | undefined {
  const flag = stringFlag(input, source.flag);
  if (flag !== undefined) return { path: flag, from: `--${source.flag}` };
  const env = input.env(source.env);
  return env === undefined ? undefined : { path: env, from: source.env };
}

/**
 * A client certificate and its key (`tls.cert`, `tls.key`) from their files, or `undefined` when
 * neither is set. An encrypted key is decrypted here with the passphrase from its variable (the
 * clients' `tls` takes a key in the clear). Refuses one without the other, a file that is not a
 * PEM certificate or key, and a key that does not decrypt; no message shows the passphrase.
 * @internal
 */
export async function clientCertificate(input: VendorConfigInput, sources: ClientCertificateSources): Promise<Pick<TlsOptions, 'cert' | 'key'> | undefined> {
  const cert = pathOf(input, sources.cert);
  const key = pathOf(input, sources.key);
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    return input.refuse(`a client certificate needs both --${sources.cert.flag} and --${sources.key.flag} (or ${sources.cert.env} and ${sources.key.env})`);
  }
  const certBytes = await input.readFile(cert.path, cert.from);
  try {
    new X509Certificate(certBytes);
  } catch {
    return input.refuse(`${cert.from}: ${JSON.stringify(cert.path)} is not a PEM certificate`);
  }
  const keyBytes = await input.readFile(key.path, key.from);
  const passphrase = input.env(sources.passphraseEnv);
  let parsed: KeyObject;
  try {
    parsed = createPrivateKey(passphrase === undefined ? { key: keyBytes } : { key: keyBytes, passphrase });
  } catch {
    return input.refuse(
      passphrase === undefined
        ? `${key.from}: ${JSON.stringify(key.path)} is not a PEM private key, or it is encrypted: set ${sources.passphraseEnv}`
        : `${key.from}: ${JSON.stringify(key.path)} does not decrypt with ${sources.passphraseEnv} (or is not a PEM private key)`,
    );
  }
  return { cert: certBytes, key: passphrase === undefined ? keyBytes : Buffer.from(parsed.export({ type: 'pkcs8', format: 'pem' })) };
}
