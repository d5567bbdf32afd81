import type { Simulator } from '../testing/index.js';
import type { AnyVendorDescriptor, VendorExtraJob } from '../vendor/descriptor.js';
import type { VendorRegistry } from '../vendor/registry.js';

/** A simulator started for a registry's vendors (its own members; each vendor's simulation by name). */
export type ScenarioSimulator = Pick<Simulator, 'url' | 'close'>;

/** The scripted jobs of `demo` and `simulate`: one per vendor, plus the extra jobs a vendor scripts for `simulate`. */
export interface Scenario {
  /** Each vendor's job, in the registry's order. */
  readonly main: readonly { readonly vendor: AnyVendorDescriptor; readonly id: string }[];
  /** The extra jobs (simulate only), with their vendor. */
  readonly extra: readonly (VendorExtraJob & { readonly vendor: AnyVendorDescriptor })[];
  /** Every id by key: each vendor's name, then the extra jobs' keys (`simulate --json`'s `jobs`). */
  readonly ids: Readonly<Record<string, string>>;
}

type TestingKit = typeof import('../testing/simulator.js');

/** Loads the simulator (lazily: it needs the optional `msw` peer). */
async function loadTestingKit(): Promise<TestingKit> {
  try {
    return await import('../testing/simulator.js');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
    throw new Error(missing ? 'the simulator needs the optional peer dependency msw: npm install --save-dev msw' : `cannot load the simulator: ${(error as Error).message}`);
  }
}

/** Starts the simulator of the registry's vendors on loopback, and scripts the scenario's jobs. */
export async function startScenario(vendors: VendorRegistry, options: { port?: number; longRunning?: boolean; demo?: boolean } = {}): Promise<{ sim: ScenarioSimulator; scenario: Scenario }> {
  const testing = await loadTestingKit();
  const sim = await testing.startSimulatorWith(vendors, { host: '127.0.0.1', port: options.port ?? 0 });
  const simulation = (vendor: AnyVendorDescriptor) => testing.simulationOf(sim, vendor.name);
  if (options.demo) for (const vendor of vendors) vendor.cli.scenario.demoSetup?.(simulation(vendor));
  const main = vendors.map((vendor) => ({ vendor, id: vendor.cli.scenario.addJob(simulation(vendor)) }));
  const extra = options.longRunning ? vendors.flatMap((vendor) => (vendor.cli.scenario.extraJobs?.(simulation(vendor)) ?? []).map((job) => ({ ...job, vendor }))) : [];
  const ids: Record<string, string> = {};
  for (const { vendor, id } of main) ids[vendor.name] = id;
  for (const job of extra) ids[job.key] = job.id;
  return { sim, scenario: { main, extra, ids } };
}
