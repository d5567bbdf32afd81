import { describe, expect, it } from 'vitest';
import { cceJobSchema, cceJobSpecSchema, cceSubJobSchema } from '../../../adapters/cce/index.js';
import { CCE_DOCUMENTED_EXAMPLE } from '../../../adapters/cce/simulator.js';

const valid = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'Job',
  apiVersion: 'v3',
  metadata: { uid: 'job-1' },
  status: { phase: 'Running' },
  ...extra,
});

const issuePaths = (input: unknown): string[] => {
  const result = cceJobSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
};

describe('cceJobSchema accepts what CCE sends', () => {
  it('accepts the documented example and keeps every field of it', () => {
    const parsed = cceJobSchema.parse(structuredClone(CCE_DOCUMENTED_EXAMPLE));
    expect(parsed).toEqual(CCE_DOCUMENTED_EXAMPLE);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(CCE_DOCUMENTED_EXAMPLE));
  });

  it('keeps fields it does not know at every level (schema drift passes)', () => {
    const parsed = cceJobSchema.parse(
      valid({
        newTopLevel: { a: 1 },
        metadata: { uid: 'job-1', annotations: { k: 'v' } },
        spec: { type: 'CreateCluster', futureField: [1, 2], subJobs: [{ metadata: { uid: 's', labels: ['x'] }, status: { phase: 'Running', progress: 40 }, extra: true }] },
        status: { phase: 'Running', jobProgress: '40%' },
      }),
    );
    expect(parsed['newTopLevel']).toEqual({ a: 1 });
    expect(parsed.metadata['annotations']).toEqual({ k: 'v' });
    expect(parsed.spec?.['futureField']).toEqual([1, 2]);
    expect(parsed.status['jobProgress']).toBe('40%');
    const subJob = parsed.spec?.subJobs?.[0];
    expect(subJob?.['extra']).toBe(true);
    expect(subJob?.metadata?.['labels']).toEqual(['x']);
    expect(subJob?.status?.['progress']).toBe(40);
  });

  it('accepts a job with only metadata.uid and status.phase', () => {
    expect(cceJobSchema.parse({ metadata: { uid: 'u' }, status: { phase: 'Initializing' } })).toEqual({ metadata: { uid: 'u' }, status: { phase: 'Initializing' } });
  });

  it('parses sub-jobs of sub-jobs of sub-jobs recursively', () => {
    const leaf = { metadata: { uid: 'c' }, spec: { type: 'Leaf' }, status: { phase: 'Success' } };
    const parsed = cceJobSchema.parse(
      valid({ spec: { subJobs: [{ metadata: { uid: 'a' }, spec: { subJobs: [{ metadata: { uid: 'b' }, spec: { subJobs: [leaf] }, status: { phase: 'Running' } }] }, status: { phase: 'Running' } }] } }),
    );
    expect(parsed.spec?.subJobs?.[0]?.spec?.subJobs?.[0]?.spec?.subJobs?.[0]).toEqual(leaf);
  });
});

describe('cceJobSchema refuses a job without what the adapter relies on', () => {
  it('refuses a job without metadata.uid', () => {
    expect(issuePaths(valid({ metadata: { creationTimestamp: '2018-08-02 08:12:40 +0000 UTC' } }))).toContain('metadata.uid');
  });

  it('refuses a job whose metadata.uid is empty', () => {
    expect(issuePaths(valid({ metadata: { uid: '' } }))).toContain('metadata.uid');
  });

  it('refuses a job whose metadata.uid is not a string', () => {
    expect(issuePaths(valid({ metadata: { uid: 42 } }))).toContain('metadata.uid');
  });

  it('refuses a job without metadata', () => {
    expect(issuePaths({ status: { phase: 'Running' } })).toContain('metadata');
  });

  it('refuses a job without status.phase', () => {
    expect(issuePaths(valid({ status: { reason: 'no phase' } }))).toContain('status.phase');
  });

  it('refuses a job whose status.phase is not a string', () => {
    expect(issuePaths(valid({ status: { phase: 3 } }))).toContain('status.phase');
  });

  it('refuses a job without status', () => {
    expect(issuePaths({ metadata: { uid: 'u' } })).toContain('status');
  });

  it('refuses a body that is not an object', () => {
    for (const input of [null, 'Job', [valid()], 5, undefined]) expect(cceJobSchema.safeParse(input).success).toBe(false);
  });
});

