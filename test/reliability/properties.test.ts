/**
 * Property tests (fast-check): the poll schedule, the vendors' state mappings and the Huawei signer.
 *
 * - The schedule never exceeds maxDelayMs (or the honoured Retry-After), never schedules past the
 *   deadline, and is non-decreasing before jitter; a whole wait never polls at or after its deadline
 *   and times out at it, never before.
 * - The state mappings are total: every string maps to a member of the model's state set, the
 *   documented values as API.md's table says, and everything else to `unknown`.
 * - The signer is deterministic and independent of header order, header-name case and query order.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { mapCasJobState, mapCasTaskState } from '../../adapters/cas/state.js';
import { mapCcePhase } from '../../adapters/cce/state.js';
import { canonicalQuery, formatSdkDate, signRequest, type SignableRequest } from '../../adapters/huawei/signer.js';
import { encodePathSegment } from '../../src/transport/path.js';
import { mapOntapState } from '../../adapters/ontap/state.js';
import { baseDelay, jitteredDelay, planNextPoll, type Schedule } from '../../src/engine/backoff.js';
import { ApiError, JobTimeoutError, NetworkError, RateLimitError, waitForJob, type Job, type JobSource } from '../../src/index.js';
import { JOB_STATES, type JobState, type TaskState } from '../../src/model/job.js';
import { MAX_TIMER_MS, SCHEDULE_CONSTANTS } from '../../src/engine/options.js';
import { CAS_EXECUTION_TABLE } from '../fixtures/vendor-examples.js';

/** A small seeded generator (mulberry32), so a counterexample replays exactly. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher-Yates shuffle driven by `random`. */
function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// =============================================================================================
// The schedule

/** A delay the options accept: a finite number from 1 to setTimeout's limit, whole or not. */
const delayArb = fc.oneof(
  fc.integer({ min: 1, max: 120_000 }),
  fc.integer({ min: 1, max: MAX_TIMER_MS }),
  fc.double({ min: 1, max: MAX_TIMER_MS, noNaN: true, noDefaultInfinity: true }),
);
/** A valid schedule: minDelayMs ≤ maxDelayMs, with or without a Retry-After cap. */
const scheduleArb: fc.Arbitrary<Schedule> = fc
  .record({ a: delayArb, b: delayArb, cap: fc.option(delayArb, { nil: undefined }) })
  .map(({ a, b, cap }) => ({ minDelayMs: Math.min(a, b), maxDelayMs: Math.max(a, b), ...(cap === undefined ? {} : { retryAfterCapMs: cap }) }));
const stepArb = fc.oneof(fc.nat(80), fc.nat());
/** Any number in [0, 1), the edges included. */
const randomArb = fc.oneof(fc.constantFrom(0, 0.5, 1 - Number.EPSILON), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }));
/** Time left: none, a little, a lot, none at all (Infinity), or already past. */
const remainingArb = fc.oneof(
  fc.constant(Infinity),
  fc.integer({ min: 0, max: 5_000 }),
  fc.double({ min: 0, max: 1e10, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -5_000, max: 0, noNaN: true }),
);
/**
 * Time left, given as is or relative to the delay the schedule would pick (just around it, and
 * around it plus the final poll's lead), where the edge cases are.
 */
const remainingSpecArb = fc.oneof(
  fc.record({ kind: fc.constant('absolute' as const), ms: remainingArb }),
  fc.record({
    kind: fc.constant('near-delay' as const),
    offsetMs: fc.oneof(fc.constantFrom(-1, -0.5, 0, 0.5, 1), fc.integer({ min: -2_000, max: 2_000 }), fc.double({ min: -2_000, max: 2_000, noNaN: true })),
    plusLead: fc.boolean(),
  }),
);
const retryAfterArb = fc.option(
  fc.oneof(fc.integer({ min: 0, max: 700_000 }), fc.double({ min: 0, max: 1e9, noNaN: true, noDefaultInfinity: true })),
  { nil: undefined },
);

