import { expect, it, vi } from 'vitest';
import type { Job } from '../../src/model.js';
import { waitForJob } from '../../src/wait-for-job.js';
import { fakeJob, fakeSource, useFakeClock } from '../helpers/fake-source.js';

useFakeClock();

// The README's FAQ: "a 10-minute job costs 25 to 30 polls with the defaults (the jitter decides),
// and its end is seen within 30 s". Checked here in fake time, at both ends of the jitter.
it.each([0, 0.5, 0.999])('waits on a 10-minute job with the defaults in 25 to 30 polls and sees its end within 30 s (jitter draw %s)', async (draw) => {
  vi.spyOn(Math, 'random').mockReturnValue(draw);
  const endsAt = 600_000;
  const answer = async (): Promise<Job> => fakeJob(performance.now() >= endsAt ? 'succeeded' : 'running');
  const { client, times } = fakeSource([answer]);
  const wait = waitForJob(client, 'job-1');
  await vi.advanceTimersByTimeAsync(endsAt + 60_000);
  const job = await wait;
  expect(job.state).toBe('succeeded');
  // measured: 30 polls at the low end of the jitter, 25 at the middle and the top
  expect(times.length).toBeGreaterThanOrEqual(25);
  expect(times.length).toBeLessThanOrEqual(30);
  const seenAt = times.at(-1) as number;
  expect(seenAt - endsAt).toBeGreaterThanOrEqual(0);
  expect(seenAt - endsAt).toBeLessThanOrEqual(30_000);
});
