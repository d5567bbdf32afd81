import { describe, expect, expectTypeOf, it } from 'vitest';
import { cceJobSchema, type CceJob, type CceJobRaw } from '../../../adapters/cce/index.js';

import type { Task } from '../../../src/index.js';
import { CCE_DOCUMENTED_TASKS } from '../../fixtures/vendor-examples.js';
import { toCceJob } from '../../../adapters/cce/map.js';
import { CCE_PHASES, mapCcePhase } from '../../../adapters/cce/state.js';
import { parseHuaweiTime } from '../../../adapters/huawei/time.js';
import { CCE_DOCUMENTED_EXAMPLE } from '../../../adapters/cce/simulator.js';

const DOC_UID = '354331b2c-229a-11e8-9c75-0255ac100ceb';

/** Validates a body like the client does, then normalizes it. */
const map = (body: unknown): CceJob => toCceJob(cceJobSchema.parse(body));

/** A minimal valid CCE job body, with overrides. */
function body(status: Record<string, unknown>, spec?: Record<string, unknown>, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'Job',
    apiVersion: 'v3',
    metadata: { uid: 'job-1', creationTimestamp: '2024-05-08 10:00:00.000000000 +0000 UTC', updateTimestamp: '2024-05-08 10:05:00.000000000 +0000 UTC', ...metadata },
    ...(spec === undefined ? {} : { spec }),
    status,
  };
}

const sub = (uid: string | undefined, phase: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: 'Job',
  apiVersion: 'v3',
  ...(uid === undefined ? {} : { metadata: { uid } }),
  ...extra,
  status: { phase, ...((extra['status'] as Record<string, unknown> | undefined) ?? {}) },
});

describe('toCceJob on the documented example', () => {
  const job = map(CCE_DOCUMENTED_EXAMPLE);

  it('takes id from metadata.uid, type from spec.type and description from spec.resourceName', () => {
    expect(job.vendor).toBe('cce');
    expect(job.id).toBe(DOC_UID);
    expect(job.type).toBe('CreateCluster');
    expect(job.description).toBe('cluster-name');
  });

  it('maps the Running phase to running, keeps the vendor word, and has no message or error for an empty reason', () => {
    expect(job.state).toBe('running');
    expect(job.vendorState).toBe('Running');
    expect('message' in job).toBe(false);
    expect(job.error).toBeUndefined();
  });

  it('reads the Go timestamps to the right instant and gives a running job no end', () => {
    expect(job.createdAt).toBeInstanceOf(Date);
    expect(job.createdAt?.toISOString()).toBe('2018-08-02T08:12:40.672Z');
    expect(job.updatedAt?.toISOString()).toBe('2018-08-02T08:21:50.478Z');
    expect(job.endedAt).toBeUndefined();
    expect(job.startedAt).toBeUndefined();
  });

  it('turns the two sub-jobs into succeeded tasks with ids, types, dates and no name', () => {
    expect(job.tasks).toEqual<Task[]>(CCE_DOCUMENTED_TASKS);
    expect(job.tasks.every((task) => !('name' in task) && !('message' in task) && !('error' in task))).toBe(true);
  });

  it('counts both finished sub-jobs as progress 2/2', () => {
    expect(job.progress).toEqual({ completed: 2, total: 2 });
  });

  it('keeps the whole validated payload, typed, as raw', () => {
    expect(job.raw).toEqual(CCE_DOCUMENTED_EXAMPLE);
    expect(job.raw.spec?.clusterUID).toBe('4d1ecb2c-229a-11e8-9c75-0255ac100ceb');
    expect(job.raw.spec?.extendParam).toEqual({ serverID: 'bc467e3a-2338-11e8-825b-0255ac100c13' });
    expect(job.raw.spec?.subJobs?.[0]?.spec?.resourceID).toBe('fd3b4ac0-9606-11e8-baa8-0255ac10215d');
    expect(job.raw.status.reason).toBe('');
    expectTypeOf(job.raw).toEqualTypeOf<CceJobRaw>();
    expectTypeOf(job.raw.metadata.uid).toEqualTypeOf<string>();
    expectTypeOf(job.raw.status.phase).toEqualTypeOf<string>();
  });
});

