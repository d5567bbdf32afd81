// @ts-check
/**
 * Which target an example runs against, kept out of the examples themselves. With the vendor's
 * address set in the environment (the same variables as the `jobwait` CLI), the example runs
 * against it, on the job ids given on its command line. With none set, it starts the simulator
 * from `jobwait/testing`, lets `script` add the jobs the example needs, and `close()` stops it.
 */
/**
 * @param {string} variable the environment variable with the vendor's address, e.g. `JOBWAIT_ONTAP_URL`
 * @param {(sim: import('jobwait/testing').Simulator) => string | string[]} script adds the example's jobs to a simulator
 * @param {string[]} ids the job ids to use against a real target
 * @returns {Promise<{ url: string, ids: string[], close: () => Promise<void> }>}
 */
export async function target(variable, script, ids = process.argv.slice(2)) {
  const url = process.env[variable];
  if (url) {
    if (ids.length === 0) throw new Error(`${variable} is set: give the job id(s) on the command line`);
    return { url, ids, close: async () => {} };
  }
  const { startSimulator } = await import('jobwait/testing'); // loaded only here: a real target needs no msw
  const sim = await startSimulator();
  return { url: sim.url, ids: [script(sim)].flat(), close: () => sim.close() };
}
