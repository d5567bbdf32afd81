import { inspect } from 'node:util';

/**
 * Every face of a value that may reach a user, a log or a bug report: `util.inspect` (plain and
 * with hidden properties), `JSON.stringify`, `String`, and an error's message and stack. The
 * secrets tests assert that no credential shows on any of them.
 */
export function faces(value: unknown): Record<string, string> {
  const out: Record<string, string> = {
    inspect: inspect(value, { depth: 10 }),
    inspectHidden: inspect(value, { depth: 10, showHidden: true }),
    json: JSON.stringify(value) ?? '',
    string: String(value),
  };
  if (value instanceof Error) {
    out['message'] = value.message;
    out['stack'] = value.stack ?? '';
  }
  return out;
}

/**
 * The secrets a text shows in any form a leak could take: as is, behind JSON or `util.inspect`
 * escapes (`\"`, `\\`, `\/`, `\uXXXX`, `\xXX`, at any depth) or percent-encoded. The text is
 * decoded over and over, and every decoding is searched, so a test needs no list of encodings.
 */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  const decodings = new Set<string>();
  let current = text;
  for (let depth = 0; depth < 5 && !decodings.has(current); depth++) {
    decodings.add(current);
    decodings.add(percentDecoded(current));
    current = unescaped(current);
  }
  return secrets.filter((secret) => [...decodings].some((decoding) => decoding.includes(secret)));
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function unescaped(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/gs, (_match, escape: string) => {
    if (escape.length > 1) return String.fromCharCode(Number.parseInt(escape.slice(1), 16));
    return SHORT_ESCAPES[escape] ?? escape;
  });
}

function percentDecoded(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}
