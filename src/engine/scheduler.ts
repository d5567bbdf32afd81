import { offAbort, onAbort } from './abort-listeners.js';
import { closingSignalOf } from '../client/client-closing.js';
import { now, wallClockOffset } from './clock.js';
import { JobNotFoundError } from '../errors/job-not-found-error.js';
import { JobTimeoutError } from '../errors/job-timeout-error.js';
import { WaitAbortedError, type CancelOutcome } from '../errors/wait-aborted-error.js';
import type { JobSource } from '../client/job-client.js';
import type { Job } from '../model/job.js';
import { MAX_TIMER_MS, type ResolvedWaitOptions } from './options.js';
import { advanceWait, expireWait, withoutLastJob, type PollResult, type WaitEnd } from './advance.js';
import { DueHeap } from './due-heap.js';
import { interruptedError } from './interrupted.js';
import { batchSizeOf, pollOne } from './poll-one.js';
import { requestBudgetOf } from './request-budget.js';
import { ActiveWait, type Lane, type Request, type WallClock, type WaitSink } from './wait.js';
import { initialState, lastJobOf, type WaitState } from './wait-state.js';
import { toCheckpointJob } from './checkpoint.js';
import type { BatchJobSource } from './wait-for-jobs.js';

/**
 * How early a due poll may go when the timer wakes the scheduler, in milliseconds: timers run on
 * whole milliseconds, so a poll due at 1950.3 ms goes when the 1950 ms timer fires rather than at
 * 1951. Deadlines are kept exactly. Only a timer applies it, and a timer waits 1 ms at least, so
 * no poll planned a fraction of a millisecond ahead can go round without the clock moving.
 */
const POLL_TOLERANCE_MS = 1;

const schedulers = new WeakMap<object, Scheduler<unknown>>();

/**
 * The client's scheduler, made on first use: every wait on `client` (single waits, watches and
 * fleets alike) is driven by it.
 * @internal
 */
export function schedulerOf<TRaw>(client: JobSource<TRaw>): Scheduler<TRaw> {
  let scheduler = schedulers.get(client) as Scheduler<TRaw> | undefined;
  if (scheduler === undefined) {
    scheduler = new Scheduler(client);
    schedulers.set(client, scheduler as Scheduler<unknown>);
  }
  return scheduler;
}

/**
 * One client's waits, in one due-time heap under one timer. A due poll is admitted into the
 * client's request budget only when a slot is free, so a wait that waits for a slot holds no
 * request. When the client reads many jobs in one request (`getJobs`), due waits are polled
 * together, one request per chunk, and waits whose jitter window has opened are taken along: no
 * wait is polled later than its `nextPollAt`, nor before its `earliestPollAt`.
 *
 * The rules of a wait are {@link advanceWait}'s; this class only keeps the states and acts on
 * their times.
 * @internal
 */
export class Scheduler<TRaw> {
  readonly #source: JobSource<TRaw>;
  readonly #many: BatchJobSource<TRaw> | undefined;
  readonly #batchSize: number;
  readonly #budget: number;
  readonly #closing: AbortSignal | undefined;
  readonly #heap = new DueHeap<ActiveWait<TRaw>>();
  /** Due waits, in order, waiting for a slot (others in it are skipped). */
  #ready: ActiveWait<TRaw>[] = [];
  #readyHead = 0;
  /** Polls in flight (requests holding a slot of the budget). */
  #active = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #pumpQueued = false;
  #pumping = false;
  #again = false;
  /** The widest jitter window planned so far: how far ahead to look for waits to take along. */
  #windowMs = 0;
  #clock: WallClock = Object.freeze({ offset: wallClockOffset() });

