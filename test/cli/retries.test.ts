import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FAST, runCli, runInPty, useSimulator } from './run-cli.js';

const TALLY = 'retrying: 503 ×4, UND_ERR_SOCKET ×2';

describe('transient trouble shown live, from the real bin', () => {
  const cli = useSimulator();

  const env = cli.ontapEnv;
  /** A job whose first six requests meet four 503s, then two connection resets (the transport's retries and the wait's next polls get over them). */
  const troubledJob = (): string => {
    const uuid = cli.sim.ontap.addJob();
    cli.sim.fault({ path: uuid, type: 'status', status: 503, times: 4 });
    cli.sim.fault({ path: uuid, type: 'reset', times: 2 });
    return uuid;
  };

  test('plain: a line on stderr for each failure, with the tally so far; the job still succeeds', async () => {
    const uuid = troubledJob();
    const result = await runCli(['wait', 'ontap', uuid, ...FAST], { env: env() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    const retrying = result.stderr.split('\n').filter((line) => line.includes('retrying:'));
    expect(retrying).toHaveLength(6);
    expect(retrying[0]).toMatch(/^\[\d+\.\ds\] retrying: 503 ×1$/);
    expect(retrying.at(-1)).toMatch(new RegExp(`^\\[\\d+\\.\\ds\\] ${TALLY}$`));
    expect(result.stdout).not.toContain('retrying');
  });

  test('--json: each failure is a `retry` event on stdout, with the counts so far', async () => {
    const uuid = troubledJob();
    const result = await runCli(['wait', 'ontap', uuid, '--json', ...FAST], { env: env() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; failure?: string; retries?: Record<string, number> });
    const retries = lines.filter((line) => line.type === 'retry');
    expect(retries.map((line) => line.failure)).toEqual(['503', '503', '503', '503', 'UND_ERR_SOCKET', 'UND_ERR_SOCKET']);
    expect(retries.at(-1)?.retries).toEqual({ 503: 4, UND_ERR_SOCKET: 2 });
    expect(lines.at(-1)).toMatchObject({ type: 'outcome', status: 'succeeded' });
  });

  test('on a terminal (a pseudo-terminal): the live block ends with the tally line', async () => {
    const uuid = troubledJob();
    const { code, output } = await runInPty('stty rows 10 cols 100;', ['wait', 'ontap', uuid, ...FAST], env());
    expect(code).toBe(EXIT.SUCCEEDED);
    expect(output).toContain(`\r\n  ${TALLY}\r\n`);
    expect(output).not.toMatch(/^\[\d+\.\ds\] retrying/m);
  });

  test('a 404 that ends the wait is not counted as a retry', async () => {
    const result = await runCli(['wait', 'ontap', '00000000-0000-4000-8000-000000000000', ...FAST], { env: env() });
    expect(result.code).toBe(EXIT.NOT_FOUND);
    expect(result.stderr).not.toContain('retrying');
  });
});
