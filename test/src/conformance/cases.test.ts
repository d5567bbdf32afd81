import { describe, expect, it } from 'vitest';
import { SHIPPED_VENDORS } from '../../../adapters/registry.js';
import { runConformance } from '../../../src/conformance/cases.js';
import type { ConformanceTarget } from '../../../src/conformance/target.js';
import type { JobClient } from '../../../src/client/job-client.js';
import { defineRegistry } from '../../../src/vendor/registry.js';
import { acmeVendor } from '../../fixtures/vendor-acme/descriptor.js';
import { simulatorTarget } from '../../helpers/simulator-target.js';

const REGISTRY = defineRegistry([...SHIPPED_VENDORS, acmeVendor]);
const acme = (): ConformanceTarget => simulatorTarget(acmeVendor, REGISTRY);

/** The acme target with its fixture's client's `waitForJob` replaced by `wait(client, secret)`. */
function withWaitForJob(wait: (client: JobClient, secret: string) => JobClient['waitForJob']): ConformanceTarget {
  const target = acme();
  return {
    ...target,
    async setup() {
      const fixture = await target.setup();
      const secret = fixture.secrets[0] ?? '';
      return {
        ...fixture,
        client: () => {
          const client = fixture.client();
          return {
            ...client,
            vendor: client.vendor,
            getJob: (id, options) => client.getJob(id, options),
            waitForJob: wait(client, secret),
            watchJob: (id, options) => client.watchJob(id, options),
            close: () => client.close(),
            [Symbol.asyncDispose]: () => client.close(),
          };
        },
      };
    },
  };
}

const failed = (report: Awaited<ReturnType<typeof runConformance>>): string[] => report.results.filter((result) => !result.passed).map((result) => result.name);

describe('runConformance', () => {
  it('reports every case passed for an adapter that behaves like the shipped ones', async () => {
    const report = await runConformance(acme());
    expect(failed(report)).toEqual([]);
    expect(report).toMatchObject({ vendor: 'acme', ok: true });
    expect(report.results.length).toBeGreaterThan(10);
  });

  it('reports the state case failed for an adapter that maps a documented state wrong', async () => {
    const target = acme();
    const report = await runConformance({ ...target, mapState: (word) => (word === 'aborted' ? 'failed' : target.mapState(word)) });
    expect(report.ok).toBe(false);
    expect(failed(report)).toEqual(['maps every documented state word to its normalized state, and an undocumented one to unknown']);
  });

  it('reports the error cases failed for an adapter whose errors are untyped and show the credential', async () => {
    const report = await runConformance(
      withWaitForJob((client, secret) => (id, options) =>
        client.waitForJob(id, options).catch((error: unknown) => {
          throw new Error(`wait failed with token ${secret}: ${String(error)}`);
        }),
      ),
    );
    expect(report.ok).toBe(false);
    const names = failed(report);
    expect(names).toContain('rejects an id the vendor does not have with JobNotFoundError');
    expect(names).toContain('rejects a 401 with AuthenticationError at once, without showing a credential');
    expect(names).toContain('rejects a failed job with JobFailedError carrying the failed job and the vendor error');
    expect(names).not.toContain('ends a wait on a succeeded job, after showing it queued and running, with its vendor name and id');
  });

  it('reports the secret case failed for an adapter whose typed errors show the credential', async () => {
    const report = await runConformance(
      withWaitForJob((client, secret) => (id, options) =>
        client.waitForJob(id, options).catch((error: unknown) => {
          if (error instanceof Error) error.message += ` (token ${secret})`;
          throw error;
        }),
      ),
    );
    expect(failed(report)).toContain('rejects a 401 with AuthenticationError at once, without showing a credential');
    expect(failed(report)).toContain('rejects an id the vendor does not have with JobNotFoundError');
  });

  it('reports the dates case failed for an adapter that hands out dates as strings', async () => {
    const report = await runConformance(
      withWaitForJob((client) => {
        const stringDates = <T extends { createdAt?: Date }>(job: T): T => ({ ...job, createdAt: job.createdAt?.toISOString() as unknown as Date });
        return async (id, options = {}) =>
          stringDates(await client.waitForJob(id, { ...options, ...(options.onProgress ? { onProgress: (job) => options.onProgress?.(stringDates(job)) } : {}) }));
      }),
    );
    expect(failed(report)).toEqual(['gives dates as valid Dates or not at all, on the job and its tasks']);
  });
});