describe('the poll schedule (properties)', () => {
  it('keeps every jittered delay within [minDelayMs, maxDelayMs]', () => {
    fc.assert(
      fc.property(scheduleArb, stepArb, randomArb, (schedule, step, r) => {
        const delay = jitteredDelay(step, schedule, () => r);
        expect(delay).toBeGreaterThanOrEqual(schedule.minDelayMs);
        expect(delay).toBeLessThanOrEqual(schedule.maxDelayMs);
      }),
      { numRuns: 1_000 },
    );
  });

  it('never lets the delay before jitter decrease as steps go on, nor exceed maxDelayMs', () => {
    fc.assert(
      fc.property(scheduleArb, stepArb, stepArb, (schedule, s1, s2) => {
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        expect(baseDelay(early, schedule)).toBeLessThanOrEqual(baseDelay(late, schedule));
        expect(baseDelay(late, schedule)).toBeLessThanOrEqual(schedule.maxDelayMs);
        expect(baseDelay(early, schedule)).toBeGreaterThanOrEqual(schedule.minDelayMs);
      }),
      { numRuns: 1_000 },
    );
  });

  it('plans no delay longer than maxDelayMs or the honoured Retry-After, and no poll at or after the deadline', () => {
    fc.assert(
      fc.property(scheduleArb, stepArb, remainingSpecArb, retryAfterArb, randomArb, (schedule, step, remaining, retryAfterMs, r) => {
        const honouredRetryAfter = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, schedule.retryAfterCapMs ?? SCHEDULE_CONSTANTS.maxRetryAfterMs);
        const leadMs = Math.min(SCHEDULE_CONSTANTS.finalPollLeadMs, schedule.minDelayMs);
        const wanted = Math.max(jitteredDelay(step, schedule, () => r), honouredRetryAfter);
        const remainingMs = remaining.kind === 'absolute' ? remaining.ms : wanted + remaining.offsetMs + (remaining.plusLead ? leadMs : 0);
        const plan = planNextPoll({ step, remainingMs, retryAfterMs, schedule, random: () => r });
        expect(plan.delayMs).toBeLessThanOrEqual(Math.max(schedule.maxDelayMs, honouredRetryAfter));
        expect(plan.delayMs).toBeGreaterThanOrEqual(0);
        if (plan.kind === 'poll') {
          if (Number.isFinite(remainingMs)) expect(plan.delayMs).toBeLessThan(remainingMs);
          // A poll that is not squeezed in before the deadline waits at least minDelayMs.
          if (!plan.final) expect(plan.delayMs).toBeGreaterThanOrEqual(schedule.minDelayMs);
        } else {
          // Nothing fits: wait out exactly the time left (none when it is already past), then time out.
          expect(remainingMs).not.toBe(Infinity);
          expect(plan.delayMs).toBe(Math.max(0, remainingMs));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('never gives up on a wait without a deadline: with Infinity left, every plan is a poll', () => {
    fc.assert(
      fc.property(scheduleArb, stepArb, retryAfterArb, randomArb, (schedule, step, retryAfterMs, r) => {
        const plan = planNextPoll({ step, remainingMs: Infinity, retryAfterMs, schedule, random: () => r });
        expect(plan).toMatchObject({ kind: 'poll', final: false });
      }),
    );
  });

  it('makes a whole wait poll only before its deadline and time out at the deadline, never before it', async () => {
    /**
     * What one getJob call answers: the job still running (or in a state nobody knows), at once or
     * after a while (perhaps past the deadline), or transient trouble.
     */
    type Answer =
      | { kind: 'job'; state: JobState; latencyMs: number; honoursSignal: boolean }
      | { kind: 'network' }
      | { kind: 'status'; status: 502 | 503 | 504 }
      | { kind: 'rate-limit'; retryAfterMs: number | undefined };
    const answerArb: fc.Arbitrary<Answer> = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('job' as const),
          state: fc.constantFrom<JobState>('queued', 'running', 'paused', 'unknown'),
          latencyMs: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 200_000 })),
          honoursSignal: fc.boolean(),
        }),
      },
      fc.record({ kind: fc.constant('network' as const) }),
      fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom(502 as const, 503 as const, 504 as const) }),
      fc.record({ kind: fc.constant('rate-limit' as const), retryAfterMs: fc.option(fc.integer({ min: 0, max: 900_000 }), { nil: undefined }) }),
    );
    const caseArb = fc
      .record({
        timeoutMs: fc.integer({ min: 1, max: 180_000 }),
        minDelayMs: fc.integer({ min: 1, max: 10_000 }),
        extraMs: fc.integer({ min: 0, max: 60_000 }),
        answers: fc.array(answerArb, { minLength: 1, maxLength: 12 }),
        seed: fc.integer(),
      })
      // At most a few hundred polls per run: maxDelayMs is at least 1/200 of the timeout.
      .map(({ timeoutMs, minDelayMs, extraMs, answers, seed }) => ({
        timeoutMs,
        minDelayMs,
        maxDelayMs: Math.max(minDelayMs + extraMs, Math.ceil(timeoutMs / 200)),
        answers,
        seed,
      }));

    await fc.assert(
      fc.asyncProperty(caseArb, async ({ timeoutMs, minDelayMs, maxDelayMs, answers, seed }) => {
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
        const random = vi.spyOn(Math, 'random').mockImplementation(seeded(seed));
        try {
          const t0 = performance.now();
          const calls: number[] = [];
          /** Slow answers that ignore the abort: their timers are the source's, not the poller's. */
          let ignoringTimers = 0;
          const url = 'https://api.example.com/jobs/job-1';
          const source: JobSource = {
            vendor: 'fake',
            getJob: (id, options): Promise<Job> => {
              calls.push(performance.now() - t0);
              const answer = answers[(calls.length - 1) % answers.length] as Answer;
              switch (answer.kind) {
                case 'job': {
                  const job: Job = { vendor: 'fake', id, state: answer.state, vendorState: answer.state.toUpperCase(), tasks: [], raw: {} };
                  if (answer.latencyMs === 0) return Promise.resolve(job);
                  if (!answer.honoursSignal) {
                    // A source that ignores the signal: the wait must not wait for it past its deadline.
                    ignoringTimers++;
                    return new Promise<Job>((resolve) =>
                      setTimeout(() => {
                        ignoringTimers--;
                        resolve(job);
                      }, answer.latencyMs),
                    );
                  }
                  // A slow answer, given up (timer cleared) when the poller aborts the request.
                  return new Promise<Job>((resolve, reject) => {
                    const signal = options?.signal;
                    const onAbort = (): void => {
                      clearTimeout(timer);
                      reject(signal?.reason);
                    };
                    const timer = setTimeout(() => {
                      signal?.removeEventListener('abort', onAbort);
                      resolve(job);
                    }, answer.latencyMs);
                    signal?.addEventListener('abort', onAbort, { once: true });
                  });
                }
                case 'network':
                  return Promise.reject(new NetworkError({ method: 'GET', url, message: 'socket hang up' }));
                case 'status':
                  return Promise.reject(new ApiError({ status: answer.status, method: 'GET', url }));
                case 'rate-limit':
                  return Promise.reject(new RateLimitError({ status: 429, method: 'GET', url, retryAfterMs: answer.retryAfterMs }));
              }
            },
          };
          const outcome: { at?: number; error?: unknown; timersLeft?: number } = {};
          const settle = (error?: unknown): void => {
            outcome.at = performance.now() - t0;
            outcome.error = error;
            // The poller's own timers (deadline, sleep) must be gone when the wait settles.
            outcome.timersLeft = vi.getTimerCount() - ignoringTimers;
          };
          const wait = waitForJob(source, 'job-1', { timeoutMs, minDelayMs, maxDelayMs }).then(() => settle(), settle);
          await vi.runAllTimersAsync();
          await wait;

          expect(outcome.error).toBeInstanceOf(JobTimeoutError);
          // At the deadline: never before it, and no later than the next millisecond.
          expect(outcome.at).toBeGreaterThanOrEqual(timeoutMs);
          expect(outcome.at).toBeLessThanOrEqual(timeoutMs + 1);
          expect((outcome.error as JobTimeoutError).elapsedMs).toBeGreaterThanOrEqual(timeoutMs);
          expect((outcome.error as JobTimeoutError).polls).toBe(calls.length);
          expect(calls[0]).toBe(0);
          for (const at of calls) expect(at).toBeLessThan(timeoutMs);
          expect(outcome.timersLeft).toBe(0);
        } finally {
          random.mockRestore();
          vi.useRealTimers();
        }
      }),
      { numRuns: 50 },
    );
  });
});

