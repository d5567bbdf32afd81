/**
 * Test kit: the loopback simulator of the vendors' job APIs. Needs `msw` (a peer dependency).
 *
 * @packageDocumentation
 */
export { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js';
export type { Fault, FaultMatch } from './faults.js';
export type { RecordedRequest } from './server.js';
export type { StepTiming, VisibilityScript } from './lifecycle.js';
export { OntapSimulation, ONTAP_DEFAULT_STEPS, ONTAP_JOB_RETENTION_MS, matchesOntapFilter, type OntapJobScript, type OntapStep } from '../../adapters/ontap/simulator.js';
