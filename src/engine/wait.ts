import type { Job } from '../model.js';
import type { ResolvedWaitOptions } from '../options.js';
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

/**
 * One wait held by a scheduler: its state (plain data), the snapshot and error kept beside it,
 * its place in time, and its owner. Between polls this object is all a wait holds.
 * @internal
 */
export class ActiveWait<TRaw> implements Due {
  dueAt = 0;
  heapIndex = -1;
  phase: Phase = 'sleeping';
  /** The last snapshot, with its `raw` (the state keeps a JSON-safe copy). */
  last: Job<TRaw> | undefined;
  /** The last transient error, for a timeout's `cause`. */
  lastError: unknown = undefined;
  request: Request | undefined = undefined;
  /** Set once aborted with `cancelOnAbort`: the job is followed to its end, without callbacks. */
  following: { abortReason: unknown } | undefined = undefined;
  /** Whether it listens to the caller's signal (as itself: see {@link handleAbort}). */
  listening = false;
  /** Its scheduler, told when the caller's signal aborts. */
  interrupt: ((wait: ActiveWait<TRaw>) => void) | undefined = undefined;

  constructor(
    readonly id: string,
    public state: WaitState,
    readonly o: ResolvedWaitOptions<TRaw>,
    readonly sink: WaitSink<TRaw>,
    /** Epoch milliseconds minus `now()` at the start: turns the state's times into the scheduler's. */
    readonly offset: number,
    readonly lane: Lane | undefined,
    /** Polled with `getJobs` even alone (a fleet's wait on a client that has it). */
    readonly batched: boolean,
  ) {
    this.last = undefined;
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
