import type { RequestHandler } from 'msw';
import { CasSimulation } from '../../adapters/cas/simulator.js';
import { CceSimulation } from '../../adapters/cce/simulator.js';
import { OntapSimulation } from '../../adapters/ontap/simulator.js';
import { FaultQueue, type ChaosOptions, type Fault } from './faults.js';
import { startLoopbackServer, type RecordedRequest, type SimulatorTlsOptions } from './server.js';

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** Loopback only. @default '127.0.0.1' */
  host?: string;
  /** Serve HTTPS (`url` starts with `https://`) with this certificate; `requestCert` demands client certificates. */
  tls?: SimulatorTlsOptions;
}

/** A running simulator of the vendors' job APIs on a real loopback HTTP server. */
export interface Simulator {
  /** `http://127.0.0.1:<port>`: the `baseUrl` / `endpoint` to give a client. */
  readonly url: string;
  /** Script ONTAP jobs. */
  readonly ontap: OntapSimulation;
  /** Script ServiceStage (CAS) jobs; `cas.auth` makes it demand a token or an AK/SK signature. */
  readonly cas: CasSimulation;
  /** Script CCE jobs; `cce.auth` makes it demand a token or an AK/SK signature. */
  readonly cce: CceSimulation;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Injects a fault into the next matching request(s). */
  fault(fault: Fault): void;
  /** Injects faults at random into a share of requests (seeded, so a run repeats); `undefined` stops them. */
  chaos(options: ChaosOptions | undefined): void;
  /** Drops every pending fault and stops random ones. */
  clearFaults(): void;
  /** Drops faults, recorded requests, scripted jobs, credentials and auth settings. */
  reset(): void;
  /** The msw request handlers behind the server, for a setup of your own (`setupServer`). */
  handlers(): RequestHandler[];
  /** Stops the server and drops its connections (hanging ones too). */
  close(): Promise<void>;
  /** `await using sim = await startSimulator()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Starts the simulator on loopback. msw does not see undici's requests, so the vendors' msw
 * handlers run behind a real `node:http` server (through msw's `getResponse`): every test
 * exercises real sockets.
 *
 * @example
 * ```ts
 * await using sim = await startSimulator();
 * const uuid = sim.ontap.addJob({ steps: [{ state: 'running', polls: 2 }, { state: 'success' }] });
 * const ontap = createOntapClient({ baseUrl: sim.url, auth: { username: 'admin', password: 'x' } });
 * await ontap.waitForJob(uuid, { minDelayMs: 10 });
 * ```
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`the simulator listens on loopback only, not ${host}`);
  const ontap = new OntapSimulation();
  const cas = new CasSimulation();
  const cce = new CceSimulation();
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const allHandlers = (): RequestHandler[] => [...ontap.handlers(), ...cas.handlers(), ...cce.handlers()];
  let handlers: RequestHandler[] = allHandlers();
  const server = await startLoopbackServer({
    host,
    port: options.port ?? 0,
    tls: options.tls,
    handlers: () => handlers,
    faults,
    onRequest: (request) => requests.push(request),
  });
  const close = (): Promise<void> => server.close();
  return {
    url: server.url,
    ontap,
    cas,
    cce,
    requests,
    fault: (fault) => faults.add(fault),
    chaos: (chaos) => faults.chaos(chaos),
    clearFaults: () => faults.clear(),
    reset: () => {
      faults.clear();
      requests.length = 0;
      ontap.reset();
      cas.reset();
      cce.reset();
      handlers = allHandlers();
    },
    handlers: () => [...handlers],
    close,
    [Symbol.asyncDispose]: close,
  };
}
