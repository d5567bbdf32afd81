import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 10_000,
    hookTimeout: 10_000,
    restoreMocks: true,
    // Most tests wait on sockets and timers, not the CPU: one worker per core (at least two)
    // halves the run on CI's two cores, where the default leaves one core idle.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
