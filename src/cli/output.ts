import * as util from 'node:util';
import { isTerminal, type Job, type Task } from '../model/job.js';
import { JobwaitError } from '../errors/index.js';
import { errorCodeOf } from './exit-codes.js';
import { inCliTerms } from './messages.js';
import type { RetryTally } from './retries.js';
import { jsonLine, terminalSafe } from './terminal-text.js';

/** `tty`: a live status block on stderr; `plain`: one line per change on stderr; `json`: NDJSON on stdout. */
export type OutputMode = 'tty' | 'plain' | 'json';

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
  /** A terminal's height: the live block never draws more lines than it has rows. */
  rows?: number | undefined;
  /** A terminal's `'resize'` (SIGWINCH): the live block redraws to the new size. */
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  env: Readonly<Record<string, string | undefined>>;
}

/** The output mode: `json` when asked; else `tty` when stderr (where progress goes) is a terminal; else `plain`. */
export function chooseMode(json: boolean, stderr: OutStream): OutputMode {
  if (json) return 'json';
  return stderr.isTTY ? 'tty' : 'plain';
}

/** How a wait ended, as printed last (and as the `outcome` NDJSON line). */
export interface Outcome {
  vendor: string;
  id: string;
  status: 'succeeded' | 'failed' | 'cancelled' | 'timeout' | 'not_found' | 'interrupted' | 'error';
  exitCode: number;
  job?: Job | undefined;
  error?: unknown;
}

type Style = 'red' | 'green' | 'yellow' | 'cyan' | 'dim' | 'bold';
export type StyleText = (format: Style, text: string) => string;

/** `util.styleText` (Node >= 20.12); plain text when it is missing, off a terminal, or with NO_COLOR. */
export function makeStyler(io: Io, stream: OutStream): StyleText {
  const styleText = (util as { styleText?: StyleText }).styleText;
  const enabled = typeof styleText === 'function' && stream.isTTY === true && !io.env['NO_COLOR'] && io.env['TERM'] !== 'dumb';
  return enabled ? (format, text) => styleText(format, text) : (_format, text) => text;
}

const STATE_STYLE: Readonly<Record<string, Style>> = {
  succeeded: 'green',
  failed: 'red',
  cancelled: 'yellow',
  running: 'cyan',
  queued: 'dim',
  paused: 'yellow',
  skipped: 'dim',
  unknown: 'yellow',
};