// =============================================================================================
// The state mappings

/** API.md's table, spelled out here (not read from the source). */
const ONTAP_TABLE: Record<string, JobState> = { queued: 'queued', running: 'running', paused: 'paused', success: 'succeeded', failure: 'failed' };
const CAS_JOB_TABLE: Record<string, JobState> = Object.fromEntries(CAS_EXECUTION_TABLE);
const CAS_TASK_TABLE: Record<string, TaskState> = { ...CAS_JOB_TABLE, SKIPPED: 'skipped' };
const CCE_TABLE: Record<string, JobState> = { Initializing: 'queued', Running: 'running', Success: 'succeeded', Failed: 'failed' };

const TASK_STATES: readonly TaskState[] = [...JOB_STATES, 'skipped'];
/** Object.prototype's names, and other keys a lookup table can trip on. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'prototype', 'length', ''];

/** Case-insensitive in the ASCII sense only: HTTP APIs' words are ASCII. */
const asciiLower = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

interface Mapping {
  name: string;
  map: (value: string) => TaskState;
  table: Record<string, TaskState>;
  states: readonly TaskState[];
}

const MAPPINGS: readonly Mapping[] = [
  { name: 'mapOntapState', map: mapOntapState, table: ONTAP_TABLE, states: JOB_STATES },
  { name: 'mapCasJobState', map: mapCasJobState, table: CAS_JOB_TABLE, states: JOB_STATES },
  { name: 'mapCasTaskState', map: mapCasTaskState, table: CAS_TASK_TABLE, states: TASK_STATES },
  { name: 'mapCcePhase', map: mapCcePhase, table: CCE_TABLE, states: JOB_STATES },
];

