/**
 * Huawei Cloud CCE jobs. The client arrives with the Huawei adapters; the state mapping is here
 * already.
 *
 * @packageDocumentation
 */
export { CCE_PHASES, mapCcePhase } from './state.js';
