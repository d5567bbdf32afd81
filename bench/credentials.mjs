// The benchmark's made-up credentials: bench/sim-server.mjs demands them (the per-poll simulators
// check every request, as the vendors do) and bench/poll-cost.mjs sends them.
export const BENCH_ONTAP = { username: 'admin', password: 'bench-password' };
export const BENCH_CCE_TOKEN = 'bench-token';
export const BENCH_CCE_AKSK = { accessKey: 'bench-ak', secretKey: 'bench-sk' };