/** What the table says a value maps to: the documented word in any (ASCII) case, else `unknown`. */
function expectedState(mapping: Mapping, value: string): TaskState {
  const byKey = new Map(Object.entries(mapping.table).map(([word, state]) => [asciiLower(word), state]));
  return byKey.get(asciiLower(value)) ?? 'unknown';
}

/** Every documented word of every vendor, so each mapping also meets the others' words. */
const ALL_WORDS = [...new Set(MAPPINGS.flatMap((m) => Object.keys(m.table))), 'UNKNOWN', 'unknown', 'SKIPPED', 'cancelled', 'Paused'];

/** Any string: ASCII, full Unicode (astral too), graphemes, and words that are nearly right. */
const stateStringArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.mixedCase(fc.constantFrom(...ALL_WORDS)),
  fc.mixedCase(fc.constantFrom(...PROTOTYPE_KEYS)),
  fc.tuple(fc.constantFrom(...ALL_WORDS), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }), fc.boolean()).map(([word, extra, before]) => (before ? extra + word : word + extra)),
  fc.constantFrom(...ALL_WORDS).map((word) => ` ${word}`),
);

/**
 * Non-ASCII code points that some case mapping turns into ASCII letters ('ſ' → 'S', 'ı' → 'I',
 * 'ﬁ' → 'FI', 'K' (Kelvin) → 'k' …): a lookup that folds case with toUpperCase/toLowerCase
 * can mistake a string holding them for a documented word.
 */
