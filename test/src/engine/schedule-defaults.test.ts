import { expect, it, vi } from 'vitest';
import type { Job } from '../../../src/model/job.js';
import { waitForJob } from '../../../src/engine/wait-for-job.js';
import { fakeJob, fakeSource, useFakeClock } from '../../helpers/fake-source.js';

useFakeClock();

// The README's FAQ: "a 10-minute job costs 29 to 35 polls with the defaults (the jitter decides),
// and its end is seen within 30 s". Checked here in fake time, at the low end, the middle and the
// top of the jitter, each with the figures measured for it.
// Each row: the draw, the polls it costs, and how long after the job's end the last poll sees it.
it.each([
  [0, 35, 17_488],
  [0.5, 30, 21_486],
  [0.999, 29, 11_491],
])('waits on a 10-minute job with the defaults in 29 to 35 polls and sees its end within 30 s (jitter draw %s)', async (draw, polls, seenAfterMs) => {
  vi.spyOn(Math, 'random').mockReturnValue(draw);
  const endsAt = 600_000;
  const answer = async (): Promise<Job> => fakeJob(performance.now() >= endsAt ? 'succeeded' : 'running');
  const { client, times } = fakeSource([answer]);
  const wait = waitForJob(client, 'job-1');
  await vi.advanceTimersByTimeAsync(endsAt + 60_000);
  const job = await wait;
  expect(job.state).toBe('succeeded');
  expect(times.length).toBeGreaterThanOrEqual(29);
  expect(times.length).toBeLessThanOrEqual(35);
  expect(times.length).toBe(polls);
  const seenAt = times.at(-1) as number;
  expect(seenAt - endsAt).toBeGreaterThanOrEqual(0);
  expect(seenAt - endsAt).toBeLessThanOrEqual(30_000);
  expect(seenAt - endsAt).toBe(seenAfterMs);
});
