import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { AuthenticationError } from '../errors/authentication-error.js';
import { JobFailedError } from '../errors/job-failed-error.js';
import { JobNotFoundError } from '../errors/job-not-found-error.js';
import { JobTimeoutError } from '../errors/job-timeout-error.js';
import { WaitAbortedError } from '../errors/wait-aborted-error.js';
import type { JobClient } from '../client/job-client.js';
import { isTerminal, JOB_STATES, type Job, type Task } from '../model/job.js';
import type { WaitOptions } from '../engine/options.js';
import type { ConformanceCase, ConformanceFixture, ConformanceReport, ConformanceTarget } from './target.js';

/** Fast polls: the fixture's jobs move one step per poll. */
const FAST = { minDelayMs: 2, maxDelayMs: 10 } as const;

const errorOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  () => assert.fail('expected the wait to reject'),
  (error: unknown) => error,
);

/** Runs `check` on a fresh fixture and its client, then closes both. */
async function withFixture(target: ConformanceTarget, check: (fixture: ConformanceFixture, client: JobClient) => Promise<void>): Promise<void> {
  const fixture = await target.setup();
  const client = fixture.client();
  try {
    await check(fixture, client);
  } finally {
    await client.close();
    await fixture.close();
  }
}

/** Every text an error hands out: message, `String`, `JSON.stringify`, `util.inspect` (causes and job included). */
function textsOf(error: unknown): string[] {
  const texts = [String(error), inspect(error, { depth: 8 })];
  try {
    texts.push(JSON.stringify(error) ?? '');
  } catch {
    // a cyclic error has no JSON text to leak
  }
  if (error instanceof Error) texts.push(error.message, error.stack ?? '');
  return texts;
}

function assertNoSecret(fixture: ConformanceFixture, error: unknown, what: string): void {
  for (const text of textsOf(error)) {
    for (const secret of fixture.secrets) assert.ok(secret === '' || !text.includes(secret), `${what} shows a credential`);
  }
}

function assertDates(subject: Pick<Job, 'createdAt' | 'updatedAt'> & Partial<Pick<Job, 'startedAt' | 'endedAt'>>, where: string): void {
  for (const key of ['createdAt', 'startedAt', 'updatedAt', 'endedAt'] as const) {
    const value: unknown = subject[key];
    if (value === undefined) continue;
    assert.ok(value instanceof Date, `${where}.${key} is a Date or absent (got ${typeof value})`);
    assert.ok(Number.isFinite(value.getTime()), `${where}.${key} is a valid Date`);
  }
}

function assertTaskDates(tasks: readonly Task[], where: string): void {
  tasks.forEach((task, i) => {
    assertDates(task, `${where}.tasks[${i}]`);
    assertTaskDates(task.tasks, `${where}.tasks[${i}]`);
  });
}

/**
 * The conformance cases of an adapter: what every shipped adapter does, checked on the author's
 * fixture. Each case is `{ name, run() }`; any runner iterates them (`for (const c of
 * conformanceCases(target)) it(c.name, c.run)`), and {@link runConformance} runs them all.
 */
