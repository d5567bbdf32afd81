// The simulator in a process of its own, so a benchmark's client is measured alone.
// Prints one JSON line: { url, uuid } of an ONTAP job that stays running.
import { startSimulator } from 'jobwait/testing';

const sim = await startSimulator();
const uuid = sim.ontap.addJob({ description: 'benchmark job', steps: [{ state: 'running', message: 'creating_node_backups' }] });
process.stdout.write(`${JSON.stringify({ url: sim.url, uuid })}\n`);
process.stdin.resume();
process.stdin.on('end', () => sim.close().then(() => process.exit(0)));
