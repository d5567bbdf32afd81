import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // package.json's version, as the build puts it in (tsup.config.ts).
  define: { __JOBWAIT_VERSION__: JSON.stringify(version) },
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