function caseFoldingTraps(): { char: string; image: string }[] {
  const traps: { char: string; image: string }[] = [];
  for (let cp = 0x80; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const char = String.fromCodePoint(cp);
    for (const image of new Set([char.toUpperCase(), char.toLowerCase()])) {
      if (image !== char && /^[A-Za-z]+$/.test(image)) traps.push({ char, image });
    }
  }
  return traps;
}

/** Each documented word with one of its letters (or letter pairs) replaced by a trap that case-maps to it. */
function trapWords(mapping: Mapping, traps: readonly { char: string; image: string }[]): string[] {
  const words = new Set<string>();
  for (const word of Object.keys(mapping.table)) {
    for (const { char, image } of traps) {
      const at = asciiLower(word).indexOf(asciiLower(image));
      if (at !== -1) words.add(word.slice(0, at) + char + word.slice(at + image.length));
    }
  }
  return [...words];
}

describe('the state mappings (properties)', () => {
  it.each(MAPPINGS)('$name maps every string to a member of its state set without throwing, documented words as API.md says and the rest to unknown', (mapping) => {
    fc.assert(
      fc.property(stateStringArb, (value) => {
        const state = mapping.map(value);
        expect(mapping.states).toContain(state);
        expect(state).toBe(expectedState(mapping, value));
      }),
      { numRuns: 2_000 },
    );
  });

  it.each(MAPPINGS)('$name maps its documented words, in any case, as API.md\'s table says', (mapping) => {
    fc.assert(
      fc.property(fc.mixedCase(fc.constantFrom(...Object.keys(mapping.table))), (value) => {
        expect(mapping.map(value)).toBe(mapping.table[Object.keys(mapping.table).find((word) => asciiLower(word) === asciiLower(value)) as string]);
      }),
      { numRuns: 300 },
    );
  });

  it.each(MAPPINGS)('$name maps the names on Object.prototype (__proto__, constructor, toString …) to unknown', (mapping) => {
    for (const key of PROTOTYPE_KEYS) {
      expect(mapping.map(key), key).toBe('unknown');
      expect(mapping.map(key.toUpperCase()), key.toUpperCase()).toBe('unknown');
    }
  });

  it('keeps the job and task mappings of ServiceStage apart: SKIPPED is a task state only', () => {
    expect(mapCasTaskState('SKIPPED')).toBe('skipped');
    expect(mapCasJobState('SKIPPED')).toBe('unknown');
    expect(mapCasJobState('UNKNOWN')).toBe('unknown');
    expect(mapCasTaskState('UNKNOWN')).toBe('unknown');
  });

  let traps: { char: string; image: string }[] | undefined;
  it.each(MAPPINGS)('$name maps a word that matches a documented one only through non-ASCII case mapping (ſ, ı, ﬁ, K) to unknown', (mapping) => {
    traps ??= caseFoldingTraps();
    expect(traps.map((trap) => trap.char)).toEqual(expect.arrayContaining(['ſ', 'ı', 'ﬁ', '\u212a']));
    const words = trapWords(mapping, traps);
    const wrong = words.filter((word) => mapping.map(word) !== 'unknown').map((word) => `${JSON.stringify(word)} → ${mapping.map(word)}`);
    expect(wrong).toEqual([]);
  });
});

// =============================================================================================
// The signer

/** RFC 7230 token characters: what real header names are made of. */
const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split('');
const headerNameArb = fc
  .oneof(fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 16 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }))
  .filter((name) => name.toLowerCase() !== 'x-sdk-date');
/** Header values: anything, reserved and non-ASCII characters, surrounding spaces included. */
const headerValueArb = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 16 }), fc.string().map((s) => `  ${s} `));
const queryTextArb = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('a b', 'x+y', '%', '%20', '&', '=', '?', '/', '#', '~', '__proto__', 'ü', '日本', '😀'));