describe('phase mapping', () => {
  it.each([
    ['Initializing', 'queued'],
    ['Running', 'running'],
    ['Success', 'succeeded'],
    ['Failed', 'failed'],
    ['INITIALIZING', 'queued'],
    ['running', 'running'],
    ['SUCCESS', 'succeeded'],
    ['fAiLeD', 'failed'],
    ['Pending', 'unknown'],
    ['Deleting', 'unknown'],
    ['Succeeded', 'unknown'],
    ['', 'unknown'],
  ] as const)('maps the job phase %j to %s and keeps the vendor word', (phase, state) => {
    const job = map(body({ phase }));
    expect(job.state).toBe(state);
    expect(job.vendorState).toBe(phase);
    expect(mapCcePhase(phase)).toBe(state);
  });

  it('maps sub-job phases the same way, case-insensitively, with unknown for anything else', () => {
    const job = map(body({ phase: 'Running' }, { subJobs: [sub('a', 'initializing'), sub('b', 'RUNNING'), sub('c', 'success'), sub('d', 'FAILED'), sub('e', 'Rollback')] }));
    expect(job.tasks.map((task) => [task.state, task.vendorState])).toEqual([
      ['queued', 'initializing'],
      ['running', 'RUNNING'],
      ['succeeded', 'success'],
      ['failed', 'FAILED'],
      ['unknown', 'Rollback'],
    ]);
  });

  it('lists exactly the four documented phases', () => {
    expect(CCE_PHASES).toEqual({ Initializing: 'queued', Running: 'running', Success: 'succeeded', Failed: 'failed' });
  });

  it('does not read phases from the prototype chain (constructor, __proto__) as states', () => {
    expect(mapCcePhase('constructor')).toBe('unknown');
    expect(mapCcePhase('__proto__')).toBe('unknown');
    expect(mapCcePhase('toString')).toBe('unknown');
  });
});

describe('message and error', () => {
  it('takes the message from status.reason', () => {
    expect(map(body({ phase: 'Running', reason: 'Installing the master' })).message).toBe('Installing the master');
  });

  it('takes the message from status.message when reason is empty', () => {
    expect(map(body({ phase: 'Running', reason: '', message: 'Waiting for nodes' })).message).toBe('Waiting for nodes');
  });

  it('gives a non-failed job no error even with a reason', () => {
    expect(map(body({ phase: 'Success', reason: 'done' })).error).toBeUndefined();
  });

  it("builds a failed job's error from reason (as code) and message when it has both", () => {
    const job = map(body({ phase: 'Failed', reason: 'QuotaExceeded', message: 'The ECS quota is used up.' }));
    expect(job.state).toBe('failed');
    expect(job.error).toEqual({ code: 'QuotaExceeded', message: 'The ECS quota is used up.' });
  });

  it("builds a failed job's error from reason alone", () => {
    expect(map(body({ phase: 'Failed', reason: 'Create cluster timeout' })).error).toEqual({ message: 'Create cluster timeout' });
  });

  it("builds a failed job's error from message alone", () => {
    expect(map(body({ phase: 'Failed', reason: '', message: 'Install master failed' })).error).toEqual({ message: 'Install master failed' });
  });

  it("takes a failed job's error from its first failed sub-job, with the sub-job's type as target, when status has no text", () => {
    const job = map(
      body(
        { phase: 'Failed', reason: '' },
        {
          subJobs: [
            sub('s1', 'Success', { spec: { type: 'InstallMaster' } }),
            sub('s2', 'Failed', { spec: { type: 'CreatePSMCert' }, status: { reason: 'certificate signing failed' } }),
            sub('s3', 'Failed', { spec: { type: 'InstallNode' }, status: { reason: 'a later failure' } }),
          ],
        },
      ),
    );
    expect(job.error).toEqual({ message: 'certificate signing failed', target: 'CreatePSMCert' });
    expect(job.tasks[1]?.error).toEqual({ message: 'certificate signing failed' });
    expect(job.tasks[1]?.message).toBe('certificate signing failed');
    expect(job.tasks[0]?.error).toBeUndefined();
  });

  it("targets the failed sub-job's id when it has no type", () => {
    const job = map(body({ phase: 'Failed' }, { subJobs: [sub('s1', 'Failed', { status: { message: 'disk attach failed' } })] }));
    expect(job.error).toEqual({ message: 'disk attach failed', target: 's1' });
  });

  it("carries a failed grandchild's error and target up through a failed sub-job without text", () => {
    const job = map(
      body(
        { phase: 'Failed' },
        { subJobs: [sub('s1', 'Failed', { spec: { type: 'CreateNodes', subJobs: [sub('g1', 'Failed', { spec: { type: 'InstallNode' }, status: { reason: 'kubelet did not start' } })] } })] },
      ),
    );
    expect(job.tasks[0]?.error).toEqual({ message: 'kubelet did not start', target: 'InstallNode' });
    expect(job.error).toEqual({ message: 'kubelet did not start', target: 'InstallNode' });
  });

  it('gives a failed job with no text anywhere a generic error message', () => {
    const job = map(body({ phase: 'Failed' }, { subJobs: [sub('s1', 'Success')] }));
    expect(job.error?.message).toEqual(expect.any(String));
    expect(job.error?.message.length).toBeGreaterThan(0);
    expect(job.error?.target).toBeUndefined();
  });
});

