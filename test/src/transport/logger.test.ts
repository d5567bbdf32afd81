import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOntapClient } from '../../../adapters/ontap/index.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import type { Logger } from '../../../src/transport/logger.js';

const PASSWORD = 'logger-pa55word-never-logged';

/** A fake with pino's calling convention: `(obj, msg)` or `(msg)`, methods on the prototype that need `this`, and a numeric `levelVal`. */
class FakePino {
  readonly levelVal = 20;
  readonly lines: { level: string; obj?: Record<string, unknown>; msg: string }[] = [];
  debug(objOrMsg: Record<string, unknown> | string, msg?: unknown): void {
    this.#push('debug', objOrMsg, msg);
  }
  warn(objOrMsg: Record<string, unknown> | string, msg?: unknown): void {
    this.#push('warn', objOrMsg, msg);
  }
  #push(level: string, objOrMsg: Record<string, unknown> | string, msg?: unknown): void {
    // pino drops a string second argument's meaning when the first is a string: that is the bug to avoid.
    if (typeof objOrMsg === 'string') this.lines.push({ level, msg: objOrMsg });
    else this.lines.push({ level, obj: objOrMsg, msg: String(msg ?? '') });
  }
}

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
  sim.ontap.credentials = { username: 'admin', password: PASSWORD };
});
afterEach(() => sim.close());

async function getOnce(logger: Logger): Promise<string> {
  const id = sim.ontap.addJob();
  const client = createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password: PASSWORD }, logger });
  try {
    await client.getJob(id);
  } finally {
    await client.close();
  }
  return id;
}

describe('the logger', () => {
  it('calls a console-like logger as (message, fields), with method, path and status', async () => {
    const calls: unknown[][] = [];
    const id = await getOnce({ debug: (...args: unknown[]) => void calls.push(args) });
    expect(calls).toHaveLength(1);
    const [message, fields] = calls[0] as [string, Record<string, unknown>];
    expect(message).toMatch(new RegExp(`^jobwait: GET /api/cluster/jobs/${id}\\S* 200 in \\d+ ms$`));
    expect(fields).toMatchObject({ method: 'GET', status: 200 });
    expect(String(fields['path'])).toContain(id);
    expect(JSON.stringify(calls)).not.toContain(PASSWORD);
  });

  it('calls a pino logger (levelVal is a number) as (fields, message), so method, path and status stay fields', async () => {
    const pino = new FakePino();
    const id = await getOnce(pino);
    expect(pino.lines).toHaveLength(1);
    const [line] = pino.lines;
    expect(line?.level).toBe('debug');
    expect(line?.obj).toMatchObject({ method: 'GET', status: 200 });
    expect(String(line?.obj?.['path'])).toContain(id);
    expect(line?.msg).toMatch(/^jobwait: GET \/api\/cluster\/jobs\/\S+ 200 in \d+ ms$/);
    expect(JSON.stringify(pino.lines)).not.toContain(PASSWORD);
  });

  it('gives a pino logger a warning without fields as its message alone, and leaves out the methods it lacks', async () => {
    const pino = new FakePino();
    const client = createOntapClient({ baseUrl: sim.url.replace('http:', 'https:'), auth: { username: 'admin', password: PASSWORD }, tls: { rejectUnauthorized: false }, logger: pino });
    await client.close();
    expect(pino.lines).toEqual([{ level: 'warn', msg: expect.stringContaining('TLS certificate verification is off') as unknown as string }]);
    // One without debug: no debug line is attempted, so the request goes through.
    const warnOnly: Logger = { levelVal: 30, warn: () => undefined };
    await expect(getOnce(warnOnly)).resolves.toEqual(expect.any(String));
  });
});
