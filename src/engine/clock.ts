/** Monotonic milliseconds: the poller's time. Fake timers replace `performance.now` too. @internal */
export function now(): number {
  return performance.now();
}

/**
 * Wall-clock milliseconds (`Date.now()`) minus monotonic ones, right now: add it to a monotonic
 * time to get an epoch time that another process can read, subtract it to come back.
 * @internal
 */
export function wallClockOffset(): number {
  return Date.now() - performance.now();
}
