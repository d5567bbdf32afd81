import type { Job } from '../model/job.js';
import type { ResolvedWaitOptions } from './options.js';
import type { WaitEnd } from './advance.js';
import type { Due } from './due-heap.js';
import type { WaitState } from './wait-state.js';

/** Where a wait of the scheduler stands. @internal */
export type Phase =
  /** Asleep until its next poll (`dueAt`). */
  | 'sleeping'
  /** No poll fits before the deadline: times out at it (`dueAt`). */
  | 'expiring'
  /** Due, waiting for a request slot (`dueAt`: its deadline). */
  | 'ready'
  /** Its poll is out (`dueAt`: its deadline). */
  | 'inflight'
  /** Aborted with `cancelOnAbort`: the cancel request is out (`dueAt`: its deadline). */
  | 'cancelling'
  /** Over. */
  | 'done';

/** What a wait's owner (a view: a promise, an iterator, a fleet) is told. @internal */
export interface WaitSink<TRaw> {
  /** A changed snapshot (the first, then each change), after `onProgress`. */
  snapshot?(job: Job<TRaw>): void;
  /** The wait is over; called once, with the wait (so that one sink can serve many). */
  end(end: WaitEnd<TRaw>, wait: ActiveWait<TRaw>): void;
}

/** A group of waits that share a limit on polls in flight (a fleet's `concurrency`). @internal */
export interface Lane {
  readonly limit: number;
  active: number;
  /** Due waits held back while the lane is full. */
  readonly parked: ActiveWait<unknown>[];
}

/** One request out for one or more waits. @internal */
export interface Request {
  readonly controller: AbortController;
  /** Waits still attached to it; it is aborted when the last one leaves. */
  members: number;
  /** Settled or aborted: its slot is free. */
  done: boolean;
  /** Counts against the client's budget (a poll); a cancel request does not. */
  readonly poll: boolean;
}

/** Epoch milliseconds minus `now()`: one object for all the waits started while it held (a number field would box its own copy in each wait). @internal */
export interface WallClock {
  readonly offset: number;
}

/** The caller's options a wait still needs once started, apart from its signal: its callbacks and flags. @internal */
export type WaitHooks<TRaw> = Readonly<Pick<ResolvedWaitOptions<TRaw>, 'onProgress' | 'until' | 'onCheckpoint' | 'throwOnFailure' | 'cancelOnAbort'>>;

/** The hooks of every wait with no callbacks and the default flags (most waits): one shared object. */
const DEFAULT_HOOKS: WaitHooks<never> = Object.freeze({ onProgress: undefined, until: undefined, onCheckpoint: undefined, throwOnFailure: true, cancelOnAbort: false });

function hooksOf<TRaw>(o: ResolvedWaitOptions<TRaw>): WaitHooks<TRaw> {
  const { onProgress, until, onCheckpoint, throwOnFailure, cancelOnAbort } = o;
  if (onProgress || until || onCheckpoint || !throwOnFailure || cancelOnAbort) return { onProgress, until, onCheckpoint, throwOnFailure, cancelOnAbort };
  return DEFAULT_HOOKS as WaitHooks<TRaw>;
}

/**
 * One wait held by a scheduler: its state (plain data), the snapshot and error kept beside it,
 * its place in time, its owner, and the caller's options it still needs. Between polls this
 * object is all a wait holds, so it keeps only what it needs: not the resolved options but its
 * hooks (one shared object on the defaults), no copy of the job id (the state has it).
 * @internal
 */
export class ActiveWait<TRaw> implements Due {
  dueAt = 0;
  heapIndex = -1;
  phase: Phase = 'sleeping';
  /** The last snapshot, with its `raw` (the state keeps a JSON-safe copy). */
  last: Job<TRaw> | undefined = undefined;
  /** The last transient error, for a timeout's `cause`. */
  lastError: unknown = undefined;
  request: Request | undefined = undefined;
  /** Set once aborted with `cancelOnAbort`: the job is followed to its end, without callbacks. */
  following: { abortReason: unknown } | undefined = undefined;
  /** Set while it listens to the caller's signal (as itself: see {@link handleAbort}): its scheduler's handler. */
  interrupt: ((wait: ActiveWait<TRaw>) => void) | undefined = undefined;
  readonly signal: AbortSignal | undefined;
  /** The caller's callbacks and flags; one shared object for the waits on the defaults. */
  readonly hooks: WaitHooks<TRaw>;

  constructor(
    public state: WaitState,
    o: ResolvedWaitOptions<TRaw>,
    readonly sink: WaitSink<TRaw>,
    /** Turns the state's times into the scheduler's (shared by the waits a scheduler started on the same clock). */
    readonly clock: WallClock,
    /** A fleet's waits share one (its `concurrency`). */
    readonly lane: Lane | undefined,
  ) {
    this.signal = o.signal;
    this.hooks = hooksOf(o);
  }

  /** Epoch milliseconds minus `now()` when the wait started. */
  get offset(): number {
    return this.clock.offset;
  }

  /** The job's id. */
  get id(): string {
    return this.state.jobId;
  }

  /** The deadline in `now()` time; `Infinity` for none (read from the state: a wait keeps no copy). */
  get deadlineAt(): number {
    const { deadline } = this.state;
    return deadline === null ? Infinity : deadline - this.offset;
  }

  /** The earliest the next poll may go, in `now()` time, while the wait sleeps (for polls taken along in one request). */
  get notBefore(): number {
    const { earliestPollAt, nextPollAt } = this.state;
    const at = earliestPollAt ?? nextPollAt;
    return at === null ? this.dueAt : Math.min(this.dueAt, at - this.offset);
  }

  /** The caller's signal aborted (the wait is its own listener, so a sleeping wait holds no closure for it). */
  handleAbort(): void {
    this.interrupt?.(this);
  }
}