describe('sub-jobs become tasks recursively', () => {
  const nested = body(
    { phase: 'Running' },
    {
      type: 'CreateCluster',
      subJobs: [
        {
          metadata: { uid: 'a', creationTimestamp: '2024-05-08 10:00:01 +0000 UTC', updateTimestamp: '2024-05-08 10:00:02.5 +0000 UTC' },
          spec: {
            type: 'CreateNodePool',
            resourceName: 'pool-1',
            subJobs: [
              {
                metadata: { uid: 'a1', creationTimestamp: '2024-05-08 18:00:03 +0800 CST' },
                spec: { type: 'CreateNode', resourceName: 'node-1', subJobs: [{ metadata: { uid: 'a1x' }, spec: { type: 'InstallKubelet' }, status: { phase: 'Running', reason: 'pulling images' } }] },
                status: { phase: 'Running' },
              },
              { spec: { type: 'CreateNode', resourceName: 'node-2' }, status: { phase: 'Success' } },
            ],
          },
          status: { phase: 'Running' },
        },
        { spec: { type: 'InstallAddons' }, status: { phase: 'Initializing' } },
      ],
    },
  );

  it('nests sub-jobs of sub-jobs as tasks of tasks with ids, types, names, states and dates', () => {
    const job = map(nested);
    const a = job.tasks[0];
    expect(a).toMatchObject({ id: 'a', index: 0, type: 'CreateNodePool', name: 'pool-1', state: 'running', vendorState: 'Running' });
    expect(a?.createdAt?.toISOString()).toBe('2024-05-08T10:00:01.000Z');
    expect(a?.updatedAt?.toISOString()).toBe('2024-05-08T10:00:02.500Z');
    expect(a?.tasks).toHaveLength(2);
    const a1 = a?.tasks[0];
    expect(a1).toMatchObject({ id: 'a1', index: 0, type: 'CreateNode', name: 'node-1', state: 'running' });
    expect(a1?.createdAt?.toISOString()).toBe('2024-05-08T10:00:03.000Z');
    expect(a1?.updatedAt).toBeUndefined();
    expect(a1?.tasks).toEqual([{ id: 'a1x', index: 0, type: 'InstallKubelet', state: 'running', vendorState: 'Running', message: 'pulling images', tasks: [] }]);
    expect(a?.tasks[1]).toMatchObject({ index: 1, type: 'CreateNode', name: 'node-2', state: 'succeeded', vendorState: 'Success', tasks: [] });
  });

  it('derives an id from the parent id and the position for a sub-job without metadata.uid, at every depth', () => {
    const job = map(nested);
    expect(job.tasks[1]?.id).toBe('job-1/1');
    expect(job.tasks[0]?.tasks[1]?.id).toBe('a/1');
    const deep = map(body({ phase: 'Running' }, { subJobs: [{ status: { phase: 'Running' }, spec: { subJobs: [{ status: { phase: 'Running' } }, { metadata: {}, status: { phase: 'Running' } }] } }] }));
    expect(deep.tasks[0]?.id).toBe('job-1/0');
    expect(deep.tasks[0]?.tasks.map((task) => task.id)).toEqual(['job-1/0/0', 'job-1/0/1']);
  });

  it('derives the same ids every time the same job is mapped (stable across polls)', () => {
    const ids = (job: CceJob): string[] => job.tasks.flatMap((task) => [task.id, ...task.tasks.map((child) => child.id)]);
    expect(ids(map(nested))).toEqual(ids(map(structuredClone(nested))));
  });

  it('counts progress over the top-level sub-jobs only', () => {
    expect(map(nested).progress).toEqual({ completed: 0, total: 2 });
    const mixed = map(body({ phase: 'Running' }, { subJobs: [sub('a', 'Success'), sub('b', 'Failed'), sub('c', 'Running'), sub('d', 'Weird')] }));
    expect(mixed.progress).toEqual({ completed: 2, total: 4 });
  });

  it('gives a job without sub-jobs an empty task list and no progress', () => {
    const job = map(body({ phase: 'Running' }, { type: 'DeleteCluster' }));
    expect(job.tasks).toEqual([]);
    expect(job.progress).toBeUndefined();
    expect(map(body({ phase: 'Running' })).tasks).toEqual([]);
  });

  it('reads a sub-job with a malformed status or metadata leniently: unknown state, derived id', () => {
    const job = map(body({ phase: 'Running' }, { subJobs: [{ metadata: 5, spec: { type: 'X' }, status: 'x' }, { metadata: { uid: 7 }, spec: 'nope', status: { phase: 3 } }] }));
    expect(job.tasks).toEqual([
      { id: 'job-1/0', index: 0, type: 'X', state: 'unknown', vendorState: '', tasks: [] },
      { id: 'job-1/1', index: 1, state: 'unknown', vendorState: '', tasks: [] },
    ]);
  });

  it('gives no task an endedAt, and a running job none', () => {
    const job = map(nested);
    expect(job.endedAt).toBeUndefined();
    expect(job.tasks.every((task) => !('endedAt' in task))).toBe(true);
  });
});