  constructor(source: JobSource<TRaw>) {
    this.#source = source;
    const many = source as Partial<BatchJobSource<TRaw>>;
    this.#many = typeof many.getJobs === 'function' ? (source as BatchJobSource<TRaw>) : undefined;
    this.#batchSize = batchSizeOf(many);
    this.#budget = requestBudgetOf(source) ?? Infinity;
    this.#closing = closingSignalOf(source);
    if (this.#closing && !this.#closing.aborted) onAbort(this.#closing, () => this.#closeAll());
  }

  /** Waits held (asleep, due, or polling). */
  get size(): number {
    return this.#heap.size;
  }

  /**
   * Starts a wait on job `id` with resolved options: its first poll goes out when due (at once,
   * or at a resumed checkpoint's `nextPollAt`). `listen: false` leaves the caller's signal to the
   * owner (a fleet listens once for all its waits and calls {@link interrupt}).
   */
  start(id: string, o: ResolvedWaitOptions<TRaw>, sink: WaitSink<TRaw>, options: { lane?: Lane | undefined; listen?: boolean } = {}): ActiveWait<TRaw> {
    const t = now();
    const clock = this.#wallClock();
    const state = initialState(this.#source.vendor, id, o as ResolvedWaitOptions<unknown>, t + clock.offset);
    const wait = new ActiveWait<TRaw>(state, o, sink, clock, options.lane);
    // The wait keeps its last snapshot itself (with its raw payload): the state holds none.
    wait.last = lastJobOf<TRaw>(state);
    wait.state = withoutLastJob(state);
    if (this.#closing?.aborted) {
      this.#finish(wait, { reason: 'error', error: interruptedError('closed', wait) });
      return wait;
    }
    const signal = o.signal;
    if (signal?.aborted) {
      this.#heap.set(wait, Infinity);
      this.#interrupt(wait);
      return wait;
    }
    if (signal && options.listen !== false) {
      wait.interrupt = this.#onInterrupt;
      onAbort(signal, wait);
    }
    if (t >= wait.deadlineAt) {
      this.#heap.set(wait, Infinity);
      this.#expire(wait, false);
      return wait;
    }
    this.#sleep(wait);
    // Where waits can share requests, the first poll goes once the caller's synchronous code is
    // done, so waits started together in a loop start together; elsewhere it goes at once.
    if (this.#many) this.#schedulePump();
    else this.#pump();
    return wait;
  }

  /** Sends what is due now (a fleet calls it once it started all its waits). */
  flush(): void {
    this.#pump();
  }

  /** One function for every wait's abort (a wait calls it with itself). */
  readonly #onInterrupt = (wait: ActiveWait<TRaw>): void => this.#interrupt(wait);

  /** The caller's signal aborted (for a wait started with `listen: false`). */
  interrupt(wait: ActiveWait<TRaw>): void {
    this.#interrupt(wait);
  }

  /** Drops a wait without telling its owner (a watch the caller left, a fleet that failed fast). */
  drop(wait: ActiveWait<TRaw>): void {
    if (wait.phase === 'done') return;
    wait.phase = 'done';
    this.#release(wait);
    this.#arm();
    this.#schedulePump();
  }

  // ---- time ----

  /** The wall clock's offset from `now()`, renewed when it moved by a millisecond or more (the system clock was set). */
  #wallClock(): WallClock {
    const offset = wallClockOffset();
    if (!(Math.abs(offset - this.#clock.offset) < 1)) this.#clock = Object.freeze({ offset });
    return this.#clock;
  }

  #schedulePump(): void {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      this.#pump();
    });
  }

  /** @param fromTimer - the one timer woke it: polls due within {@link POLL_TOLERANCE_MS} go. */
  #pump(fromTimer = false): void {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#again = false;
        const t = now();
        this.#wake(t, fromTimer ? POLL_TOLERANCE_MS : 0);
        this.#admit(t);
      } while (this.#again);
    } finally {
      this.#pumping = false;
    }
    this.#arm();
  }

