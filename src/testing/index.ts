/**
 * Test kit: the loopback simulator of the vendors' job APIs. Needs `msw` (a peer dependency).
 *
 * @packageDocumentation
 */
export { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js';
export type { ChaosOptions, Fault, FaultMatch } from './faults.js';
export type { RecordedRequest, SimulatorTlsOptions } from './server.js';
export type { StepTiming, VisibilityScript } from '../simulation/lifecycle.js';
export { OntapSimulation, ONTAP_DEFAULT_STEPS, ONTAP_JOB_RETENTION_MS, matchesOntapFilter, type OntapJobScript, type OntapStep } from '../../adapters/ontap/simulator.js';
export { CasSimulation, CAS_DEFAULT_STEPS, CAS_DOCUMENTED_EXAMPLE, type CasJobScript, type CasStep, type CasTaskScript } from '../../adapters/cas/simulator.js';
export { CceSimulation, CCE_DEFAULT_STEPS, CCE_DOCUMENTED_EXAMPLE, formatGoTime, type CceJobScript, type CceStep } from '../../adapters/cce/simulator.js';
export { checkHuaweiAuth, SDK_DATE_TOLERANCE_MS, type HuaweiGatewayAuth } from '../../adapters/huawei/simulator-auth.js';
