import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { jsonLine, terminalSafe } from '../../src/cli/terminal-text.js';
import { FAST, runCli, useSimulator } from './run-cli.js';

/** A server's text with every kind of terminal control: SGR red, an OSC 8 hyperlink, a C1 CSI, DEL, CR, and a tab. */
const HOSTILE = 'red \u001b[31mALERT\u001b[0m link \u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007 csi \u009b2J del \u007f cr \r tab\tend';
/** Every control character but newline and tab: C0, DEL, C1. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('server text in human output, from the real bin', () => {
  const cli = useSimulator();

  const env = cli.ontapEnv;
  const hostileJob = (): string =>
    cli.sim.ontap.addJob({
      description: HOSTILE,
      steps: [
        { state: 'running', message: HOSTILE, polls: 1 },
        { state: 'failure', message: HOSTILE, code: 5, error: { code: '5', message: HOSTILE } },
      ],
    });

  test('wait escapes control characters in snapshot lines and in the error message (both on stderr), visibly', async () => {
    const result = await runCli(['wait', 'ontap', hostileJob(), ...FAST], { env: env() });
    expect(result.code).toBe(EXIT.FAILED);
    expect(result.stdout).not.toMatch(CONTROL);
    expect(result.stderr).not.toMatch(CONTROL);
    expect(result.stderr).toContain('\\x1b[31mALERT');
    expect(result.stderr).toContain('\\x1b]8;;https://evil.example/\\x07click');
    expect(result.stderr).toContain('csi \\x9b2J del \\x7f');
    expect(result.stderr).toContain('JOB_FAILED');
    expect(result.stderr).toContain('\\x1b[31mALERT');
  });

  test('get escapes control characters in every field it prints', async () => {
    const result = await runCli(['get', 'ontap', hostileJob()], { env: env() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(result.stdout).toContain('\\x1b[31mALERT');
    expect(result.stdout).not.toMatch(CONTROL);
  });

  test('list escapes control characters in job descriptions', async () => {
    hostileJob();
    const result = await runCli(['list', 'ontap'], { env: env() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    expect(result.stdout).toContain('\\x1b[31mALERT');
    expect(result.stdout).not.toMatch(CONTROL);
  });

  test('--json stays JSON that parses back to the server text, with no raw control character on the wire', async () => {
    const result = await runCli(['wait', 'ontap', hostileJob(), '--json', ...FAST], { env: env() });
    expect(result.code).toBe(EXIT.FAILED);
    expect(result.stdout).not.toMatch(CONTROL);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; job?: { message?: string } });
    expect(lines[0]?.job?.message).toBe(HOSTILE);
    expect(lines.at(-1)).toMatchObject({ type: 'outcome', status: 'failed' });
  });
});

describe('terminalSafe and jsonLine', () => {
  test('terminalSafe escapes C0 (but newline and tab), DEL and C1 visibly, and leaves other text alone', () => {
    expect(terminalSafe('a\u0000b\u001bc\rd\u007fe\u0080f\u009fg')).toBe('a\\x00b\\x1bc\\x0dd\\x7fe\\x80f\\x9fg');
    expect(terminalSafe('line one\n\tline two ✔ é')).toBe('line one\n\tline two ✔ é');
  });

  test('jsonLine is one JSON line with no raw control character, parsing back to the same value', () => {
    const line = jsonLine({ message: HOSTILE });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(CONTROL);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ message: HOSTILE });
  });
});
