/** Which requests a fault hits. */
export interface FaultMatch {
  /** A substring of the path, or a pattern tested against path and query. Default: every request. */
  path?: string | RegExp;
  /** An HTTP method. Default: any. */
  method?: string;
  /** How many matching requests it hits. @default 1 */
  times?: number;
}

/** A fault the simulator injects instead of (or into) a normal answer. */
export type Fault = FaultMatch &
  (
    | {
        /** Answer this status, with a body (an object is sent as JSON). */
        type: 'status';
        /** The HTTP status code to answer. */
        status: number;
        /** The body to send; an object is sent as JSON. Default: no body. */
        body?: unknown;
        /** Extra response headers. */
        headers?: Record<string, string>;
      }
    | {
        /** Answer 429 with this `Retry-After` (seconds or an HTTP date). */
        type: 'rate-limit';
        /** The `Retry-After` value: seconds, or an HTTP date. Default: no header. */
        retryAfter?: string | number;
      }
    | {
        /** Answer with a raw body of your own (an HTML proxy page, text that is not JSON). */
        type: 'raw';
        /** The HTTP status code to answer. @default 200 */
        status?: number;
        /** The raw body, sent as is. */
        body: string;
        /** The `Content-Type` header of the answer. */
        contentType?: string;
        /** Extra response headers. */
        headers?: Record<string, string>;
      }
    /** Destroy the connection before any header. */
    | {
        /** Destroy the connection before any header. */
        type: 'reset';
      }
    /** Send the headers and half the body, then destroy the connection. */
    | {
        /** Send the headers and half the body, then destroy the connection. */
        type: 'reset-mid-body';
      }
    /** Declare the full length, send half the body, and end the connection. */
    | {
        /** Declare the full length, send half the body, and end the connection. */
        type: 'truncate';
      }
    /** Wait, then answer normally. */
    | {
        /** Wait, then answer normally. */
        type: 'delay';
        /** How long to wait before answering, in milliseconds. */
        ms: number;
      }
    /** Never answer (the connection stays open until the client gives up or the simulator closes). */
    | {
        /** Never answer (the connection stays open until the client gives up or the simulator closes). */
        type: 'hang';
      }
    /** Answer normally, but send the body `chunkBytes` at a time, `intervalMs` apart. */
    | {
        /** Answer normally, but send the body `chunkBytes` at a time, `intervalMs` apart. */
        type: 'trickle';
        /** The pause between chunks, in milliseconds. */
        intervalMs: number;
        /** How many bytes each chunk carries. */
        chunkBytes?: number;
      }
  );

/** Faults at random: each matching request meets one of `faults` with probability `rate`. */
export interface ChaosOptions {
  /** The share of matching requests that meet a fault, from 0 to 1. */
  rate: number;
  /** The faults to draw from, evenly. */
  faults: readonly Fault[];
  /** Seeds the draw, so a run can be repeated exactly. @default 1 */
  seed?: number;
  /** A substring of the path, or a pattern tested against path and query. Default: every request. */
  path?: string | RegExp;
}

/** A small seeded generator (mulberry32): the same seed gives the same draws. @internal */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @internal */
export class FaultQueue {
  #faults: { fault: Fault; left: number }[] = [];
  #chaos: { options: ChaosOptions; random: () => number } | undefined;

  /** Starts (or, with `undefined`, stops) random faults. */
  chaos(options: ChaosOptions | undefined): void {
    if (options === undefined) {
      this.#chaos = undefined;
      return;
    }
    if (!(options.rate >= 0 && options.rate <= 1)) throw new RangeError(`chaos rate must be from 0 to 1, got ${String(options.rate)}`);
    if (options.faults.length === 0) throw new RangeError('chaos needs at least one fault');
    this.#chaos = { options, random: seededRandom(options.seed ?? 1) };
  }

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times >= 1) || (!Number.isInteger(times) && times !== Infinity)) {
      throw new RangeError(`a fault's times must be a whole number of 1 or more (or Infinity), got ${String(fault.times)}`);
    }
    this.#faults.push({ fault, left: times });
  }

  /** Drops the queued faults and stops random ones. */
  clear(): void {
    this.#faults = [];
    this.#chaos = undefined;
  }

  /** The first fault that matches, used up by one. */
  take(method: string, url: string): Fault | undefined {
    const pathname = url.split('?', 1)[0] ?? url;
    for (let i = 0; i < this.#faults.length; i++) {
      const entry = this.#faults[i] as { fault: Fault; left: number };
      const { fault } = entry;
      if (fault.method !== undefined && fault.method.toUpperCase() !== method) continue;
      if (typeof fault.path === 'string' && !pathname.includes(fault.path)) continue;
      if (fault.path instanceof RegExp) {
        fault.path.lastIndex = 0; // a /g or /y pattern would otherwise resume where it stopped
        if (!fault.path.test(url)) continue;
      }
      entry.left--;
      if (entry.left <= 0) this.#faults.splice(i, 1);
      return fault;
    }
    return this.#drawChaos(url, pathname);
  }

  #drawChaos(url: string, pathname: string): Fault | undefined {
    if (!this.#chaos) return undefined;
    const { options, random } = this.#chaos;
    if (typeof options.path === 'string' && !pathname.includes(options.path)) return undefined;
    if (options.path instanceof RegExp) {
      options.path.lastIndex = 0;
      if (!options.path.test(url)) return undefined;
    }
    if (random() >= options.rate) return undefined;
    return options.faults[Math.floor(random() * options.faults.length)];
  }
}
