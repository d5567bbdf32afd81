import { createServer, type Server } from 'node:http';
import { once } from 'node:events';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A proxy in front of the simulator that sees each poll as the vendor would: when it starts and
 * ends, and which jobs it reads (one for a job's own URL, many for ONTAP's collection query). Each
 * answer is held `holdMs` (40 ms), so a worker killed at any moment has polls in flight.
 */
export interface PollLedger {
  url: string;
  server: Server;
  /** The most polls of one job that were in flight at once, by job. */
  maxInFlight: Map<string, number>;
  /** When each poll of a job arrived, by job. */
  arrivals: Map<string, number[]>;
  inFlight(): number;
}

export async function startLedger(target: string, holdMs = 40): Promise<PollLedger> {
  const current = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const arrivals = new Map<string, number[]>();
  let total = 0;
  const server = createServer((request, response) => {
    const ids = [...new Set((decodeURIComponent(request.url ?? '').match(UUID) ?? []).map((id) => id.toLowerCase()))];
    const at = Date.now();
    total++;
    for (const id of ids) {
      const now = (current.get(id) ?? 0) + 1;
      current.set(id, now);
      maxInFlight.set(id, Math.max(maxInFlight.get(id) ?? 0, now));
      arrivals.set(id, [...(arrivals.get(id) ?? []), at]);
    }
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      total--;
      for (const id of ids) current.set(id, (current.get(id) ?? 1) - 1);
    };
    // A poll ends when its answer is sent, or when its worker is gone (the socket closed).
    response.on('close', finish);
    setTimeout(() => {
      fetch(`${target}${request.url ?? '/'}`, { headers: { authorization: request.headers.authorization ?? '' } }).then(
        async (answer) => {
          const body = await answer.text();
          if (!response.destroyed) response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body);
          finish();
        },
        () => {
          response.destroy();
          finish();
        },
      );
    }, holdMs);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}`, server, maxInFlight, arrivals, inFlight: () => total };
}