  /** Sets the one timer for the earliest wait (or clears it when none is held). */
  #arm(): void {
    const top = this.#heap.peek();
    const at = top === undefined || top.dueAt === Infinity ? Infinity : top.dueAt;
    if (at === this.#timerAt) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = at;
    if (at === Infinity) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#pump(true);
    }, Math.min(MAX_TIMER_MS, Math.max(1, Math.floor(at - now()))));
  }

  /** Acts on every wait whose time has come: due polls become ready; deadlines end waits. */
  #wake(t: number, tolerance: number): void {
    for (let top = this.#heap.peek(); top !== undefined && top.dueAt <= t + (top.phase === 'sleeping' ? tolerance : 0); top = this.#heap.peek()) {
      if (top.phase === 'sleeping' && t < top.deadlineAt) {
        top.phase = 'ready';
        this.#ready.push(top);
        this.#heap.set(top, top.deadlineAt);
      } else {
        // At the deadline: asleep, expiring, waiting for a slot, polling or cancelling.
        this.#expire(top, top.phase === 'inflight');
      }
    }
  }

  // ---- requests ----

  /**
   * Sends due polls while the budget has slots. With `getJobs`, the waits whose window has opened
   * go along with the due ones, in as many requests as they fill (but not on their own: a wait is
   * taken early only when a due one is polled).
   */
  #admit(t: number): void {
    let polledDue = false;
    while (this.#active < this.#budget) {
      const first = this.#nextReady();
      if (first === undefined && !(polledDue && this.#many)) return;
      if (!this.#many) {
        this.#sendOne(first as ActiveWait<TRaw>);
        continue;
      }
      const group = this.#gather(first, t);
      if (group.length === 0) return;
      polledDue = true;
      const lead = group[0] as ActiveWait<TRaw>;
      // One job alone goes by its own endpoint (the same request as a wait without coalescing),
      // unless it is a fleet's (a wait with a lane): a fleet polls with getJobs even alone.
      if (group.some((wait) => wait.lane !== undefined || wait.id !== lead.id)) this.#sendMany(this.#many, group);
      else this.#sendOne(lead, group);
    }
  }

  /** The next ready wait whose lane has room (waits of a full lane are parked on it). */
  #nextReady(): ActiveWait<TRaw> | undefined {
    const ready = this.#ready;
    while (this.#readyHead < ready.length) {
      const wait = ready[this.#readyHead++] as ActiveWait<TRaw>;
      if (wait.phase !== 'ready') continue;
      const lane = this.#many ? undefined : wait.lane;
      if (lane && lane.active >= lane.limit) {
        lane.parked.push(wait as unknown as ActiveWait<unknown>);
        continue;
      }
      this.#compactReady();
      return wait;
    }
    this.#ready = [];
    this.#readyHead = 0;
    return undefined;
  }

  #compactReady(): void {
    if (this.#readyHead > 1024 && this.#readyHead * 2 > this.#ready.length) {
      this.#ready = this.#ready.slice(this.#readyHead);
      this.#readyHead = 0;
    }
  }

  /**
   * The waits to poll with `first` in one request: the next ready ones, then sleeping ones whose
   * window has opened (their `earliestPollAt` has passed), up to the batch size.
   */
  #gather(first: ActiveWait<TRaw> | undefined, t: number): ActiveWait<TRaw>[] {
    const group: ActiveWait<TRaw>[] = first ? [first] : [];
    const ids = new Set(first ? [first.id] : []);
    const ready = this.#ready;
    while (ids.size < this.#batchSize && this.#readyHead < ready.length) {
      const wait = ready[this.#readyHead++] as ActiveWait<TRaw>;
      if (wait.phase !== 'ready') continue;
      group.push(wait);
      ids.add(wait.id);
    }
    if (ids.size < this.#batchSize && this.#windowMs > 0) {
      // Look ahead no further than the widest window: a wait due later cannot have opened yet.
      const horizon = t + POLL_TOLERANCE_MS + this.#windowMs;
      const passed: ActiveWait<TRaw>[] = [];
      for (let top = this.#heap.peek(); top !== undefined && top.dueAt <= horizon && ids.size < this.#batchSize; top = this.#heap.peek()) {
        this.#heap.delete(top);
        if (top.phase === 'sleeping' && top.notBefore <= t + POLL_TOLERANCE_MS) {
          group.push(top);
          ids.add(top.id);
          this.#heap.set(top, top.deadlineAt);
        } else {
          passed.push(top);
        }
      }
      for (const wait of passed) this.#heap.set(wait, wait.dueAt);
    }
    this.#compactReady();
    return group;
  }

  #open(group: readonly ActiveWait<TRaw>[]): Request {
    const request: Request = { controller: new AbortController(), members: group.length, done: false, poll: true };
    this.#active++;
    for (const wait of group) {
      wait.phase = 'inflight';
      wait.request = request;
      if (wait.lane && !this.#many) wait.lane.active++;
      if (wait.heapIndex < 0 || wait.dueAt !== wait.deadlineAt) this.#heap.set(wait, wait.deadlineAt);
    }
    return request;
  }

  /** Polls one job by its own endpoint, for `group` (the waits on that job; `[wait]` by default). */
  #sendOne(wait: ActiveWait<TRaw>, group: readonly ActiveWait<TRaw>[] = [wait]): void {
    const request = this.#open(group);
    let answer: Promise<PollResult<TRaw>>;
    try {
      answer = pollOne(this.#source, wait.id, { signal: request.controller.signal });
    } catch (error) {
      answer = Promise.reject(error);
    }
    answer.then(
      (result) => this.#settle(request, group, () => result),
      (error: unknown) => this.#settle(request, group, () => ({ error })),
    );
  }

  #sendMany(source: BatchJobSource<TRaw>, group: ActiveWait<TRaw>[]): void {
    const request = this.#open(group);
    const ids = [...new Set(group.map((wait) => wait.id))];
    let answer: Promise<Map<string, Job<TRaw>>>;
    try {
      answer = source.getJobs(ids, { signal: request.controller.signal });
    } catch (error) {
      answer = Promise.reject(error);
    }
    answer.then(
      (jobs) =>
        this.#settle(request, group, (wait): PollResult<TRaw> => {
          const job = jobs.get(wait.id);
          // Missing from the answer: a 404 for this wait alone.
          return job ? { job } : { error: new JobNotFoundError({ vendor: this.#source.vendor, jobId: wait.id }) };
        }),
      (error: unknown) => this.#settle(request, group, () => ({ error })),
    );
  }

  /** A request settled: each wait still attached to it takes its result. */
  #settle(request: Request, group: readonly ActiveWait<TRaw>[], resultOf: (wait: ActiveWait<TRaw>) => PollResult<TRaw>): void {
    if (request.done) return; // every wait left it: its slot was freed then
    request.done = true;
    this.#active--;
    const t = now();
    for (const wait of group) {
      if (wait.request !== request) continue;
      this.#detach(wait);
      let result: PollResult<TRaw>;
      try {
        result = resultOf(wait);
      } catch (error) {
        result = { error };
      }
      this.#advance(wait, result, t);
    }
    this.#pump();
  }

  /** Takes a wait off its request (aborting the request when it was the last on it). */
  #detach(wait: ActiveWait<TRaw>): void {
    const request = wait.request;
    if (request === undefined) return;
    wait.request = undefined;
    if (request.poll && wait.lane && !this.#many) this.#laneFreed(wait.lane);
    request.members--;
    if (request.members > 0 || request.done) return;
    request.done = true;
    if (request.poll) {
      this.#active--;
      this.#again = true;
      this.#schedulePump();
    }
    request.controller.abort(new DOMException('The wait no longer needs this request', 'AbortError'));
  }

  #laneFreed(lane: Lane): void {
    lane.active--;
    const parked = lane.parked.splice(0);
    for (const wait of parked) if (wait.phase === 'ready') this.#ready.push(wait as ActiveWait<TRaw>);
    if (parked.length > 0) this.#schedulePump();
  }

  // ---- the wait's rules (advanceWait) applied ----

  #advance(wait: ActiveWait<TRaw>, result: PollResult<TRaw>, t: number): void {
    const following = wait.following;
    let step;
    try {
      step = advanceWait(wait.state, result, {
        now: t + wait.offset,
        until: following ? undefined : wait.hooks.until,
        throwOnFailure: wait.hooks.throwOnFailure,
        lastJob: wait.last,
        lastError: wait.lastError,
        keepLastJob: false,
      });
    } catch (error) {
      this.#finish(wait, { reason: 'error', error });
      return;
    }
    wait.state = step.state;
    if (step.job) {
      wait.last = step.job;
      wait.lastError = undefined;
    } else if (step.error !== undefined) {
      wait.lastError = step.error;
    }
    if (following) {
      // After a cancel: no callbacks and no checkpoints; any end reports how the cancel went.
      if (step.end) this.#finish(wait, this.#cancelReport(wait, 'sent', step.end.reason === 'error' ? step.end.error : following.abortReason));
      else this.#sleep(wait);
      return;
    }
    if (step.changed && step.job) {
      try {
        wait.hooks.onProgress?.(step.job);
      } catch (error) {
        this.#finish(wait, { reason: 'error', error });
        return;
      }
      wait.sink.snapshot?.(step.job);
      // The caller aborted (or left) from a callback: that took over.
      if (wait.phase === 'done' || wait.following) return;
    }
    if (step.end) {
      if (step.end.reason !== 'error' && !this.#checkpoint(wait)) return;
      this.#finish(wait, step.end);
      return;
    }
    this.#sleep(wait);
    this.#checkpoint(wait);
  }

  /** Puts a wait to sleep until its next poll, or until its deadline when no poll fits before it. */
  #sleep(wait: ActiveWait<TRaw>): void {
    const next = wait.state.nextPollAt;
    if (next === null) {
      wait.phase = 'expiring';
      this.#heap.set(wait, wait.deadlineAt);
      return;
    }
    wait.phase = 'sleeping';
    const dueAt = Math.min(next - wait.offset, wait.deadlineAt);
    this.#heap.set(wait, dueAt);
    const windowMs = dueAt - wait.notBefore;
    if (windowMs > this.#windowMs) this.#windowMs = windowMs;
  }

  /** Hands the state to `onCheckpoint`; `false` when that threw (the wait then ended with it). */
  #checkpoint(wait: ActiveWait<TRaw>): boolean {
    const onCheckpoint = wait.hooks.onCheckpoint;
    if (!onCheckpoint || wait.following) return true;
    try {
      const { schedule, outcomes } = wait.state;
      const checkpoint: WaitState = { ...wait.state, schedule: { ...schedule }, outcomes: { ...outcomes } };
      if (wait.last) checkpoint.lastJob = toCheckpointJob(wait.last);
      onCheckpoint(checkpoint);
      return true;
    } catch (error) {
      this.#finish(wait, { reason: 'error', error });
      return false;
    }
  }

  /** The wait's deadline came: it times out (or, after a cancel, reports it). */
  #expire(wait: ActiveWait<TRaw>, inFlight: boolean): void {
    if (wait.following) {
      this.#finish(wait, this.#cancelReport(wait, 'sent', wait.following.abortReason));
      return;
    }
    const step = expireWait(wait.state, { now: now() + wait.offset, inFlight, lastJob: wait.last, lastError: wait.lastError });
    wait.state = step.state;
    this.#finish(wait, step.end as WaitEnd<TRaw>);
  }

  /** The caller's signal aborted: the wait ends, or (with `cancelOnAbort`) cancels the job first. */
  #interrupt(wait: ActiveWait<TRaw>): void {
    if (wait.phase === 'done' || wait.following) return;
    if (now() >= wait.deadlineAt) {
      // A deadline that passed unobserved came first.
      this.#expire(wait, wait.phase === 'inflight');
      return;
    }
    if (wait.hooks.cancelOnAbort) {
      this.#cancel(wait);
      return;
    }
    this.#finish(wait, { reason: 'error', error: interruptedError('aborted', wait) });
  }

  /**
   * `cancelOnAbort`: sends the cancel once, then follows the job on a restarted schedule (from an
   * immediate poll) until it ends or the deadline passes, and reports with `WaitAbortedError`.
   */
  #cancel(wait: ActiveWait<TRaw>): void {
    const abortReason = wait.signal?.reason;
    this.#detach(wait);
    wait.following = { abortReason };
    wait.phase = 'cancelling';
    this.#heap.set(wait, wait.deadlineAt);
    const request: Request = { controller: new AbortController(), members: 1, done: false, poll: false };
    wait.request = request;
    const source = this.#source as Required<Pick<JobSource<TRaw>, 'cancelJob'>> & JobSource<TRaw>;
    let sent: Promise<void>;
    try {
      sent = source.cancelJob(wait.id, { signal: request.controller.signal });
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(
      () => {
        if (wait.request !== request) return; // the deadline or a close came first
        request.done = true;
        wait.request = undefined;
        // A cancel makes a change likely soon: the schedule starts over, from a poll at once.
        const at = now() + wait.offset;
        wait.state = { ...wait.state, step: 0, nextPollAt: at, earliestPollAt: at };
        this.#sleep(wait);
        this.#pump();
      },
      (error: unknown) => {
        if (wait.request !== request) return;
        request.done = true;
        wait.request = undefined;
        this.#finish(wait, this.#cancelReport(wait, 'refused', error));
      },
    );
    this.#arm();
  }

  #cancelReport(wait: ActiveWait<TRaw>, cancel: CancelOutcome, cause: unknown): WaitEnd<TRaw> {
    return { reason: 'error', error: new WaitAbortedError({ vendor: this.#source.vendor, jobId: wait.id, lastJob: wait.last, cause: cause instanceof JobTimeoutError ? wait.following?.abortReason : cause, cancel }) };
  }

  /** The client was closed: every wait ends with `ClientClosedError` (a followed cancel reports it). */
  #closeAll(): void {
    for (const wait of [...this.#heap.items()]) {
      if (wait.phase === 'cancelling') this.#finish(wait, this.#cancelReport(wait, 'sent', wait.following?.abortReason));
      else if (wait.following) this.#finish(wait, this.#cancelReport(wait, 'sent', interruptedError('closed', wait)));
      else this.#finish(wait, { reason: 'error', error: interruptedError('closed', wait) });
    }
    this.#arm();
  }

  #finish(wait: ActiveWait<TRaw>, end: WaitEnd<TRaw>): void {
    if (wait.phase === 'done') return;
    wait.phase = 'done';
    this.#release(wait);
    if (!this.#pumping) this.#arm(); // no timer left for a wait that is over
    wait.sink.end(end, wait);
  }

  /** Takes a wait out of the heap, off its request and off the caller's signal. */
  #release(wait: ActiveWait<TRaw>): void {
    this.#heap.delete(wait);
    this.#detach(wait);
    if (wait.interrupt) {
      offAbort(wait.signal as AbortSignal, wait);
      wait.interrupt = undefined;
    }
  }
}
