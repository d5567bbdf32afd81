// The simulator in a process of its own, so a benchmark's client is measured alone.
// Prints one JSON line: the URL and the ids of an ONTAP job and a CCE job that stay running.
import { startSimulator } from 'jobwait/testing';

const sim = await startSimulator();
const ontap = sim.ontap.addJob({ description: 'benchmark job', steps: [{ state: 'running', message: 'creating_node_backups' }] });
const cce = sim.cce.addJob({ steps: [{ phase: 'Running', subJobPhases: ['Success', 'Running'] }] });
process.stdout.write(`${JSON.stringify({ url: sim.url, ontap, cce })}\n`);
process.stdin.resume();
process.stdin.on('end', () => sim.close().then(() => process.exit(0)));
