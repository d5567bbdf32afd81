import { randomUUID } from 'node:crypto';
import type { ConformanceTarget } from '../../src/conformance/target.js';
import { simulationOf, startSimulatorWith } from '../../src/testing/simulator.js';
import type { AnyVendorDescriptor } from '../../src/vendor/descriptor.js';
import type { VendorRegistry } from '../../src/vendor/registry.js';

/** A conformance target of a registered vendor on the loopback simulator of `registry`, from its descriptor alone. */
export function simulatorTarget(vendor: AnyVendorDescriptor, registry: VendorRegistry): ConformanceTarget {
  return {
    vendor: vendor.name,
    states: vendor.states.known,
    mapState: (word) => vendor.states.map(word),
    async setup() {
      const sim = await startSimulatorWith(registry);
      const simulation = simulationOf(sim, vendor.name);
      const secret = `conformance-secret-${randomUUID()}`;
      return {
        client: () => vendor.simulator.client(sim.url, secret, { retry: { retries: 0 } }),
        secrets: [secret],
        succeeding: () => vendor.simulator.succeeding(simulation),
        failing: () => vendor.simulator.failing(simulation),
        running: () => vendor.simulator.running(simulation),
        missing: vendor.simulator.missing,
        answer: (status, times, headers = {}) => sim.fault({ type: 'status', status, path: vendor.simulator.jobPath, times, headers: { ...headers } }),
        refuseCredentials: () => vendor.simulator.demandCredential(simulation, `another-${randomUUID()}`),
        requestCount: () => sim.requests.length,
        close: () => sim.close(),
      };
    },
  };
}
