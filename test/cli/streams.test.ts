import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FAST, runCli, useSimulator } from './run-cli.js';

// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b/;

describe('the streams, from the real bin: progress on stderr, only the result on stdout', () => {
  const cli = useSimulator();

  const { ontapEnv, huaweiEnv } = cli;

  test('off a terminal, the plain progress lines go to stderr and stdout holds the one outcome line', async () => {
    const uuid = cli.sim.ontap.addJob();
    const result = await runCli(['wait', 'ontap', uuid, ...FAST], { env: ontapEnv() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(result.stdout).toMatch(new RegExp(`^✔ ontap job ${uuid} succeeded in \\d+\\.\\ds\\n$`));
    const progress = result.stderr.trim().split('\n');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((line) => line.startsWith('[') && line.includes(`ontap ${uuid}`))).toBe(true);
  });

  test('on a terminal, the live block is drawn on stderr and stdout holds the outcome line alone, with no escape sequence', async () => {
    const uuid = cli.sim.ontap.addJob();
    const result = await runCli(['wait', 'ontap', uuid, ...FAST], { env: ontapEnv(), tty: true });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(result.stderr).toContain('\x1b[0J');
    expect(result.stdout).not.toMatch(ESCAPE);
    expect(result.stdout).toMatch(new RegExp(`^✔ ontap job ${uuid} succeeded in \\d+\\.\\ds\\n$`));
  });

  test('with --json every stdout line is JSON, also when the job fails; the human error line goes to stderr', async () => {
    for (const tty of [false, true]) {
      const jobId = cli.sim.cas.addJob({ jobId: `JOB-streams-${String(tty)}` });
      const result = await runCli(['wait', 'cas', jobId, '--json', ...FAST], { env: huaweiEnv(), tty });
      expect(result.code).toBe(EXIT.FAILED);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
      expect(result.stderr).toMatch(/^jobwait: JOB_FAILED: /m);
      expect(result.stderr).not.toContain('\x1b[0J');
    }
  });

  test('demo: the progress goes to stderr, the summary table alone to stdout', async () => {
    const result = await runCli(['demo'], { timeoutMs: 20_000 });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(result.stderr).toMatch(/^\[\d+\.\ds\] ontap /m);
    expect(result.stdout).not.toMatch(/^\[\d+\.\ds\]/m);
    expect(result.stdout.trim().split('\n')[0]).toMatch(/^VENDOR\s+JOB\s+EXPECTED/);
  }, 25_000);
});
