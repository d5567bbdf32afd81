import { readFile } from 'node:fs/promises';
import { Agent, MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/errors/invalid-argument-error.js';
import { CLIENT_DEFAULTS, resolveClientOptions, VERSION, type ClientOptions } from '../../../src/transport/client-options.js';

function invalid(options: ClientOptions): InvalidArgumentError {
  try {
    resolveClientOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be refused`);
}

const agents: Agent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.close();
});

describe('resolveClientOptions', () => {
  it('fills every default when given nothing', () => {
    expect(resolveClientOptions({})).toEqual({
      dispatcher: undefined,
      requestTimeoutMs: 30_000,
      retries: 2,
      retryMinTimeoutMs: 200,
      retryMaxTimeoutMs: 2_000,
      userAgent: `jobwait/${VERSION}`,
      logger: undefined,
      maxResponseBytes: 8 * 1024 * 1024,
      maxConcurrentRequests: 16,
      requestsPerSecond: undefined,
      maxClientPauseMs: 60_000,
    });
    expect(Object.isFrozen(CLIENT_DEFAULTS)).toBe(true);
  });

  it("names package.json's version in the default User-Agent", async () => {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(CLIENT_DEFAULTS.userAgent).toBe(`jobwait/${pkg.version}`);
  });

  it('takes every option given', () => {
    const agent = new Agent();
    agents.push(agent);
    const logger = { debug: () => undefined };
    const resolved = resolveClientOptions({
      dispatcher: agent,
      requestTimeoutMs: 100,
      retry: { retries: 5, minTimeoutMs: 1, maxTimeoutMs: 20 },
      userAgent: 'my-app/1.0',
      logger,
      maxResponseBytes: 1024,
    });
    expect(resolved.dispatcher).toBe(agent);
    expect(resolved.logger).toBe(logger);
    expect(resolved).toMatchObject({ requestTimeoutMs: 100, retries: 5, retryMinTimeoutMs: 1, retryMaxTimeoutMs: 20, userAgent: 'my-app/1.0', maxResponseBytes: 1024 });
  });

  it('turns retry: false into zero retries', () => {
    expect(resolveClientOptions({ retry: false }).retries).toBe(0);
    expect(resolveClientOptions({ retry: { retries: 0 } }).retries).toBe(0);
  });

  it('raises the default cap of a retry delay to a larger first delay', () => {
    expect(resolveClientOptions({ retry: { minTimeoutMs: 5_000 } }).retryMaxTimeoutMs).toBe(5_000);
    expect(resolveClientOptions({ retry: { minTimeoutMs: 10 } }).retryMaxTimeoutMs).toBe(2_000);
  });

  it.each([-1, 0, Number.NaN, Number.POSITIVE_INFINITY, 2_147_483_648, '100' as unknown as number])('refuses requestTimeoutMs %s', (value) => {
    const error = invalid({ requestTimeoutMs: value });
    expect(error.argument).toBe('requestTimeoutMs');
    expect(error.message).toMatch(/requestTimeoutMs/);
  });

  it('accepts a fractional requestTimeoutMs and the largest timer value', () => {
    expect(resolveClientOptions({ requestTimeoutMs: 1.5 }).requestTimeoutMs).toBe(1.5);
    expect(resolveClientOptions({ requestTimeoutMs: 2_147_483_647 }).requestTimeoutMs).toBe(2_147_483_647);
  });

  it.each([1.5, -1, 101, Number.NaN, Number.POSITIVE_INFINITY])('refuses retry.retries %s (an integer from 0 to 100)', (value) => {
    const error = invalid({ retry: { retries: value } });
    expect(error.argument).toBe('retry.retries');
    expect(error.message).toMatch(/integer/);
  });

  it('refuses a negative retry delay and a cap below the first delay', () => {
    expect(invalid({ retry: { minTimeoutMs: -1 } }).argument).toBe('retry.minTimeoutMs');
    expect(invalid({ retry: { maxTimeoutMs: -1 } }).argument).toBe('retry.maxTimeoutMs');
    expect(invalid({ retry: { minTimeoutMs: 100, maxTimeoutMs: 50 } }).argument).toBe('retry.maxTimeoutMs');
    expect(resolveClientOptions({ retry: { minTimeoutMs: 50, maxTimeoutMs: 50 } }).retryMaxTimeoutMs).toBe(50);
  });

  it.each([0, -5, 1.5, Number.NaN, 2 * 1024 * 1024 * 1024])('refuses maxResponseBytes %s', (value) => {
    expect(invalid({ maxResponseBytes: value }).argument).toBe('maxResponseBytes');
  });

  it.each(['evil\r\nX-Injected: 1', 'evil\nx', 'evil\rx', 'nul\0x'])('refuses a userAgent with a line break or NUL (%j)', (userAgent) => {
    const error = invalid({ userAgent });
    expect(error.argument).toBe('userAgent');
    expect(error.code).toBe('INVALID_ARGUMENT');
  });

  it('refuses a userAgent that is not a string', () => {
    expect(invalid({ userAgent: 42 as unknown as string }).argument).toBe('userAgent');
  });

  it('refuses a dispatcher that is not an undici Dispatcher', () => {
    for (const dispatcher of [{}, { request: 'yes' }, 'agent', 42]) {
      const error = invalid({ dispatcher: dispatcher as unknown as Agent });
      expect(error.argument).toBe('dispatcher');
      expect(error.message).toMatch(/Dispatcher/);
    }
  });

  it('accepts undici dispatchers of any kind', () => {
    const agent = new Agent();
    const mock = new MockAgent();
    agents.push(agent, mock as unknown as Agent);
    expect(resolveClientOptions({ dispatcher: agent }).dispatcher).toBe(agent);
    expect(resolveClientOptions({ dispatcher: mock }).dispatcher).toBe(mock);
  });
});
