import { describe, expect, it } from 'vitest';
import { Lifecycle, type LifecycleView, type StepTiming, type VisibilityScript } from '../../../src/simulation/lifecycle.js';

interface Step extends StepTiming {
  name: string;
}

const isTerminal = (step: Step): boolean => step.name === 'done' || step.name === 'failed';

function make(steps: Step[], visibility: VisibilityScript = {}, now = 0): Lifecycle<Step> {
  return new Lifecycle<Step>(steps, visibility, isTerminal, now);
}

/** The step name a view shows, or `missing/<reason>`. */
function show(view: LifecycleView<Step>): string {
  return view.kind === 'visible' ? view.step.name : `missing/${view.reason}`;
}

/** Polls at each of the given times and returns what each poll showed. */
function pollAt(lifecycle: Lifecycle<Step>, times: number[]): string[] {
  return times.map((now) => show(lifecycle.poll(now)));
}

describe('Lifecycle', () => {
  describe('steps per poll', () => {
    it('shows each step for one poll by default and then holds the last step', () => {
      const lifecycle = make([{ name: 'queued' }, { name: 'running' }, { name: 'done' }]);
      expect(pollAt(lifecycle, [0, 0, 0, 0, 0])).toEqual(['queued', 'running', 'done', 'done', 'done']);
    });

    it('shows a step for as many polls as its polls count says', () => {
      const lifecycle = make([{ name: 'queued', polls: 2 }, { name: 'running', polls: 3 }, { name: 'done' }]);
      expect(pollAt(lifecycle, [0, 1, 2, 3, 4, 5, 6])).toEqual(['queued', 'queued', 'running', 'running', 'running', 'done', 'done']);
    });

    it('reports the index of the step it shows', () => {
      const lifecycle = make([{ name: 'queued' }, { name: 'running' }, { name: 'done' }]);
      const indexes = [0, 0, 0, 0].map(() => {
        const view = lifecycle.poll(0);
        return view.kind === 'visible' ? view.index : -1;
      });
      expect(indexes).toEqual([0, 1, 2, 2]);
    });

    it('does not advance on time for a step counted in polls', () => {
      const lifecycle = make([{ name: 'queued', polls: 2 }, { name: 'done' }]);
      expect(pollAt(lifecycle, [0, 1_000_000, 2_000_000])).toEqual(['queued', 'queued', 'done']);
    });

    it('holds a single step forever', () => {
      const lifecycle = make([{ name: 'running' }]);
      expect(pollAt(lifecycle, [0, 10, 20, 30])).toEqual(['running', 'running', 'running', 'running']);
    });
  });

  describe('steps over time', () => {
    it('shows a timed step until its time is up, whatever the number of polls', () => {
      const lifecycle = make([{ name: 'queued', ms: 100 }, { name: 'done' }], {}, 1000);
      expect(pollAt(lifecycle, [1000, 1010, 1050, 1099, 1100, 1200])).toEqual(['queued', 'queued', 'queued', 'queued', 'done', 'done']);
    });

    it('skips several timed steps at once when a poll comes late', () => {
      const lifecycle = make([{ name: 'a', ms: 100 }, { name: 'b', ms: 100 }, { name: 'c', ms: 100 }, { name: 'done' }]);
      const view = lifecycle.poll(250);
      expect(view).toEqual({ kind: 'visible', step: { name: 'c', ms: 100 }, index: 2 });
      // c was entered at 200 (not at 250): it ends at 300.
      expect(pollAt(lifecycle, [299, 300])).toEqual(['c', 'done']);
    });

    it('times a step reached by polls from the first poll that sees it', () => {
      const lifecycle = make([{ name: 'queued' }, { name: 'running', ms: 100 }, { name: 'done' }]);
      expect(pollAt(lifecycle, [500, 550, 649, 650])).toEqual(['queued', 'running', 'running', 'done']);
    });

    it('counts polls on a poll-counted step reached by time', () => {
      const lifecycle = make([{ name: 'queued', ms: 100 }, { name: 'running', polls: 2 }, { name: 'done' }]);
      expect(pollAt(lifecycle, [500, 501, 502])).toEqual(['running', 'running', 'done']);
    });

    it('holds a timed last step', () => {
      const lifecycle = make([{ name: 'queued', ms: 10 }, { name: 'running', ms: 10 }]);
      expect(pollAt(lifecycle, [0, 100, 100_000])).toEqual(['queued', 'running', 'running']);
    });
  });

  describe('peek', () => {
    it('does not count a poll', () => {
      const lifecycle = make([{ name: 'queued' }, { name: 'running' }, { name: 'done' }]);
      expect([0, 0, 0].map(() => show(lifecycle.peek(0)))).toEqual(['queued', 'queued', 'queued']);
      expect(pollAt(lifecycle, [0, 0])).toEqual(['queued', 'running']);
      expect(show(lifecycle.peek(0))).toBe('done');
    });

    it('does not count toward hiddenForPolls', () => {
      const lifecycle = make([{ name: 'running' }], { hiddenForPolls: 1 });
      expect(show(lifecycle.peek(0))).toBe('missing/hidden');
      expect(show(lifecycle.peek(0))).toBe('missing/hidden');
      expect(pollAt(lifecycle, [0, 0])).toEqual(['missing/hidden', 'running']);
    });

    it('does not count toward deleteAfterPolls', () => {
      const lifecycle = make([{ name: 'done' }], { deleteAfterPolls: 1 });
      expect([0, 0, 0].map(() => show(lifecycle.peek(0)))).toEqual(['done', 'done', 'done']);
      expect(pollAt(lifecycle, [0, 0])).toEqual(['done', 'missing/deleted']);
    });

    it('still follows the clock for timed steps', () => {
      const lifecycle = make([{ name: 'queued', ms: 100 }, { name: 'done' }]);
      expect(show(lifecycle.peek(50))).toBe('queued');
      expect(show(lifecycle.peek(100))).toBe('done');
    });
  });

  describe('hidden at first', () => {
    it('answers missing/hidden to the first hiddenForPolls polls', () => {
      const lifecycle = make([{ name: 'queued' }, { name: 'done' }], { hiddenForPolls: 2 });
      expect(pollAt(lifecycle, [0, 0, 0, 0])).toEqual(['missing/hidden', 'missing/hidden', 'queued', 'done']);
    });

    it('answers missing/hidden until hiddenForMs after the job was added', () => {
      const lifecycle = make([{ name: 'queued' }, { name: 'done' }], { hiddenForMs: 100 }, 1000);
      expect(pollAt(lifecycle, [1000, 1050, 1099, 1100, 1101])).toEqual(['missing/hidden', 'missing/hidden', 'missing/hidden', 'queued', 'done']);
    });

    it('starts the first timed step when the job becomes visible after hiddenForMs', () => {
      const lifecycle = make([{ name: 'queued', ms: 100 }, { name: 'done' }], { hiddenForMs: 100 });
      expect(pollAt(lifecycle, [50, 150, 199, 200])).toEqual(['missing/hidden', 'queued', 'queued', 'done']);
    });

    it('starts the first timed step after the last hidden poll', () => {
      const lifecycle = make([{ name: 'queued', ms: 100 }, { name: 'done' }], { hiddenForPolls: 2 });
      expect(pollAt(lifecycle, [0, 500, 550, 599, 600])).toEqual(['missing/hidden', 'missing/hidden', 'queued', 'queued', 'done']);
    });

    it('stays hidden while either hiding condition holds', () => {
      const lifecycle = make([{ name: 'running' }], { hiddenForPolls: 1, hiddenForMs: 100 });
      expect(pollAt(lifecycle, [0, 50, 100])).toEqual(['missing/hidden', 'missing/hidden', 'running']);
    });
  });

  describe('deleted after the end', () => {
    it('answers missing/deleted deleteAfterMs after a terminal step was first shown', () => {
      const lifecycle = make([{ name: 'running' }, { name: 'done' }], { deleteAfterMs: 100 });
      expect(pollAt(lifecycle, [0, 10, 60, 109, 110, 5000])).toEqual(['running', 'done', 'done', 'done', 'missing/deleted', 'missing/deleted']);
    });

    it('does not delete a job that has not ended, however long it runs', () => {
      const lifecycle = make([{ name: 'running' }], { deleteAfterMs: 10, deleteAfterPolls: 1 });
      expect(pollAt(lifecycle, [0, 1000, 100_000, 100_001])).toEqual(['running', 'running', 'running', 'running']);
    });

    it('answers missing/deleted after deleteAfterPolls polls showed the terminal step', () => {
      const lifecycle = make([{ name: 'running' }, { name: 'done' }], { deleteAfterPolls: 2 });
      expect(pollAt(lifecycle, [0, 0, 0, 0, 0])).toEqual(['running', 'done', 'done', 'missing/deleted', 'missing/deleted']);
    });

    it('stays deleted once deleted, even to peek', () => {
      const lifecycle = make([{ name: 'done' }], { deleteAfterMs: 10 });
      expect(pollAt(lifecycle, [0, 10])).toEqual(['done', 'missing/deleted']);
      expect(show(lifecycle.peek(0))).toBe('missing/deleted');
    });

    it('counts deleteAfterMs from the moment a timed script reached its terminal step, even unobserved', () => {
      // running ends at 100; the job is deleted 50 ms later, at 150: a poll at 1000 misses the end.
      const lifecycle = make([{ name: 'running', ms: 100 }, { name: 'done' }], { deleteAfterMs: 50 });
      expect(pollAt(lifecycle, [0, 120])).toEqual(['running', 'done']);
      const late = make([{ name: 'running', ms: 100 }, { name: 'done' }], { deleteAfterMs: 50 });
      expect(pollAt(late, [0, 1000])).toEqual(['running', 'missing/deleted']);
    });
  });

  describe('override and delete', () => {
    it('shows a frozen override on every poll, whatever the script says', () => {
      const lifecycle = make([{ name: 'running' }, { name: 'running2' }, { name: 'done' }]);
      expect(show(lifecycle.poll(0))).toBe('running');
      lifecycle.override({ name: 'paused' }, true, 0);
      expect(pollAt(lifecycle, [0, 1000, 100_000])).toEqual(['paused', 'paused', 'paused']);
    });

    it('does not let time advance the script while frozen', () => {
      const lifecycle = make([{ name: 'running', ms: 100 }, { name: 'done' }]);
      expect(show(lifecycle.poll(0))).toBe('running');
      lifecycle.override({ name: 'paused' }, true, 50);
      expect(pollAt(lifecycle, [200, 5000])).toEqual(['paused', 'paused']);
    });

    it('resumes the script where it was when the override is lifted, restarting the current step', () => {
      const lifecycle = make([{ name: 'queued' }, { name: 'running', polls: 2 }, { name: 'done' }]);
      expect(pollAt(lifecycle, [0, 0])).toEqual(['queued', 'running']);
      lifecycle.override({ name: 'paused' }, true, 0);
      expect(pollAt(lifecycle, [0, 0, 0])).toEqual(['paused', 'paused', 'paused']);
      lifecycle.override(undefined, false, 0);
      expect(pollAt(lifecycle, [0, 0, 0])).toEqual(['running', 'running', 'done']);
    });

    it('restarts the clock of a timed step when the override is lifted', () => {
      const lifecycle = make([{ name: 'running', ms: 100 }, { name: 'done' }]);
      expect(show(lifecycle.poll(0))).toBe('running');
      lifecycle.override({ name: 'paused' }, true, 50);
      lifecycle.override(undefined, false, 1000);
      expect(pollAt(lifecycle, [1050, 1099, 1100])).toEqual(['running', 'running', 'done']);
    });

    it('counts deleteAfterMs from the moment a terminal override was set', () => {
      const lifecycle = make([{ name: 'running' }], { deleteAfterMs: 100 });
      expect(show(lifecycle.poll(0))).toBe('running');
      lifecycle.override({ name: 'failed' }, true, 1000);
      expect(pollAt(lifecycle, [1099, 1100])).toEqual(['failed', 'missing/deleted']);
    });

    it('counts deleteAfterPolls on a terminal override', () => {
      const lifecycle = make([{ name: 'running' }], { deleteAfterPolls: 1 });
      lifecycle.override({ name: 'failed' }, true, 0);
      expect(pollAt(lifecycle, [0, 0])).toEqual(['failed', 'missing/deleted']);
    });

    it('answers missing/deleted to every poll and peek after delete()', () => {
      const lifecycle = make([{ name: 'running' }, { name: 'done' }]);
      expect(show(lifecycle.poll(0))).toBe('running');
      lifecycle.delete();
      expect(pollAt(lifecycle, [0, 0])).toEqual(['missing/deleted', 'missing/deleted']);
      expect(lifecycle.peek(0)).toEqual({ kind: 'missing', reason: 'deleted' });
    });

    it('deletes a hidden job too', () => {
      const lifecycle = make([{ name: 'running' }], { hiddenForPolls: 5 });
      lifecycle.delete();
      expect(show(lifecycle.poll(0))).toBe('missing/deleted');
    });
  });

  it('throws when given no step', () => {
    expect(() => make([])).toThrow(/at least one step/);
  });
});