interface SignCase {
  method: string;
  segments: string[];
  headers: [string, string][];
  query: [string, string | string[]][];
  body: string | undefined;
  date: string;
  accessKey: string;
  secretKey: string;
  /** Drives shuffles and case changes. */
  seed: number;
}

const signCaseArb: fc.Arbitrary<SignCase> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'),
  segments: fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 })), { maxLength: 5 }),
  headers: fc.uniqueArray(fc.tuple(headerNameArb, headerValueArb), { selector: ([name]) => name.toLowerCase(), maxLength: 8 }),
  query: fc.uniqueArray(fc.tuple(queryTextArb, fc.oneof(queryTextArb, fc.array(queryTextArb, { minLength: 1, maxLength: 3 }))), { selector: ([key]) => key, maxLength: 6 }),
  body: fc.option(fc.string({ unit: 'binary', maxLength: 40 }), { nil: undefined }),
  date: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map(formatSdkDate),
  accessKey: fc.stringMatching(/^[A-Z0-9]{20}$/),
  // Real secret keys are printable ASCII. (HMAC pads a short key with zero bytes, so 'k' and
  // 'k\0' are the same key: no signer can tell them apart.)
  secretKey: fc.string({ minLength: 1, maxLength: 40 }),
  seed: fc.integer(),
});

const pathOf = (segments: readonly string[]): string => `/${segments.map(encodePathSegment).join('/')}`;

/** The request as a caller builds it: headers and query in the given order. */
function requestOf(c: SignCase, over: Partial<SignableRequest> = {}): SignableRequest {
  return {
    method: c.method,
    path: pathOf(c.segments),
    query: Object.fromEntries(c.query),
    headers: Object.fromEntries([['X-Sdk-Date', c.date], ...c.headers]),
    ...(c.body === undefined ? {} : { body: c.body }),
    ...over,
  };
}

const sign = (request: SignableRequest, c: SignCase, secretKey = c.secretKey): string => signRequest(request, c.accessKey, secretKey).signature;

/** Flips the case of some ASCII letters (only ASCII: HTTP header names are case-insensitive in ASCII). */
function recase(name: string, random: () => number): string {
  return name.replace(/[A-Za-z]/g, (ch) => (random() < 0.5 ? ch : ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase()));
}

/** Whether a header is signed: everything but content-type and names with '_'. */
const isSigned = (name: string): boolean => name.toLowerCase() !== 'content-type' && !name.includes('_');

