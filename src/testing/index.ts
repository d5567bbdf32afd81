/**
 * Test kit: the loopback simulator of the vendors' job APIs. Needs `msw` (a peer dependency).
 *
 * @packageDocumentation
 */
export { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js';
export type { ChaosOptions, Fault, FaultMatch } from './faults.js';
export type { RecordedRequest, SimulatorTlsOptions } from './server.js';
export type { StepTiming, VisibilityScript } from '../simulation/lifecycle.js';
export type { OntapSimulation, OntapJobScript, OntapStep } from '../../adapters/ontap/simulator.js';
export type { CasSimulation, CasJobScript, CasStep, CasTaskScript } from '../../adapters/cas/simulator.js';
export type { CceSimulation, CceJobScript, CceStep } from '../../adapters/cce/simulator.js';
export type { HuaweiGatewayAuth } from '../../adapters/huawei/simulator-auth.js';
