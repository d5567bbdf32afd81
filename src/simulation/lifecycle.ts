/** How long a scripted step lasts: a number of polls, or milliseconds. */
export interface StepTiming {
  /** Shown for this many polls (GETs of the job). The default when neither is given: 1. */
  polls?: number;
  /** Shown for this long, in milliseconds. */
  ms?: number;
}

/** When a scripted job is missing: before it is visible, and after it is deleted. */
export interface VisibilityScript {
  /** Answer 404 to the first N polls (the job is not visible yet). */
  hiddenForPolls?: number;
  /** Answer 404 until this long after the job was added. */
  hiddenForMs?: number;
  /** After the job reaches a terminal step, delete it after this long (then 404). */
  deleteAfterMs?: number;
  /** After the job reaches a terminal step, delete it after N polls that showed it. */
  deleteAfterPolls?: number;
}

/** What a poll sees. @internal */
export type LifecycleView<TStep> = { kind: 'visible'; step: TStep; index: number } | { kind: 'missing'; reason: 'hidden' | 'deleted' };

/**
 * A scripted job's life: steps shown per poll or over time, hidden at first, deleted after its end,
 * and overrides for actions (pause, cancel). The last step holds.
 * @internal
 */
export class Lifecycle<TStep extends StepTiming> {
  readonly #steps: TStep[];
  readonly #visibility: VisibilityScript;
  readonly #isTerminal: (step: TStep) => boolean;
  readonly #createdAt: number;
  #index = 0;
  #shownInStep = 0;
  #enteredAt: number;
  /** A step counted in polls begins when a poll first sees it. */
  #enteredOnNextView = false;
  #hiddenPolls = 0;
  #terminalAt: number | undefined;
  #terminalPolls = 0;
  #override: TStep | undefined;
  #frozen = false;
  #deleted = false;

  constructor(steps: TStep[], visibility: VisibilityScript, isTerminal: (step: TStep) => boolean, now: number = Date.now()) {
    if (steps.length === 0) throw new Error('a scripted job needs at least one step');
    this.#steps = steps;
    this.#visibility = visibility;
    this.#isTerminal = isTerminal;
    this.#createdAt = now;
    this.#enteredAt = now;
  }

  /** A GET of the job: advances the script and returns what it shows. */
  poll(now: number = Date.now()): LifecycleView<TStep> {
    return this.#view(now, true);
  }

  /** What the job shows now, without counting a poll (filters, actions). */
  peek(now: number = Date.now()): LifecycleView<TStep> {
    return this.#view(now, false);
  }

  /** Shows `step` from now on, frozen (pause, cancel) or not. */
  override(step: TStep | undefined, frozen: boolean, now: number = Date.now()): void {
    this.#override = step;
    this.#frozen = frozen;
    this.#enteredAt = now;
    this.#shownInStep = 0;
    if (step && this.#isTerminal(step) && this.#terminalAt === undefined) this.#terminalAt = now;
  }

  /** When the job reached its terminal step (`undefined` before), in `Date.now()` time. */
  get endedAt(): number | undefined {
    return this.#terminalAt;
  }

  /** Deletes the job: every later poll answers 404. */
  delete(): void {
    this.#deleted = true;
  }

  #view(now: number, counts: boolean): LifecycleView<TStep> {
    if (this.#deleted) return { kind: 'missing', reason: 'deleted' };
    const v = this.#visibility;
    const hiddenByPolls = v.hiddenForPolls !== undefined && this.#hiddenPolls < v.hiddenForPolls;
    const hiddenByTime = v.hiddenForMs !== undefined && now - this.#createdAt < v.hiddenForMs;
    if (hiddenByPolls || hiddenByTime) {
      if (counts) this.#hiddenPolls++;
      if (!hiddenByTime) this.#enteredAt = now;
      else this.#enteredAt = this.#createdAt + (v.hiddenForMs ?? 0);
      return { kind: 'missing', reason: 'hidden' };
    }
    if (this.#enteredOnNextView) {
      this.#enteredAt = now;
      this.#enteredOnNextView = false;
    }
    if (!this.#frozen && !this.#override) this.#advanceByTime(now);
    const step = this.#override ?? (this.#steps[this.#index] as TStep);
    const index = this.#index;
    if (this.#isTerminal(step)) {
      // The end is when the script reached the terminal step, seen or not.
      this.#terminalAt ??= this.#enteredAt;
      const expiredByTime = v.deleteAfterMs !== undefined && now - this.#terminalAt >= v.deleteAfterMs;
      const expiredByPolls = v.deleteAfterPolls !== undefined && this.#terminalPolls >= v.deleteAfterPolls;
      if (expiredByTime || expiredByPolls) {
        this.#deleted = true;
        return { kind: 'missing', reason: 'deleted' };
      }
      if (counts) this.#terminalPolls++;
    }
    if (counts && !this.#frozen && !this.#override) {
      this.#shownInStep++;
      const polls = step.ms === undefined ? (step.polls ?? 1) : undefined;
      if (polls !== undefined && this.#shownInStep >= polls && this.#index < this.#steps.length - 1) {
        this.#index++;
        this.#shownInStep = 0;
        this.#enteredOnNextView = true;
      }
    }
    return { kind: 'visible', step, index };
  }

  #advanceByTime(now: number): void {
    for (;;) {
      const step = this.#steps[this.#index] as TStep;
      if (step.ms === undefined || this.#index >= this.#steps.length - 1) return;
      if (now - this.#enteredAt < step.ms) return;
      this.#enteredAt += step.ms;
      this.#index++;
      this.#shownInStep = 0;
    }
  }
}
