/** What a {@link DueHeap} holds: its key, and its place in the heap (-1 when out of it). @internal */
export interface Due {
  /** When the scheduler must next look at it, in `now()` time. */
  dueAt: number;
  /** Its index in the heap; -1 when it is not in one. */
  heapIndex: number;
}

/**
 * A binary min-heap by `dueAt`, whose items know their place, so one can be moved or removed in
 * O(log n) without a search. The scheduler's one timer is set for its top.
 * @internal
 */
export class DueHeap<T extends Due> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  /** The earliest item, if any. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Every item, in heap order (not sorted). */
  items(): readonly T[] {
    return this.#items;
  }

  /** Adds `item` at `dueAt`, or moves it there if it is in the heap already. */
  set(item: T, dueAt: number): void {
    if (item.heapIndex >= 0) {
      const before = item.dueAt;
      item.dueAt = dueAt;
      if (dueAt < before) this.#up(item.heapIndex);
      else this.#down(item.heapIndex);
      return;
    }
    item.dueAt = dueAt;
    item.heapIndex = this.#items.length;
    this.#items.push(item);
    this.#up(item.heapIndex);
  }

  /** Takes out the earliest item. */
  pop(): T | undefined {
    const top = this.#items[0];
    if (top !== undefined) this.delete(top);
    return top;
  }

  /** Takes `item` out, if it is in the heap. */
  delete(item: T): void {
    const index = item.heapIndex;
    if (index < 0) return;
    item.heapIndex = -1;
    const last = this.#items.pop() as T;
    if (index === this.#items.length) return;
    this.#items[index] = last;
    last.heapIndex = index;
    this.#up(index);
    this.#down(last.heapIndex);
  }

  #up(index: number): void {
    const items = this.#items;
    const item = items[index] as T;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (parent.dueAt <= item.dueAt) break;
      items[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    items[index] = item;
    item.heapIndex = index;
  }

  #down(index: number): void {
    const items = this.#items;
    const length = items.length;
    const item = items[index] as T;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && (items[right] as T).dueAt < (items[left] as T).dueAt ? right : left;
      const childItem = items[child] as T;
      if (childItem.dueAt >= item.dueAt) break;
      items[index] = childItem;
      childItem.heapIndex = index;
      index = child;
    }
    items[index] = item;
    item.heapIndex = index;
  }
}
