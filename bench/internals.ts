/**
 * What the benchmarks read inside the package that is not public: built by tsup into
 * `dist/bench-internals.js`, left out of the package's `exports` and of its tarball.
 */
export { SCHEDULE_CONSTANTS, WAIT_DEFAULTS } from '../src/engine/options.js';
export { formatSdkDate, signRequest } from '../adapters/huawei/signer.js';
