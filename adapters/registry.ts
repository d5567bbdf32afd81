/**
 * The vendors jobwait ships: the one list the CLI, the simulator, the demo, `jobwait simulate`
 * and the conformance suite iterate, and the only file that names every vendor. Adding a vendor:
 * its folder under adapters/ (client, schemas, state mapping, simulator, descriptor), one line
 * in the list below and one property in {@link ShippedSimulations}, and its build entries
 * (tsup.config.ts, package.json "exports", typedoc.json: a test checks they match this list).
 * @internal
 */
import { defineRegistry, type VendorRegistry } from '../src/vendor/registry.js';
import { casVendor } from './cas/descriptor.js';
import { cceVendor } from './cce/descriptor.js';
import { ontapVendor } from './ontap/descriptor.js';
import type { CasSimulation } from './cas/simulator.js';
import type { CceSimulation } from './cce/simulator.js';
import type { OntapSimulation } from './ontap/simulator.js';

// The simulations' public types, for the testing kit's entry (which reaches vendors only through here).
export type { OntapSimulation, OntapJobScript, OntapStep } from './ontap/simulator.js';
export type { CasSimulation, CasJobScript, CasStep, CasTaskScript } from './cas/simulator.js';
export type { CceSimulation, CceJobScript, CceStep } from './cce/simulator.js';
export type { HuaweiGatewayAuth } from './huawei/simulator-auth.js';

/** The shipped vendors, in the order the CLI and the demo list them. @internal */
export const SHIPPED_VENDORS: VendorRegistry = defineRegistry([ontapVendor, casVendor, cceVendor]);

/** The simulations of the shipped vendors, by vendor name: what `startSimulator()` returns beside its own members. */
export interface ShippedSimulations {
  /** Script ONTAP jobs. */
  readonly ontap: OntapSimulation;
  /** Script ServiceStage (CAS) jobs; `cas.auth` makes it demand a token or an AK/SK signature. */
  readonly cas: CasSimulation;
  /** Script CCE jobs; `cce.auth` makes it demand a token or an AK/SK signature. */
  readonly cce: CceSimulation;
}
