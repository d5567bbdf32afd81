/**
 * Huawei Cloud ServiceStage application jobs ("CAS"). The client arrives with the Huawei adapters;
 * the state mapping is here already.
 *
 * @packageDocumentation
 */
export { CAS_EXECUTION_STATES, CAS_TASK_STATES, mapCasJobState, mapCasTaskState } from './state.js';