describe('cceJobSchema reads passed-along fields leniently', () => {
  it('drops top-level optional fields of the wrong type instead of failing', () => {
    const parsed = cceJobSchema.parse({ kind: 5, apiVersion: {}, metadata: { uid: 'u', creationTimestamp: 17, updateTimestamp: false }, spec: 'x', status: { phase: 'Running', reason: {}, message: [] } });
    expect(parsed.kind).toBeUndefined();
    expect(parsed.apiVersion).toBeUndefined();
    expect(parsed.metadata.creationTimestamp).toBeUndefined();
    expect(parsed.metadata.updateTimestamp).toBeUndefined();
    expect(parsed.spec).toBeUndefined();
    expect(parsed.status.reason).toBeUndefined();
    expect(parsed.status.message).toBeUndefined();
    expect(parsed.metadata.uid).toBe('u');
    expect(parsed.status.phase).toBe('Running');
  });

  it('drops spec fields of the wrong type and keeps the rest of spec', () => {
    const parsed = cceJobSchema.parse(valid({ spec: { type: 9, resourceName: 'cluster-a', extendParam: 'x', subJobs: 'none', clusterUID: null } }));
    expect(parsed.spec?.type).toBeUndefined();
    expect(parsed.spec?.extendParam).toBeUndefined();
    expect(parsed.spec?.subJobs).toBeUndefined();
    expect(parsed.spec?.clusterUID).toBeUndefined();
    expect(parsed.spec?.resourceName).toBe('cluster-a');
  });

  it('reads a sub-job whose status is a string or whose metadata is a number without failing the job', () => {
    const parsed = cceJobSchema.parse(valid({ spec: { subJobs: [{ metadata: 5, spec: { type: 'A' }, status: 'x' }, { metadata: { uid: 'b' }, status: { phase: 'Success' } }] } }));
    const [first, second] = parsed.spec?.subJobs ?? [];
    expect(first?.metadata).toBeUndefined();
    expect(first?.status).toBeUndefined();
    expect(first?.spec?.type).toBe('A');
    expect(second).toEqual({ metadata: { uid: 'b' }, status: { phase: 'Success' } });
  });

  it('reads malformed fields of a deeply nested sub-job without failing the job', () => {
    const parsed = cceJobSchema.parse(
      valid({ spec: { subJobs: [{ metadata: { uid: 'a' }, status: { phase: 'Running' }, spec: { subJobs: [{ metadata: { uid: 1, creationTimestamp: [] }, spec: 7, status: { phase: false, reason: 'r' } }] } }] } }),
    );
    const child = parsed.spec?.subJobs?.[0]?.spec?.subJobs?.[0];
    expect(child?.metadata?.uid).toBeUndefined();
    expect(child?.metadata?.creationTimestamp).toBeUndefined();
    expect(child?.spec).toBeUndefined();
    expect(child?.status?.phase).toBeUndefined();
    expect(child?.status?.reason).toBe('r');
  });

  it('lets cceSubJobSchema accept an empty sub-job and cceJobSpecSchema an empty spec', () => {
    expect(cceSubJobSchema.parse({})).toEqual({});
    expect(cceJobSpecSchema.parse({})).toEqual({});
  });
});

describe('cceJobSchema with a sub-job that is not an object', () => {
  it('drops that sub-job alone and keeps its siblings', () => {
    const parsed = cceJobSchema.parse({
      metadata: { uid: 'job-1' },
      status: { phase: 'Running' },
      spec: { subJobs: [null, 'junk', { metadata: { uid: 'sub-1' }, status: { phase: 'Success' } }, { metadata: { uid: 'sub-2' }, spec: { subJobs: [7, { metadata: { uid: 'sub-2a' } }] } }] },
    });
    expect(parsed.spec?.subJobs?.map((sub) => sub.metadata?.uid)).toEqual(['sub-1', 'sub-2']);
    expect(parsed.spec?.subJobs?.[1]?.spec?.subJobs?.map((sub) => sub.metadata?.uid)).toEqual(['sub-2a']);
  });
});

describe('cceJobSchema refuses sub-jobs nested too deep before it recurses', () => {
  /** A job whose sub-jobs nest `levels` deep, built without recursion. */
  const nested = (levels: number): Record<string, unknown> => {
    let subJobs: unknown[] = [];
    for (let level = levels; level >= 1; level--) subJobs = [{ metadata: { uid: `sub-${level}` }, spec: { subJobs }, status: { phase: 'Running' } }];
    return valid({ spec: { subJobs } });
  };

  it('accepts 32 levels of sub-jobs', () => {
    expect(cceJobSchema.safeParse(nested(32)).success).toBe(true);
  });

  it.each([33, 10_000, 100_000])('fails (without throwing) on %i levels, naming spec.subJobs', (levels) => {
    expect(issuePaths(nested(levels))).toEqual(['spec.subJobs']);
  });

  it('counts the depth of the deepest branch, not of the first one', () => {
    const deep = nested(40);
    const job = valid({ spec: { subJobs: [{ status: { phase: 'Success' } }, ...((deep['spec'] as { subJobs: unknown[] }).subJobs)] } });
    expect(issuePaths(job)).toEqual(['spec.subJobs']);
  });
});
