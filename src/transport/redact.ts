/** The text that replaces a secret. */
export const REDACTED = '[REDACTED]';

/**
 * Makes a function that removes every occurrence of the given secrets from a text (secrets shorter
 * than 4 characters are left out: they would mangle ordinary words).
 * @internal
 */
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const list = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    // A request signature is made per request, so it is no listed secret: cut it by its shape.
    if (out.includes('ignature')) out = out.replace(SIGNATURE, `$1${REDACTED}`);
    return out;
  };
}

/** `Signature=<hex>` as in the header, and `"signature": "<hex>"` as a server may echo it in JSON. */
const SIGNATURE = /(Signature["']?\s*[=:]\s*["']?)[0-9a-f]{16,}/gi;