describe('job dates', () => {
  it("ends a succeeded or failed job at its updateTimestamp", () => {
    for (const phase of ['Success', 'Failed']) {
      const job = map(body({ phase }));
      expect(job.endedAt?.toISOString()).toBe('2024-05-08T10:05:00.000Z');
      expect(job.updatedAt?.toISOString()).toBe('2024-05-08T10:05:00.000Z');
      expect(job.createdAt?.toISOString()).toBe('2024-05-08T10:00:00.000Z');
    }
  });

  it('gives a job in an unknown phase no endedAt', () => {
    expect(map(body({ phase: 'Deleting' })).endedAt).toBeUndefined();
  });

  it('leaves garbage timestamps out of job and tasks instead of making an Invalid Date', () => {
    const job = map(
      body(
        { phase: 'Success' },
        { subJobs: [{ metadata: { uid: 's', creationTimestamp: 'yesterday', updateTimestamp: '2018-02-30 08:00:00 +0000 UTC' }, status: { phase: 'Success' } }] },
        { creationTimestamp: 'not a time', updateTimestamp: '2018-13-45 99:99:99 +0000 UTC' },
      ),
    );
    for (const key of ['createdAt', 'updatedAt', 'endedAt'] as const) expect(key in job).toBe(false);
    expect('createdAt' in (job.tasks[0] as Task)).toBe(false);
    expect('updatedAt' in (job.tasks[0] as Task)).toBe(false);
  });
});