export function conformanceCases(target: ConformanceTarget): ConformanceCase[] {
  const fixtureCase = (name: string, check: (fixture: ConformanceFixture, client: JobClient) => Promise<void>): ConformanceCase => ({
    name,
    run: () => withFixture(target, check),
  });
  const cases: ConformanceCase[] = [
    {
      name: 'maps every documented state word to its normalized state, and an undocumented one to unknown',
      run: async () => {
        const words = Object.keys(target.states);
        assert.ok(words.length > 0, 'the target lists the vendor state words');
        for (const word of words) {
          const expected = target.states[word];
          assert.ok(expected !== undefined && JOB_STATES.includes(expected), `${word} maps to a JobState`);
          assert.equal(target.mapState(word), expected, `state ${word}`);
        }
        assert.ok(words.some((word) => isTerminal(target.states[word] ?? 'unknown')), 'some documented state is terminal');
        assert.equal(target.mapState('no-such-state-of-any-vendor'), 'unknown');
      },
    },
    fixtureCase('ends a wait on a succeeded job, after showing it queued and running, with its vendor name and id', async (fixture, client) => {
      const id = await fixture.succeeding();
      const states: string[] = [];
      const job = await client.waitForJob(id, { ...FAST, onProgress: (snapshot) => states.push(snapshot.state) });
      assert.equal(job.vendor, target.vendor);
      assert.equal(job.id, id);
      assert.equal(job.state, 'succeeded');
      assert.equal(states[0], 'queued');
      assert.ok(states.includes('running'), `running was shown (${states.join(', ')})`);
      assert.equal(states.at(-1), 'succeeded');
    }),
    fixtureCase('gives dates as valid Dates or not at all, on the job and its tasks', async (fixture, client) => {
      const id = await fixture.succeeding();
      let snapshots = 0;
      const check = (job: Job): void => {
        snapshots++;
        assertDates(job, 'job');
        assertTaskDates(job.tasks, 'job');
      };
      check(await client.waitForJob(id, { ...FAST, onProgress: check }));
      assert.ok(snapshots > 1);
    }),
    fixtureCase('rejects a failed job with JobFailedError carrying the failed job and the vendor error', async (fixture, client) => {
      const error = await errorOf(client.waitForJob(await fixture.failing(), FAST));
      assert.ok(error instanceof JobFailedError, `a JobFailedError (got ${String(error)})`);
      assert.equal(error.job.state, 'failed');
      assert.ok(error.job.error?.message, 'the job carries the vendor error message');
      assertNoSecret(fixture, error, 'the JobFailedError');
    }),
    fixtureCase('resolves a failed job with throwOnFailure: false', async (fixture, client) => {
      const job = await client.waitForJob(await fixture.failing(), { ...FAST, throwOnFailure: false });
      assert.equal(job.state, 'failed');
    }),
    fixtureCase('ends watchJob after the terminal snapshot', async (fixture, client) => {
      const seen: Job[] = [];
      for await (const job of client.watchJob(await fixture.succeeding(), FAST)) seen.push(job);
      assert.equal(seen[0]?.state, 'queued');
      assert.equal(seen.at(-1)?.state, 'succeeded');
      assert.ok(seen.slice(0, -1).every((job) => !isTerminal(job.state)), 'only the last snapshot is terminal');
    }),
    fixtureCase('rejects an id the vendor does not have with JobNotFoundError', async (fixture, client) => {
      const error = await errorOf(client.waitForJob(fixture.missing, FAST));
      assert.ok(error instanceof JobNotFoundError, `a JobNotFoundError (got ${String(error)})`);
      assert.equal(error.lastJob, undefined);
      assertNoSecret(fixture, error, 'the JobNotFoundError');
    }),
    ...([401, 403] as const).map((status) =>
      fixtureCase(`rejects a ${status} with AuthenticationError at once, without showing a credential`, async (fixture, client) => {
        const id = await fixture.running();
        fixture.answer(status, 1);
        const before = fixture.requestCount();
        const error = await errorOf(client.waitForJob(id, FAST));
        assert.ok(error instanceof AuthenticationError, `an AuthenticationError (got ${String(error)})`);
        assert.equal(fixture.requestCount() - before, 1, 'one request, not retried');
        assertNoSecret(fixture, error, 'the AuthenticationError');
      }),
    ),
    ...([429, 503] as const).map((status) =>
      fixtureCase(`keeps polling through ${status}s and still ends right`, async (fixture, client) => {
        const id = await fixture.succeeding();
        fixture.answer(status, 2, status === 429 ? { 'retry-after': '0' } : {});
        const before = fixture.requestCount();
        const job = await client.waitForJob(id, FAST);
        assert.equal(job.state, 'succeeded');
        assert.ok(fixture.requestCount() - before >= 5, 'the forced answers were polled through');
      }),
    ),
    fixtureCase('rejects with JobTimeoutError naming the last state when the job outlives timeoutMs', async (fixture, client) => {
      const error = await errorOf(client.waitForJob(await fixture.running(), { ...FAST, timeoutMs: 60 }));
      assert.ok(error instanceof JobTimeoutError, `a JobTimeoutError (got ${String(error)})`);
      assert.equal(error.lastJob?.state, 'running');
    }),
    fixtureCase('stops at once with WaitAbortedError when the signal aborts, and sends nothing after', async (fixture, client) => {
      const controller = new AbortController();
      const options: WaitOptions = { minDelayMs: 20, maxDelayMs: 20, signal: controller.signal };
      const wait = client.waitForJob(await fixture.running(), options);
      await new Promise((resolve) => setTimeout(resolve, 30));
      controller.abort(new Error('operator gave up'));
      const error = await errorOf(wait);
      // A request in flight at the abort may still reach the server: let it land before counting.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const count = fixture.requestCount();
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(error instanceof WaitAbortedError, `a WaitAbortedError (got ${String(error)})`);
      assert.equal(fixture.requestCount(), count);
    }),
    {
      name: 'rejects credentials the vendor refuses in its own way with AuthenticationError, without showing them',
      run: () =>
        withFixture(target, async (fixture, client) => {
          if (!fixture.refuseCredentials) return;
          const id = await fixture.running();
          fixture.refuseCredentials();
          const before = fixture.requestCount();
          const error = await errorOf(client.waitForJob(id, FAST));
          assert.ok(error instanceof AuthenticationError, `an AuthenticationError (got ${String(error)})`);
          assert.equal(fixture.requestCount() - before, 1, 'one request, not retried');
          assertNoSecret(fixture, error, 'the AuthenticationError');
        }),
    },
  ];
  return cases;
}

/** Runs every case of {@link conformanceCases} in turn and reports each one; never throws for a failed case. */
export async function runConformance(target: ConformanceTarget): Promise<ConformanceReport> {
  const results: { name: string; passed: boolean; error?: unknown }[] = [];
  for (const check of conformanceCases(target)) {
    try {
      await check.run();
      results.push({ name: check.name, passed: true });
    } catch (error) {
      results.push({ name: check.name, passed: false, error });
    }
  }
  return { vendor: target.vendor, ok: results.every((result) => result.passed), results };
}
