/**
 * Test kit: the loopback simulator of the vendors' job APIs. Needs `msw` (a peer dependency).
 *
 * @packageDocumentation
 */
export { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js';
export type { ChaosOptions, Fault, FaultMatch } from './faults.js';
export type { RecordedRequest, SimulatorTlsOptions } from './server.js';
export type { StepTiming, VisibilityScript } from '../simulation/lifecycle.js';
export type {
  CasJobScript,
  CasSimulation,
  CasStep,
  CasTaskScript,
  CceJobScript,
  CceSimulation,
  CceStep,
  HuaweiGatewayAuth,
  OntapJobScript,
  OntapSimulation,
  OntapStep,
} from '../../adapters/registry.js';