export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1_000);
  if (seconds < 60) return `${(ms / 1_000).toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** Server text on one line, its control characters escaped, cut to `max`. */
function oneLine(text: string | undefined, max = 120): string {
  if (!text) return '';
  const flat = terminalSafe(text.replace(/\s+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function describeState(job: Pick<Job, 'state' | 'vendorState'>): string {
  return job.vendorState && job.vendorState !== job.state ? `${job.state} (${terminalSafe(job.vendorState)})` : job.state;
}

/** The plain line of one snapshot: `[1.2s] cas JOB… running (RUNNING) 2/5 tasks: message`. */
export function plainLine(job: Job, elapsedMs: number): string {
  const progress = job.progress ? ` ${job.progress.completed}/${job.progress.total} tasks` : '';
  const message = oneLine(job.error?.message ?? job.message);
  return terminalSafe(`[${formatElapsed(elapsedMs)}] ${job.vendor} ${job.id} ${describeState(job)}${progress}${message ? `: ${message}` : ''}`);
}

/**
 * The stderr line of an error: `jobwait: JOB_FAILED: message`, never a stack; the message (which
 * may quote the server) with its control characters escaped, and in the CLI's words (`--ca FILE`).
 */
export function errorLine(error: unknown, style: StyleText): string {
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof JobwaitError && error.code === 'ABORTED') message = `interrupted. ${message}; the job itself goes on`;
  return `${style('red', 'jobwait:')} ${errorCodeOf(error)}: ${terminalSafe(inCliTerms(message))}\n`;
}

/** A JSON-safe view of an error: the typed error's own secret-free `toJSON`. */
export function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof JobwaitError) return error.toJSON();
  if (error instanceof Error) return { name: error.name, code: errorCodeOf(error), message: error.message };
  return { code: 'ERROR', message: String(error) };
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Prints the snapshots and outcomes of one or more waits in the chosen mode. Progress (the live
 * block, the plain lines) and errors go to stderr; stdout holds only the result: the outcome line,
 * or with `--json` the NDJSON lines (each snapshot, then the outcome), so every stdout line is JSON.
 */
export class Reporter {
  readonly mode: OutputMode;
  readonly #io: Io;
  readonly #style: StyleText;
  readonly #errStyle: StyleText;
  readonly #started = Date.now();
  readonly #jobs = new Map<string, { job?: Job; label: string; outcome?: Outcome }>();
  #frame = 0;
  /** The visible width of each line of the frame on screen (to move back up over it). */
  #drawnWidths: number[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #redraw = (): void => this.#draw();
  readonly #retries: RetryTally | undefined;

  /** With `retries`, the transient failures met are shown live too (see {@link RetryTally}). */
  constructor(mode: OutputMode, io: Io, retries?: RetryTally) {
    this.mode = mode;
    this.#io = io;
    this.#style = makeStyler(io, io.stdout);
    this.#errStyle = makeStyler(io, io.stderr);
    this.#retries = retries;
    retries?.listen((kind) => this.#retried(kind));
  }

  /** A transient failure was met: a `retry` NDJSON line, a plain line, or the live block's last line. */
  #retried(kind: string): void {
    const retries = this.#retries;
    if (retries === undefined) return;
    const elapsedMs = Date.now() - this.#started;
    if (this.mode === 'json') this.#line({ type: 'retry', elapsedMs, failure: kind, retries: retries.counts() });
    else if (this.mode === 'plain') this.#io.stderr.write(`[${formatElapsed(elapsedMs)}] retrying: ${terminalSafe(retries.summary())}\n`);
    else this.#draw();
  }

  /** Registers a wait before its first snapshot (the live block shows it as "starting"). */
  track(vendor: string, id: string): void {
    const key = `${vendor}\u0000${id}`;
    if (!this.#jobs.has(key)) this.#jobs.set(key, { label: terminalSafe(`${vendor} ${id}`) });
    if (this.mode === 'tty' && this.#timer === undefined) {
      this.#timer = setInterval(this.#redraw, 100);
      this.#timer.unref();
      this.#io.stderr.on?.('resize', this.#redraw);
      this.#draw();
    }
  }

  snapshot(job: Job): void {
    const elapsedMs = Date.now() - this.#started;
    const entry = this.#jobs.get(`${job.vendor}\u0000${job.id}`);
    if (entry) entry.job = job;
    else this.#jobs.set(`${job.vendor}\u0000${job.id}`, { job, label: terminalSafe(`${job.vendor} ${job.id}`) });
    if (this.mode === 'json') this.#line({ type: 'snapshot', elapsedMs, job });
    else if (this.mode === 'plain') this.#io.stderr.write(`${plainLine(job, elapsedMs)}\n`);
    else this.#draw();
  }

  /**
   * One wait ended while others may go on (the demo's): the live block shows it; then its NDJSON
   * line, or its error line on stderr. No result line: see {@link outcomes}.
   */
  outcome(outcome: Outcome): void {
    this.#record(outcome);
    if (this.mode === 'tty') this.#draw();
    this.#print(outcome, false);
  }

  /**
   * How every wait ended, once all have: the live block's last frame, then for each its NDJSON
   * line, or its error line on stderr, or its result line on stdout (`✔ ontap job … succeeded in 1.2s`).
   */
  outcomes(outcomes: readonly Outcome[]): void {
    for (const outcome of outcomes) this.#record(outcome);
    this.#stopLive();
    for (const outcome of outcomes) this.#print(outcome, true);
  }

  #record(outcome: Outcome): void {
    const entry = this.#jobs.get(`${outcome.vendor}\u0000${outcome.id}`);
    if (entry) entry.outcome = outcome;
  }

  #print(outcome: Outcome, result: boolean): void {
    if (this.mode === 'json') {
      this.#line({
        type: 'outcome',
        vendor: outcome.vendor,
        id: outcome.id,
        status: outcome.status,
        exitCode: outcome.exitCode,
        elapsedMs: Date.now() - this.#started,
        ...(outcome.job ? { job: outcome.job } : {}),
        ...(outcome.error === undefined ? {} : { error: errorJson(outcome.error) }),
      });
    }
    if (outcome.error !== undefined) this.error(outcome.error);
    else if (result && this.mode !== 'json') {
      this.#io.stdout.write(`${this.#style('green', '✔')} ${terminalSafe(`${outcome.vendor} job ${outcome.id}`)} ${outcome.status} in ${formatElapsed(Date.now() - this.#started)}\n`);
    }
  }

  /** `jobwait: JOB_FAILED: message` on stderr ({@link errorLine}). */
  error(error: unknown): void {
    this.#stopLive();
    this.#io.stderr.write(errorLine(error, this.#errStyle));
  }

  /** Stops the live block, leaving its last frame on screen. */
  close(): void {
    this.#retries?.listen(undefined);
    this.#stopLive();
  }

  #stopLive(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#io.stderr.off?.('resize', this.#redraw);
    this.#draw(true);
    this.#drawnWidths = [];
  }

  #line(value: unknown): void {
    this.#io.stdout.write(jsonLine(value));
  }

  /**
   * Draws the live block in place: back up over the last frame (as many rows as its lines take at
   * the terminal's width now, which a resize may have changed), then the new frame, cut to the
   * terminal's rows less one, so that no line scrolls off the screen where it could not be redrawn.
   */
  #draw(final = false): void {
    if (this.mode !== 'tty') return;
    this.#frame = (this.#frame + 1) % SPINNER.length;
    const columns = Math.max(2, this.#io.stderr.columns ?? 100);
    const width = columns - 1;
    const lines: LiveLine[] = [];
    const elapsed = formatElapsed(Date.now() - this.#started);
    for (const { job, label, outcome } of this.#jobs.values()) {
      const done = outcome !== undefined || (job !== undefined && isTerminal(job.state));
      const mark = done ? (job?.state === 'succeeded' ? this.#errStyle('green', '✔') : this.#errStyle('red', '✖')) : this.#errStyle('cyan', final ? '•' : (SPINNER[this.#frame] ?? '•'));
      const state = job ? this.#errStyle(STATE_STYLE[job.state] ?? 'bold', describeState(job)) : this.#errStyle('dim', outcome ? outcome.status : 'starting');
      const progress = job?.progress ? ` ${job.progress.completed}/${job.progress.total}` : '';
      const message = oneLine(job?.error?.message ?? job?.message, 80);
      lines.push({ text: `${mark} ${this.#errStyle('dim', elapsed)} ${label} ${state}${progress}${message ? ` ${this.#errStyle('dim', message)}` : ''}`, task: undefined });
      if (job) for (const task of flattenTasks(job.tasks, 1)) lines.push({ text: this.#taskLine(task.task, task.depth), task: task.task });
    }
    const retrying = this.#retries?.summary();
    const rows = Math.max(1, (this.#io.stderr.rows ?? 24) - 1);
    const shown = (retrying ? [...fitRows(lines, Math.max(1, rows - 1)), this.#errStyle('yellow', `  retrying: ${terminalSafe(retrying)}`)] : fitRows(lines, rows)).map((line) => clip(line, width));
    const up = this.#drawnWidths.reduce((rows, visible) => rows + Math.max(1, Math.ceil(visible / columns)), 0);
    this.#io.stderr.write(`${up > 0 ? `\x1b[${up}F` : ''}\x1b[0J${shown.join('\n')}\n`);
    this.#drawnWidths = shown.map(visibleLength);
  }

  #taskLine(task: Task, depth: number): string {
    const icon = task.state === 'succeeded' ? this.#errStyle('green', '✔') : task.state === 'failed' ? this.#errStyle('red', '✖') : task.state === 'running' ? this.#errStyle('cyan', '›') : this.#errStyle('dim', '·');
    const name = terminalSafe(task.name ?? task.type ?? task.id);
    const detail = oneLine(task.error ? `${task.error.code ? `${task.error.code} ` : ''}${task.error.message}` : task.message, 60);
    return `${'  '.repeat(depth)}${icon} ${name} ${this.#errStyle(STATE_STYLE[task.state] ?? 'bold', task.state)}${detail ? ` ${this.#errStyle('dim', detail)}` : ''}`;
  }
}

/** A line of the live block: a job's header (no `task`) or one of its tasks. */
interface LiveLine {
  text: string;
  task: Task | undefined;
}

/** The order tasks keep their line in a short terminal: failed, then running, then the others. */
const KEEP_FIRST: Readonly<Record<string, number>> = { failed: 0, running: 1 };

/**
 * The lines of a frame cut to `rows`: every job's header first, then as many tasks as fit (failed
 * and running ones first, in their order), and a last line that says what was left out.
 */
function fitRows(lines: readonly LiveLine[], rows: number): string[] {
  if (lines.length <= rows) return lines.map((line) => line.text);
  const budget = rows - 1;
  const headers = lines.filter((line) => line.task === undefined);
  const tasks = lines.filter((line) => line.task !== undefined);
  const keptHeaders = new Set(headers.slice(0, budget));
  const keptTasks = new Set(
    [...tasks]
      .sort((a, b) => (KEEP_FIRST[a.task?.state ?? ''] ?? 2) - (KEEP_FIRST[b.task?.state ?? ''] ?? 2))
      .slice(0, Math.max(0, budget - keptHeaders.size)),
  );
  const hiddenJobs = headers.length - keptHeaders.size;
  const hiddenTasks = tasks.length - keptTasks.size;
  const more = [hiddenJobs > 0 ? plural(hiddenJobs, 'job') : '', hiddenTasks > 0 ? plural(hiddenTasks, 'task') : ''].filter(Boolean).join(' and ');
  const kept = lines.filter((line) => keptHeaders.has(line) || keptTasks.has(line)).map((line) => line.text);
  return [...kept, `  … and ${more.replace(/^(\d+)/, '$1 more')}`];
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

function flattenTasks(tasks: readonly Task[], depth: number): { task: Task; depth: number }[] {
  return tasks.flatMap((task) => [{ task, depth }, ...flattenTasks(task.tasks, depth + 1)]);
}

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;

/** A line's length on screen, without its escape sequences. */
const visibleLength = (line: string): number => line.replace(SGR, '').length;

/** Cuts a line to the terminal width, ignoring the width of escape sequences. */
function clip(line: string, width: number): string {
  const visible = line.replace(SGR, '');
  return visible.length <= width ? line : `${visible.slice(0, Math.max(0, width - 1))}…`;
}

/** A human view of one job (for `get`): the status line, then its tasks. */
export function describeJobText(job: Job): string {
  const lines = [`${job.vendor} job ${job.id}`, `  state:    ${describeState(job)}`];
  if (job.type) lines.push(`  type:     ${job.type}`);
  if (job.description) lines.push(`  desc:     ${oneLine(job.description)}`);
  if (job.message) lines.push(`  message:  ${oneLine(job.message)}`);
  if (job.error) lines.push(`  error:    ${job.error.code ? `${job.error.code} ` : ''}${oneLine(job.error.message)}${job.error.target ? ` (at ${job.error.target})` : ''}`);
  if (job.progress) lines.push(`  progress: ${job.progress.completed}/${job.progress.total} tasks`);
  for (const [label, date] of [['created', job.createdAt], ['started', job.startedAt], ['updated', job.updatedAt], ['ended', job.endedAt]] as const) {
    if (date) lines.push(`  ${`${label}:`.padEnd(9)} ${date.toISOString()}`);
  }
  for (const { task, depth } of flattenTasks(job.tasks, 1)) {
    const detail = task.error ? ` ${task.error.code ? `${task.error.code} ` : ''}${oneLine(task.error.message, 80)}` : '';
    lines.push(`${'  '.repeat(depth)}- ${task.name ?? task.type ?? task.id}: ${task.state}${detail}`);
  }
  return terminalSafe(`${lines.join('\n')}\n`);
}
