import type { RequestHandler } from 'msw';
import { SHIPPED_VENDORS, type ShippedSimulations } from '../../adapters/registry.js';
import type { VendorSimulation } from '../vendor/descriptor.js';
import type { VendorRegistry } from '../vendor/registry.js';
import { FaultQueue, type ChaosOptions, type Fault } from './faults.js';
import { loadMsw } from './msw.js';
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

/**
 * A running simulator of the vendors' job APIs on a real loopback HTTP server. Each vendor's
 * simulation is the property of its name (`sim.ontap`, `sim.cas`, `sim.cce`).
 */
export interface Simulator extends ShippedSimulations {
  /** `http://127.0.0.1:<port>`: the `baseUrl` / `endpoint` to give a client. */
  readonly url: string;
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
export function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulatorWith(SHIPPED_VENDORS, options) as Promise<Simulator>;
}

/** The simulator's own members, which no vendor name may take. */
const MEMBERS: ReadonlySet<string> = new Set(['url', 'requests', 'fault', 'chaos', 'clearFaults', 'reset', 'handlers', 'close', 'then']);

/** Each simulator's simulations by vendor name, for code that iterates a registry. */
const SIMULATIONS = new WeakMap<object, ReadonlyMap<string, VendorSimulation>>();

/**
 * {@link startSimulator} for the vendors of `registry` (a test's registry with an extra vendor):
 * each vendor's simulation is the property of its name.
 * @internal
 */
export async function startSimulatorWith(registry: VendorRegistry, options: SimulatorOptions = {}): Promise<Omit<Simulator, keyof ShippedSimulations>> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`the simulator listens on loopback only, not ${host}`);
  for (const vendor of registry) if (MEMBERS.has(vendor.name)) throw new Error(`the vendor name ${vendor.name} is a member of the simulator`);
  // msw first: without it, this rejects saying what to install (the vendors' simulations import it).
  await loadMsw();
  const simulations = new Map<string, VendorSimulation>();
  for (const vendor of registry) simulations.set(vendor.name, await vendor.simulator.load());
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const allHandlers = (): RequestHandler[] => [...simulations.values()].flatMap((simulation) => simulation.handlers());
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
  const simulator = {
    ...Object.fromEntries(simulations),
    url: server.url,
    requests,
    fault: (fault: Fault) => faults.add(fault),
    chaos: (chaos: ChaosOptions | undefined) => faults.chaos(chaos),
    clearFaults: () => faults.clear(),
    reset: () => {
      faults.clear();
      requests.length = 0;
      for (const simulation of simulations.values()) simulation.reset();
      handlers = allHandlers();
    },
    handlers: () => [...handlers],
    close,
    [Symbol.asyncDispose]: close,
  };
  SIMULATIONS.set(simulator, simulations);
  return simulator;
}

/** The simulation of vendor `name` in a simulator started here; throws when it has none. @internal */
export function simulationOf(sim: object, name: string): VendorSimulation {
  const simulation = SIMULATIONS.get(sim)?.get(name);
  if (!simulation) throw new Error(`this simulator has no vendor ${name}`);
  return simulation;
}
