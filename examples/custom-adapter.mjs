// @ts-check
/**
 * Wait on an Acme task (acme-source.mjs, a custom adapter) with the core poller and print each change.
 *
 *   node examples/custom-adapter.mjs [TASK_ID]
 *
 * Target: ACME_URL, ACME_TOKEN; none set: a tiny loopback Acme server, started here, whose task
 * build-7 goes PENDING, (a 503), WORKING, DONE.
 */
import { createServer } from 'node:http';
import { waitForJob } from 'jobwait';
import { createAcmeSource } from './acme-source.mjs';

const acmeUrl = process.env.ACME_URL;
const server = acmeUrl ? undefined : await startAcmeServer();
const acme = createAcmeSource(acmeUrl ?? server?.url ?? '', process.env.ACME_TOKEN ?? 'example-token');
try {
  const job = await waitForJob(acme, process.argv[2] ?? 'build-7', {
    minDelayMs: 10,
    timeoutMs: 60_000,
    onProgress: (job) => console.log(`${job.state}${job.message ? `: ${job.message}` : ''}`),
  });
  console.log(`done: ${job.vendorState}`);
} finally {
  await acme.close();
  await server?.close();
}

/** A made-up Acme API on loopback with one scripted task: each poll gets the next answer (a number is an HTTP status). */
async function startAcmeServer() {
  const script = [{ status: 'PENDING' }, 503, { status: 'WORKING', detail: 'compiling' }, { status: 'DONE', detail: 'artifact stored' }];
  const http = createServer((request, response) => {
    const next = request.url === '/v1/tasks/build-7' ? (script.length > 1 ? script.shift() : script[0]) : 404;
    if (typeof next === 'number') response.writeHead(next).end();
    else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'build-7', ...next }));
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (http.address());
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => http.close(resolve)) };
}
