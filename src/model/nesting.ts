/**
 * Whether a tree nests more than `maxLevels` levels below `root` (the root's children are level 1),
 * where `childrenOf` gives a node's children (anything but an array counts as none). Level by level,
 * without recursion, and it stops at the first level too deep: a check that no input can overflow
 * the stack, for the recursive steps (schemas, mappings, comparisons) that read the tree after it.
 * @internal
 */
export function nestsDeeperThan(root: unknown, childrenOf: (node: unknown) => unknown, maxLevels: number): boolean {
  let level = [root];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > maxLevels) return true;
    const next: unknown[] = [];
    for (const node of level) {
      const children = childrenOf(node);
      if (Array.isArray(children)) for (const child of children) next.push(child);
    }
    level = next;
  }
  return false;
}