describe('the Huawei signer (properties)', () => {
  it('signs the same request the same way every time', () => {
    fc.assert(
      fc.property(signCaseArb, (c) => {
        const first = signRequest(requestOf(c), c.accessKey, c.secretKey);
        const again = signRequest(structuredClone(requestOf(c)), c.accessKey, c.secretKey);
        expect(again).toEqual(first);
        expect(first.authorization).toBe(`SDK-HMAC-SHA256 Access=${c.accessKey}, SignedHeaders=${first.signedHeaders}, Signature=${first.signature}`);
        expect(first.signature).toMatch(/^[0-9a-f]{64}$/);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same signature whatever the order of the headers, the case of their names and the spaces around their values', () => {
    fc.assert(
      fc.property(signCaseArb, (c) => {
        const random = seeded(c.seed);
        const pad = (): string => ' \t'.slice(0, Math.floor(random() * 3));
        const entries: [string, string][] = shuffle<[string, string]>([['X-Sdk-Date', c.date], ...c.headers], random).map(([name, value]) => [recase(name, random), `${pad()}${value}${pad()}`]);
        const reordered = requestOf(c, { headers: Object.fromEntries(entries) });
        const original = signRequest(requestOf(c), c.accessKey, c.secretKey);
        const other = signRequest(reordered, c.accessKey, c.secretKey);
        expect(other.signedHeaders).toBe(original.signedHeaders);
        expect(other.signature).toBe(original.signature);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same signature whatever the order of the query parameters, as an object or as a shuffled, percent-encoded query string', () => {
    fc.assert(
      fc.property(signCaseArb, (c) => {
        const random = seeded(c.seed);
        const original = sign(requestOf(c), c);
        // The same parameters as an object built in another order, with each key's values shuffled.
        const asObject = Object.fromEntries(shuffle(c.query, random).map(([key, value]) => [key, typeof value === 'string' ? value : shuffle(value, random)]));
        expect(sign(requestOf(c, { query: asObject }), c)).toBe(original);
        // The same parameters as they go on the wire: every pair percent-encoded, in any order,
        // spaces as %20 or as '+'.
        const pairs = c.query.flatMap(([key, value]) => (typeof value === 'string' ? [value] : value).map((v) => `${encodeURIComponent(key)}=${encodeURIComponent(v)}`));
        const wire = shuffle(pairs, random)
          .join('&')
          .replace(/%20/g, () => (random() < 0.5 ? '%20' : '+'));
        expect(canonicalQuery(wire)).toBe(canonicalQuery(Object.fromEntries(c.query)));
        expect(sign(requestOf(c, { query: wire }), c)).toBe(original);
      }),
      { numRuns: 300 },
    );
  });

  it('changes the signature when a signed header value changes', () => {
    fc.assert(
      fc.property(signCaseArb, fc.nat(), headerValueArb, (c, pick, value) => {
        const signed = c.headers.map(([name], i) => (isSigned(name) ? i : -1)).filter((i) => i >= 0);
        const dateChanged = signed.length === 0 || pick % (signed.length + 1) === signed.length;
        if (dateChanged) {
          // X-Sdk-Date is always signed.
          const date = `${c.date.slice(0, 4) === '2100' ? '2101' : '2100'}${c.date.slice(4)}`;
          expect(sign(requestOf({ ...c, date }), c)).not.toBe(sign(requestOf(c), c));
          return;
        }
        const index = signed[pick % signed.length] as number;
        const [name, old] = c.headers[index] as [string, string];
        fc.pre(value.trim() !== old.trim());
        const headers = c.headers.map((entry, i): [string, string] => (i === index ? [name, value] : entry));
        expect(sign(requestOf({ ...c, headers }), c)).not.toBe(sign(requestOf(c), c));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves the signature alone when content-type or a header whose name holds "_" changes, as those are not signed', () => {
    fc.assert(
      fc.property(signCaseArb, headerValueArb, fc.constantFrom('Content-Type', 'content-type', 'X_Custom_Header', 'x_trace'), (c, value, name) => {
        const without = c.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
        const plain = sign(requestOf({ ...c, headers: without }), c);
        expect(sign(requestOf({ ...c, headers: [...without, [name, value]] }), c)).toBe(plain);
      }),
      { numRuns: 200 },
    );
  });

  it('changes the signature when the method, the path, the body or the secret key changes', () => {
    fc.assert(
      fc.property(
        signCaseArb,
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'),
        fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 })), { maxLength: 5 }),
        fc.option(fc.string({ unit: 'binary', maxLength: 40 }), { nil: undefined }),
        fc.string({ minLength: 1, maxLength: 40 }),
        (c, method, segments, body, secretKey) => {
          const original = sign(requestOf(c), c);
          if (method !== c.method) expect(sign(requestOf({ ...c, method }), c)).not.toBe(original);
          // The method's case does not matter: it is sent upper-case.
          expect(sign(requestOf(c, { method: c.method.toLowerCase() }), c)).toBe(original);
          if (JSON.stringify(segments) !== JSON.stringify(c.segments)) expect(sign(requestOf({ ...c, segments }), c)).not.toBe(original);
          if ((body ?? '') !== (c.body ?? '')) expect(sign(requestOf({ ...c, body }), c)).not.toBe(original);
          if (secretKey !== c.secretKey) expect(sign(requestOf(c), c, secretKey)).not.toBe(original);
        },
      ),
      { numRuns: 300 },
    );
  });
});
