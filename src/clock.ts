/** Monotonic milliseconds: the poller's time. Fake timers replace `performance.now` too. @internal */
export function now(): number {
  return performance.now();
}
