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
