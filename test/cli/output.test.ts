import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { Reporter, type Io } from '../../src/cli/output.js';
import { runInPty, useSimulator } from './run-cli.js';


/**
 * The part of a terminal the live block uses: printable text (with auto-wrap), CR, LF (which
 * scrolls the top line into the scrollback once the cursor is on the last row), `ESC[nF` (up n
 * lines, to column 0), `ESC[0J` (clear to the end of the screen); colours are skipped.
 */
class Screen {
  readonly lines: string[][] = [[]];
  top = 0;
  #row = 0;
  #col = 0;
  constructor(
    readonly rows: number,
    readonly cols: number,
  ) {}

  write(text: string): void {
    // eslint-disable-next-line no-control-regex
    const tokens = text.match(/\x1b\[[0-9;?]*[A-Za-z]|[\s\S]/gu) ?? [];
    for (const token of tokens) {
      if (token === '\r') this.#col = 0;
      else if (token === '\n') this.#lineFeed();
      else if (token.startsWith('\x1b[')) this.#csi(token);
      else {
        if (this.#col >= this.cols) {
          this.#lineFeed();
          this.#col = 0;
        }
        (this.lines[this.#row] ??= [])[this.#col] = token;
        this.#col += 1;
      }
    }
  }

  /** Every line: the scrollback (what scrolled off the top, which no program can redraw), then the screen. */
  get all(): string[] {
    return this.lines.map((line) => Array.from(line, (ch) => ch ?? ' ').join('').trimEnd());
  }

  #lineFeed(): void {
    this.#row += 1;
    this.lines[this.#row] ??= [];
    if (this.#row >= this.top + this.rows) this.top = this.#row - this.rows + 1;
  }

  #csi(token: string): void {
    const final = token.at(-1);
    const n = Number(token.slice(2, -1) || '0');
    if (final === 'F') {
      this.#row = Math.max(this.top, this.#row - Math.max(1, n));
      this.#col = 0;
    } else if (final === 'J' && n === 0) {
      this.lines[this.#row] = (this.lines[this.#row] ?? []).slice(0, this.#col);
      this.lines.length = this.#row + 1;
    } else if (final !== 'm') {
      throw new Error(`unexpected escape sequence ${JSON.stringify(token)}`);
    }
  }
}

/** Each frame of the live block in the raw output: the lines drawn after each `ESC[0J`. */
function frames(output: string): string[][] {
  return output
    .split('\x1b[0J')
    .slice(1)
    .map((chunk) => chunk.split(/\x1b\[\d+F/)[0] ?? '')
    .map((chunk) => chunk.replace(/\r/g, '').split('\n').slice(0, -1))
    // The outcome line (on stdout) follows the last frame.
    .map((lines) => lines.filter((line) => !/^✔ \w+ job /.test(line)));
}

describe('the live block in a short terminal, from the real bin in a pseudo-terminal', () => {
  const cli = useSimulator();

  const env = cli.huaweiEnv;
  const slowJob = (name: string): string =>
    cli.sim.cas.addJob({
      jobId: `JOB-${name}`,
      steps: [
        { status: 'SUBMITTED', polls: 2 },
        { status: 'RUNNING', taskStatuses: ['SUCCEEDED', 'SUCCEEDED', 'RUNNING', 'SUBMITTED', 'SUBMITTED'], polls: 8 },
        { status: 'SUCCEEDED' },
      ],
    });
  const SLOW = ['--min-delay', '100ms', '--max-delay', '100ms'];

  test('in 4 rows a 5-task CAS job is drawn in place in 3 lines ("… and 4 more tasks"), leaving no copy of it in the scrollback', async () => {
    const jobId = slowJob('short-pane');
    const { code, output } = await runInPty('stty rows 4 cols 100;', ['wait', 'cas', jobId, ...SLOW], env());
    expect(code).toBe(EXIT.SUCCEEDED);
    const drawn = frames(output);
    expect(drawn.length).toBeGreaterThan(5);
    for (const frame of drawn) expect(frame.length, frame.join('\n')).toBeLessThanOrEqual(3);
    expect(drawn.some((frame) => frame.at(-1) === '  … and 4 more tasks')).toBe(true);
    // The running task keeps its line.
    expect(drawn.some((frame) => frame[1]?.includes('running'))).toBe(true);
    const screen = new Screen(4, 100);
    screen.write(output);
    const headers = screen.all.filter((line) => new RegExp(`^\\S \\S+ cas ${jobId} `).test(line));
    // Scrollback and screen together hold the header once: each frame replaced the one before.
    expect(headers, screen.all.join('\n')).toHaveLength(1);
  });

  test('after the terminal grows (a resize: SIGWINCH), the block uses the new rows', async () => {
    const jobId = slowJob('resized');
    const { code, output } = await runInPty('stty rows 4 cols 100; (sleep 0.5; stty rows 12 </dev/tty) &', ['wait', 'cas', jobId, ...SLOW], env());
    expect(code).toBe(EXIT.SUCCEEDED);
    const drawn = frames(output);
    expect(drawn[0]?.length).toBeLessThanOrEqual(3);
    expect(drawn.at(-1)).toHaveLength(6);
    expect(drawn.at(-1)?.some((line) => line.includes('more'))).toBe(false);
  });
});

describe('the live block on a resize', () => {
  test('redraws at once, backing up over as many rows as the last frame takes at the new width', () => {
    const stderr = Object.assign(new EventEmitter(), { isTTY: true, columns: 120, rows: 20, written: [] as string[], write: (text: string) => stderr.written.push(text) });
    const io: Io = { stdout: { write: () => true }, stderr, env: { NO_COLOR: '1' } };
    const reporter = new Reporter('tty', io);
    reporter.track('cas', `JOB-${'x'.repeat(60)}`);
    const before = stderr.written.length;
    const widths = (stderr.written.at(-1) ?? '').replace('\x1b[0J', '').split('\n').slice(0, -1).map((line) => line.length);
    expect(widths[0]).toBeGreaterThan(60);
    stderr.columns = 30;
    stderr.emit('resize');
    expect(stderr.written.length).toBe(before + 1);
    const rowsTaken = widths.reduce((sum, width) => sum + Math.ceil(width / 30), 0);
    expect(stderr.written.at(-1)?.startsWith(`\x1b[${rowsTaken}F\x1b[0J`)).toBe(true);
    reporter.close();
    expect(stderr.listenerCount('resize')).toBe(0);
  });
});
