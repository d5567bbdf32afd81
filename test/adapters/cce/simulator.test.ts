import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { CCE_DOCUMENTED_TEXT } from '../../fixtures/vendor-examples.js';
import { CCE_DEFAULT_STEPS, CCE_DOCUMENTED_EXAMPLE, CceSimulation, formatGoTime } from '../../../adapters/cce/simulator.js';

// Answers are read loosely: the point is what the simulator sends, not a type.
type Json = Record<string, any>;
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
}

const DOC_UID = '354331b2c-229a-11e8-9c75-0255ac100ceb';
const GO_TIME_UTC = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{9} \+0000 UTC$/;

const DOCUMENTED_BODY = CCE_DOCUMENTED_TEXT;

/** The instant of a simulator timestamp (`2018-08-02 08:12:40.672000000 +0000 UTC`). */
const goInstant = (text: string): number => Date.parse(`${text.slice(0, 10)}T${text.slice(11, 23)}Z`);

describe('CceSimulation over HTTP', () => {
  let sim: Simulator;
  let agent: Agent;

  beforeEach(async () => {
    sim = await startSimulator();
    agent = new Agent();
  });

  afterEach(async () => {
    await agent.close();
    await sim.close();
  });

  async function get(uid: string, headers: Record<string, string> = {}, prefix = ''): Promise<Answer> {
    const res = await request(`${sim.url}${prefix}/api/v3/projects/p-123/jobs/${uid}`, { dispatcher: agent, method: 'GET', headers });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Json) };
  }
  const phases = async (uid: string, polls: number): Promise<unknown[]> => {
    const out: unknown[] = [];
    for (let i = 0; i < polls; i++) {
      const { status, body } = await get(uid);
      out.push(status === 200 ? body['status']['phase'] : status);
    }
    return out;
  };

  describe('the default lifecycle', () => {
    it('holds the documented example, verbatim', () => {
      expect(CCE_DOCUMENTED_EXAMPLE).toEqual(JSON.parse(DOCUMENTED_BODY));
    });

    it('goes Initializing → the documented example → Success, and holds Success', async () => {
      const uid = sim.cce.addJob();
      expect(uid).toBe(DOC_UID);
      const first = await get(uid);
      expect(first.status).toBe(200);
      expect(first.body['status']).toEqual({ phase: 'Initializing' });
      expect(first.body['spec']['subJobs'].map((s: Json) => s['status'])).toEqual([{ phase: 'Initializing' }, { phase: 'Initializing' }]);
      expect(first.body['metadata']).toEqual(CCE_DOCUMENTED_EXAMPLE.metadata);

      const middle = await get(uid);
      expect(middle.body).toEqual(CCE_DOCUMENTED_EXAMPLE);
      expect(middle.body).toEqual(JSON.parse(DOCUMENTED_BODY));

      const last = await get(uid);
      expect(last.body['status']).toEqual({ phase: 'Success' });
      expect(last.body['spec']['subJobs'].map((s: Json) => s['status']['phase'])).toEqual(['Success', 'Success']);
      expect(await phases(uid, 2)).toEqual(['Success', 'Success']);
    });

    it('exports the default steps: Initializing, Running with an empty reason and sub-jobs done, Success', () => {
      expect(CCE_DEFAULT_STEPS.map((step) => step.phase)).toEqual(['Initializing', 'Running', 'Success']);
      expect(CCE_DEFAULT_STEPS[1]).toMatchObject({ reason: '', subJobPhases: ['Success', 'Success'] });
    });

    it('gives a second default job a different uid and Go-format timestamps of now', async () => {
      sim.cce.addJob();
      const before = Date.now();
      const uid = sim.cce.addJob();
      const after = Date.now();
      expect(uid).not.toBe(DOC_UID);
      expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const { body } = await get(uid);
      const metadata = body['metadata'] as Json;
      expect(metadata['uid']).toBe(uid);
      expect(metadata['creationTimestamp']).toMatch(GO_TIME_UTC);
      expect(metadata['updateTimestamp']).toMatch(GO_TIME_UTC);
      const created = goInstant(metadata['creationTimestamp']);
      expect(created).toBeGreaterThanOrEqual(before);
      expect(created).toBeLessThanOrEqual(after);
      expect(metadata['creationTimestamp']).toBe(formatGoTime(created));
      expect(goInstant(metadata['updateTimestamp'])).toBeGreaterThanOrEqual(created);
      expect(body['spec']).toEqual({ ...CCE_DOCUMENTED_EXAMPLE.spec, subJobs: CCE_DOCUMENTED_EXAMPLE.spec.subJobs.map((s) => ({ ...s, status: { phase: 'Initializing' } })) });
      const middle = await get(uid);
      expect(middle.body['status']).toEqual(CCE_DOCUMENTED_EXAMPLE.status);
    });

    it('keeps updateTimestamp while a step holds and moves it forward when the step changes', async () => {
      const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
      const uid = sim.cce.addJob({ uid: 'job-times', steps: [{ phase: 'Running', polls: 2 }, { phase: 'Success' }] });
      const first = (await get(uid)).body['metadata'] as Json;
      await pause();
      const second = (await get(uid)).body['metadata'] as Json;
      await pause();
      const third = (await get(uid)).body['metadata'] as Json;
      expect(second['updateTimestamp']).toBe(first['updateTimestamp']);
      expect(third['creationTimestamp']).toBe(first['creationTimestamp']);
      expect(goInstant(third['updateTimestamp'])).toBeGreaterThan(goInstant(first['updateTimestamp']));
    });
  });

  describe('formatGoTime', () => {
    it("writes Go's time.Time string with nine fraction digits at +0000 UTC", () => {
      expect(formatGoTime(Date.UTC(2018, 7, 2, 8, 12, 40, 672))).toBe('2018-08-02 08:12:40.672000000 +0000 UTC');
      expect(formatGoTime(Date.UTC(2024, 0, 5, 3, 4, 5, 7))).toBe('2024-01-05 03:04:05.007000000 +0000 UTC');
    });
  });

  describe('scripts', () => {
    it('serves the scripted uid, spec and per-step reason and message', async () => {
      const uid = sim.cce.addJob({
        uid: 'job-s1',
        spec: { type: 'DeleteCluster', resourceName: 'c1' },
        steps: [{ phase: 'Running', reason: 'Deleting nodes' }, { phase: 'Failed', reason: 'DeleteFailed', message: 'ELB still in use.' }],
      });
      expect(uid).toBe('job-s1');
      const first = await get(uid);
      expect(first.body['metadata']['uid']).toBe('job-s1');
      expect(first.body['spec']).toEqual({ type: 'DeleteCluster', resourceName: 'c1', subJobs: [] });
      expect(first.body['status']).toEqual({ phase: 'Running', reason: 'Deleting nodes' });
      const second = await get(uid);
      expect(second.body['status']).toEqual({ phase: 'Failed', reason: 'DeleteFailed', message: 'ELB still in use.' });
    });

    it('shows each step for its polls', async () => {
      const uid = sim.cce.addJob({ steps: [{ phase: 'Initializing', polls: 2 }, { phase: 'Running', polls: 3 }, { phase: 'Success' }] });
      expect(await phases(uid, 7)).toEqual(['Initializing', 'Initializing', 'Running', 'Running', 'Running', 'Success', 'Success']);
    });

    it('shows a step timed in ms until its time is up', async () => {
      const uid = sim.cce.addJob({ steps: [{ phase: 'Running', ms: 150 }, { phase: 'Success' }] });
      expect(await phases(uid, 2)).toEqual(['Running', 'Running']);
      await new Promise((resolve) => setTimeout(resolve, 160));
      expect(await phases(uid, 1)).toEqual(['Success']);
    });

    it('sets sub-job phases and reasons per step with subJobPhases and subJobReasons', async () => {
      const uid = sim.cce.addJob({
        steps: [{ phase: 'Running', subJobPhases: ['Success', 'Failed'], subJobReasons: [undefined, 'cert failed'] }],
      });
      const { body } = await get(uid);
      expect(body['spec']['subJobs'].map((s: Json) => s['status'])).toEqual([{ phase: 'Success' }, { phase: 'Failed', reason: 'cert failed' }]);
      expect(body['spec']['subJobs'][0]['metadata']).toEqual(CCE_DOCUMENTED_EXAMPLE.spec.subJobs[0]?.metadata);
    });

    it("gives sub-jobs the step's phase when subJobPhases is not set", async () => {
      const uid = sim.cce.addJob({ steps: [{ phase: 'Failed' }] });
      const { body } = await get(uid);
      expect(body['spec']['subJobs'].map((s: Json) => s['status'])).toEqual([{ phase: 'Failed' }, { phase: 'Failed' }]);
    });

    it("makes nested sub-jobs follow their parent sub-job's phase, without its reason", async () => {
      const uid = sim.cce.addJob({
        spec: {
          type: 'CreateNodePool',
          subJobs: [
            { metadata: { uid: 'a' }, spec: { type: 'CreateNode', subJobs: [{ metadata: { uid: 'a1' }, spec: { subJobs: [{ metadata: { uid: 'a1x' } }] } }] } },
            { metadata: { uid: 'b' }, spec: { type: 'CreateNode', subJobs: [{ metadata: { uid: 'b1' } }] } },
          ],
        },
        steps: [{ phase: 'Running', subJobPhases: ['Success', 'Initializing'], subJobReasons: ['done', undefined] }],
      });
      const { body } = await get(uid);
      const [a, b] = body['spec']['subJobs'] as Json[];
      expect(a?.['status']).toEqual({ phase: 'Success', reason: 'done' });
      expect(a?.['spec']['type']).toBe('CreateNode');
      expect(a?.['spec']['subJobs'][0]['status']).toEqual({ phase: 'Success' });
      expect(a?.['spec']['subJobs'][0]['spec']['subJobs'][0]).toEqual({ metadata: { uid: 'a1x' }, status: { phase: 'Success' } });
      expect(b?.['status']).toEqual({ phase: 'Initializing' });
      expect(b?.['spec']['subJobs'][0]).toEqual({ metadata: { uid: 'b1' }, status: { phase: 'Initializing' } });
    });

    it('leaves the scripted spec object untouched between polls', async () => {
      const spec = { subJobs: [{ metadata: { uid: 'a' } }] };
      const uid = sim.cce.addJob({ spec, steps: [{ phase: 'Running' }, { phase: 'Success' }] });
      await get(uid);
      await get(uid);
      expect(spec).toEqual({ subJobs: [{ metadata: { uid: 'a' } }] });
    });
  });

  describe('missing jobs', () => {
    it('answers an unknown job with 404, CCE.01404001 and an X-Request-Id', async () => {
      const { status, headers, body } = await get('job-none');
      expect(status).toBe(404);
      expect(body).toEqual({ error_code: 'CCE.01404001', error_msg: 'Job job-none not found.' });
      expect(headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    });

    it('sends a different X-Request-Id with every answer, 200s included', async () => {
      const uid = sim.cce.addJob();
      const ids = [(await get(uid)).headers['x-request-id'], (await get(uid)).headers['x-request-id'], (await get('nope')).headers['x-request-id']];
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(new Set(ids).size).toBe(3);
    });

    it('answers 404 for the first hiddenForPolls polls, then shows the job from its first step', async () => {
      const uid = sim.cce.addJob({ hiddenForPolls: 2, steps: [{ phase: 'Running' }, { phase: 'Success' }] });
      expect(await phases(uid, 4)).toEqual([404, 404, 'Running', 'Success']);
    });

    it('deletes a job deleteAfterPolls polls after its terminal step was shown', async () => {
      const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }, { phase: 'Success' }], deleteAfterPolls: 2 });
      expect(await phases(uid, 5)).toEqual(['Running', 'Success', 'Success', 404, 404]);
    });

    it('answers 404 from the moment deleteJob is called', async () => {
      const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
      expect(await phases(uid, 1)).toEqual(['Running']);
      sim.cce.deleteJob(uid);
      expect(await phases(uid, 2)).toEqual([404, 404]);
    });

    it('answers under any base path in front of /api/v3', async () => {
      const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
      expect((await get(uid, {}, '/gateway/cce')).status).toBe(200);
    });
  });

  describe('auth and reset', () => {
    it('demands the token set in sim.cce.auth', async () => {
      sim.cce.auth = { token: 'tok-123456' };
      const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
      const missing = await get(uid);
      expect(missing.status).toBe(401);
      expect(missing.body['error_code']).toBe('APIGW.0301');
      expect((await get(uid, { 'x-auth-token': 'tok-wrong' })).status).toBe(401);
      expect((await get(uid, { 'x-auth-token': 'tok-123456' })).status).toBe(200);
    });

    it('refuses an unsigned request when sim.cce.auth holds a key pair', async () => {
      sim.cce.auth = { accessKey: 'AK-1', secretKey: 'SK-1' };
      const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
      const answer = await get(uid, { authorization: 'SDK-HMAC-SHA256 Access=AK-1, SignedHeaders=host, Signature=00' });
      expect(answer.status).toBe(401);
      expect(answer.body['error_code']).toBe('APIGW.0301');
    });

    it('forgets every job and the auth on reset()', async () => {
      sim.cce.auth = { token: 'tok-123456' };
      const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
      sim.cce.reset();
      expect(sim.cce.auth).toBeUndefined();
      const answer = await get(uid);
      expect(answer.status).toBe(404);
      expect(answer.body['error_code']).toBe('CCE.01404001');
      expect(sim.cce.addJob()).toBe(DOC_UID);
    });

    it("forgets CCE jobs, auth and requests on the simulator's reset()", async () => {
      sim.cce.auth = { token: 'tok-123456' };
      const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
      await get(uid);
      sim.reset();
      expect(sim.requests).toHaveLength(0);
      expect(sim.cce.auth).toBeUndefined();
      expect((await get(uid)).status).toBe(404);
    });

    it('keeps jobs of separate simulations apart', () => {
      const a = new CceSimulation();
      const b = new CceSimulation();
      expect(a.addJob()).toBe(DOC_UID);
      expect(b.addJob()).toBe(DOC_UID);
      expect(a.addJob()).not.toBe(DOC_UID);
    });
  });
});
