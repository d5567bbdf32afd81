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
        status: number;
        body?: unknown;
        headers?: Record<string, string>;
      }
    | {
        /** Answer 429 with this `Retry-After` (seconds or an HTTP date). */
        type: 'rate-limit';
        retryAfter?: string | number;
      }
    | {
        /** Answer with a raw body of your own (an HTML proxy page, text that is not JSON). */
        type: 'raw';
        status?: number;
        body: string;
        contentType?: string;
        headers?: Record<string, string>;
      }
    /** Destroy the connection before any header. */
    | { type: 'reset' }
    /** Send the headers and half the body, then destroy the connection. */
    | { type: 'reset-mid-body' }
    /** Declare the full length, send half the body, and end the connection. */
    | { type: 'truncate' }
    /** Wait, then answer normally. */
    | { type: 'delay'; ms: number }
    /** Never answer (the connection stays open until the client gives up or the simulator closes). */
    | { type: 'hang' }
    /** Answer normally, but send the body `chunkBytes` at a time, `intervalMs` apart. */
    | { type: 'trickle'; intervalMs: number; chunkBytes?: number }
  );

/** @internal */
export class FaultQueue {
  #faults: { fault: Fault; left: number }[] = [];

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times >= 1) || (!Number.isInteger(times) && times !== Infinity)) {
      throw new RangeError(`a fault's times must be a whole number of 1 or more (or Infinity), got ${String(fault.times)}`);
    }
    this.#faults.push({ fault, left: times });
  }

  clear(): void {
    this.#faults = [];
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
    return undefined;
  }
}
