import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { startScenario } from '../scenario.js';

/** `jobwait simulate [--port N]`: the loopback simulator in the foreground, until SIGINT / SIGTERM. */
export async function simulateCommand(context: CommandContext): Promise<number> {
  const { args, io, signal } = context;
  const { vendors } = context.config;
  if (args.positionals.length > 0) throw new UsageError(`simulate takes no arguments (got ${JSON.stringify(args.positionals[0]?.slice(0, 40))})`);
  const { sim, scenario } = await startScenario(vendors, { port: args.flags.port ?? 0, longRunning: true });
  try {
    if (args.flags.json) {
      const info = Object.assign({}, ...vendors.map((vendor) => vendor.cli.scenario.simulatorInfo ?? {})) as Record<string, string>;
      io.stdout.write(`${JSON.stringify({ type: 'simulator', url: sim.url, ...info, jobs: scenario.ids })}\n`);
    } else {
      const width = Math.max(...vendors.map((vendor) => vendor.name.length)) + 2;
      const jobLines = scenario.main.flatMap(({ vendor, id }) => [
        `  ${vendor.name.padEnd(width)}${id}  ${vendor.cli.scenario.ends}`,
        ...scenario.extra.filter((job) => job.vendor === vendor).map((job) => `  ${vendor.name.padEnd(width)}${job.id}  ${job.note}`),
      ]);
      // One export line per vendor, of the variables no earlier line set.
      const exported = new Set<string>();
      const exportLines = vendors.flatMap((vendor) => {
        const fresh = Object.entries(vendor.cli.scenario.environment(sim.url)).filter(([name]) => !exported.has(name));
        for (const [name] of fresh) exported.add(name);
        return fresh.length > 0 ? [`  export ${fresh.map(([name, value]) => `${name}=${value}`).join(' ')}`] : [];
      });
      const waits = scenario.main.map(({ vendor, id }, i) => `  jobwait wait ${vendor.name} ${id}${i === scenario.main.length - 1 ? ' --json' : ''}`);
      const more = vendors.flatMap((vendor) => vendor.cli.scenario.tryCommands?.(scenario.ids) ?? []).map((command) => `  ${command}`);
      io.stdout.write(
        [
          `jobwait simulator listening on ${sim.url} (loopback only; Ctrl-C to stop)`,
          '',
          'Scripted jobs (each poll moves a job one step along):',
          ...jobLines,
          '',
          'The simulator accepts any credentials. In another shell:',
          ...exportLines,
          ...waits,
          ...more,
          '',
        ].join('\n'),
      );
    }
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (!args.flags.json) io.stdout.write('simulator stopped\n');
    return EXIT.SUCCEEDED;
  } finally {
    await sim.close();
  }
}
