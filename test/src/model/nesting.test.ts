import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../../src/model/nesting.js';

const tasksOf = (node: unknown): unknown => (node as { tasks?: unknown } | null)?.tasks;

/** A chain of `levels` nested task arrays below one root. */
function chain(levels: number): unknown {
  let node: Record<string, unknown> = { tasks: [] };
  for (let i = 0; i < levels - 1; i++) node = { tasks: [node] };
  return { tasks: [node] };
}

describe('nestsDeeperThan', () => {
  it('counts the root’s children as level 1 and allows exactly maxLevels levels', () => {
    expect(nestsDeeperThan(chain(3), tasksOf, 3)).toBe(false);
    expect(nestsDeeperThan(chain(4), tasksOf, 3)).toBe(true);
  });

  it('looks at every branch of a level, not only the first', () => {
    const tree = { tasks: [{ tasks: [] }, { tasks: [{ tasks: [{}] }] }] };
    expect(nestsDeeperThan(tree, tasksOf, 2)).toBe(true);
    expect(nestsDeeperThan(tree, tasksOf, 3)).toBe(false);
  });

  it('treats anything but an array as no children', () => {
    expect(nestsDeeperThan({ tasks: 'many' }, tasksOf, 0)).toBe(false);
    expect(nestsDeeperThan(null, tasksOf, 0)).toBe(false);
  });

  it('answers for a chain a hundred thousand levels deep without overflowing the stack', () => {
    expect(nestsDeeperThan(chain(100_000), tasksOf, 32)).toBe(true);
  });
});
