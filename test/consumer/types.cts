// Type-checks the published declarations (dist/*.d.cts) as a CommonJS consumer sees them.
import jobwait = require('jobwait');
import ontapModule = require('jobwait/ontap');

const ontap = ontapModule.createOntapClient({ baseUrl: 'https://cluster1.example.com', auth: { username: 'admin', password: 'x' } });
async function main(): Promise<void> {
  try {
    const job = await ontap.waitForJob('00000000-0000-4000-8000-000000000000');
    const id: string = job.raw.uuid;
    void id;
  } catch (error) {
    if (error instanceof jobwait.JobNotFoundError) {
      const code: 'JOB_NOT_FOUND' = error.code;
      void code;
    }
    // @ts-expect-error codes are literal types
    const wrong: 'NOPE' = (error as jobwait.JobFailedError).code;
    void wrong;
  }
}
void main;