describe('parseHuaweiTime', () => {
  it.each([
    ['Go format with a 9-digit fraction', '2018-08-02 08:12:40.672772389 +0000 UTC', '2018-08-02T08:12:40.672Z'],
    ['Go format without a fraction', '2018-08-02 08:12:40 +0000 UTC', '2018-08-02T08:12:40.000Z'],
    ['Go format with a short fraction', '2018-08-02 08:12:40.5 +0000 UTC', '2018-08-02T08:12:40.500Z'],
    ['Go format at +0800 CST', '2018-08-02 16:12:40.672772389 +0800 CST', '2018-08-02T08:12:40.672Z'],
    ['Go format at -0700 MST', '2018-08-02 01:12:40 -0700 MST', '2018-08-02T08:12:40.000Z'],
    ['Go format at +0530 IST', '2018-08-02 13:42:40.001 +0530 IST', '2018-08-02T08:12:40.001Z'],
    ['Go format across midnight', '2018-08-03 00:12:40 +1600 XYZ', '2018-08-02T08:12:40.000Z'],
    ['RFC 3339 with Z', '2018-08-02T08:12:40Z', '2018-08-02T08:12:40.000Z'],
    ['RFC 3339 with milliseconds', '2018-08-02T08:12:40.672Z', '2018-08-02T08:12:40.672Z'],
    ['RFC 3339 with nanoseconds', '2018-08-02T08:12:40.672772389Z', '2018-08-02T08:12:40.672Z'],
    ['RFC 3339 with an offset', '2018-08-02T16:12:40+08:00', '2018-08-02T08:12:40.000Z'],
    ['RFC 3339 with a negative offset and fraction', '2018-08-02T03:12:40.25-05:00', '2018-08-02T08:12:40.250Z'],
    ['surrounding whitespace', '  2018-08-02 08:12:40 +0000 UTC\n', '2018-08-02T08:12:40.000Z'],
  ])('parses %s to the right instant', (_what, text, iso) => {
    const date = parseHuaweiTime(text);
    expect(date).toBeInstanceOf(Date);
    expect(date?.toISOString()).toBe(iso);
  });

  // Go prints a zone without a name as its numeric offset ("+0800 +0800"): time.FixedZone("", …),
  // and every time.Parse of an RFC 3339 string with an offset, prints this way; tzdata zones such
  // as Asia/Dubai are named "+04".
  it.each([
    ['+0800 +0800', '2018-08-02 16:12:40.672772389 +0800 +0800', '2018-08-02T08:12:40.672Z'],
    ['-0700 -0700', '2018-08-02 01:12:40 -0700 -0700', '2018-08-02T08:12:40.000Z'],
    ['+0400 +04', '2018-08-02 12:12:40 +0400 +04', '2018-08-02T08:12:40.000Z'],
  ])('parses Go format with a numeric zone name (%s) to the right instant', (_what, text, iso) => {
    expect(parseHuaweiTime(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ['an empty string', ''],
    ['words', 'not a time'],
    ['a month 13', '2018-13-02 08:12:40 +0000 UTC'],
    ['hour 25', '2018-08-02 25:12:40 +0000 UTC'],
    ['February 30th', '2018-02-30 08:12:40.672772389 +0000 UTC'],
    ['a bare number', '1533197560'],
    ['a date without a time', '2018-08-02'],
    ['an offset out of range', '2018-08-02 08:12:40 +9900 UTC'],
  ])('returns undefined (never an Invalid Date) for %s', (_what, text) => {
    expect(parseHuaweiTime(text)).toBeUndefined();
  });

  it('returns undefined for null and undefined', () => {
    expect(parseHuaweiTime(undefined)).toBeUndefined();
    expect(parseHuaweiTime(null)).toBeUndefined();
  });
});
