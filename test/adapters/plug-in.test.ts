/**
 * The proof that a vendor is one folder: the fixture vendor of test/fixtures/vendor-acme/ (client,
 * schema, state mapping, simulator, descriptor), registered here only, runs through the simulator
 * and the CLI's own code (in-process, with the extended registry). Its conformance run is in
 * conformance.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_VENDORS } from '../../adapters/registry.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import { simulationOf, startSimulatorWith } from '../../src/testing/simulator.js';
import { defineRegistry } from '../../src/vendor/registry.js';
import { acmeVendor } from '../fixtures/vendor-acme/descriptor.js';
import type { AcmeSimulation } from '../fixtures/vendor-acme/simulator.js';

const REGISTRY = defineRegistry([...SHIPPED_VENDORS, acmeVendor]);
const FAST = ['--min-delay', '5ms', '--max-delay', '20ms'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI's code in-process with the extended registry. */
async function cli(argv: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: { NO_COLOR: '1', ...env } };
  const code = await main(argv, io, new AbortController().signal, { vendors: REGISTRY });
  return { code, stdout, stderr };
}

describe('a vendor added as one folder and registered by a test', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorWith>>;
  let acme: AcmeSimulation;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulatorWith(REGISTRY);
    acme = simulationOf(sim, 'acme') as AcmeSimulation;
    env = { ACME_URL: sim.url, ACME_TOKEN: 'acme-token-never-shown' };
  });
  afterAll(() => sim.close());

  it('leaves the shipped registry as it was', () => {
    expect(SHIPPED_VENDORS.map((vendor) => vendor.name)).toEqual(['ontap', 'cas', 'cce']);
    expect(Object.isFrozen(SHIPPED_VENDORS)).toBe(true);
    expect(() => defineRegistry([...REGISTRY, acmeVendor])).toThrow('the vendor acme is registered twice');
  });

  it('is served by the simulator beside the shipped vendors, as the property of its name, and reset with them', async () => {
    expect(Object.keys(sim)).toEqual(expect.arrayContaining(['ontap', 'cas', 'cce', 'acme']));
    expect((sim as unknown as Record<string, unknown>)['acme']).toBe(acme);
    const id = acme.addJob();
    const response = await fetch(`${sim.url}/acme/v1/jobs/${id}`);
    expect(await response.json()).toMatchObject({ id, status: 'pending' });
    acme.token = 'x';
    sim.reset();
    expect(acme.token).toBeUndefined();
    expect((await fetch(`${sim.url}/acme/v1/jobs/${id}`)).status).toBe(404);
  });

  it('waits on its jobs with the CLI: exit 0 for a job that succeeds, 1 for one that fails', async () => {
    const ok = await cli(['wait', 'acme', acme.addJob(), ...FAST], env);
    expect(ok.stderr).not.toContain('jobwait:');
    expect(ok.code).toBe(EXIT.SUCCEEDED);
    expect(ok.stdout).toContain('succeeded');
    const broken = await cli(['wait', 'acme', acme.addJob([{ status: 'working' }, { status: 'broken', detail: 'the anvil fell' }]), '--json', ...FAST], env);
    expect(broken.code).toBe(EXIT.FAILED);
    const outcome = JSON.parse(broken.stdout.trim().split('\n').at(-1) ?? '{}') as { type: string; status: string; vendor: string };
    expect(outcome).toMatchObject({ type: 'outcome', status: 'failed', vendor: 'acme' });
  });

  it('gets a job with the CLI, and exits 4 for a missing one and 6 for a refused token, never showing the token', async () => {
    const id = acme.addJob();
    const got = await cli(['get', 'acme', id, '--json'], env);
    expect(got.code).toBe(EXIT.SUCCEEDED);
    expect(JSON.parse(got.stdout)).toMatchObject({ type: 'job', job: { vendor: 'acme', id, state: 'queued', vendorState: 'pending' } });
    const missing = await cli(['get', 'acme', 'acme-nothing'], env);
    expect(missing.code).toBe(EXIT.NOT_FOUND);
    acme.token = 'another-token';
    try {
      const refused = await cli(['wait', 'acme', id, ...FAST], env);
      expect(refused.code).toBe(EXIT.AUTHENTICATION);
      expect(refused.stdout + refused.stderr).not.toContain(env['ACME_TOKEN']);
    } finally {
      acme.token = undefined;
    }
  });

  it('takes its connection flags, refuses its secret flag, and says what is missing, with exit 2', async () => {
    const byFlag = await cli(['wait', 'acme', acme.addJob(), '--acme-url', sim.url, ...FAST], { ACME_TOKEN: 't' });
    expect(byFlag.code).toBe(EXIT.SUCCEEDED);
    const secret = await cli(['wait', 'acme', 'x', '--acme-token', 'shh'], env);
    expect(secret.code).toBe(EXIT.USAGE);
    expect(secret.stderr).toContain('--acme-token is refused');
    expect(secret.stderr).toContain('set ACME_TOKEN');
    expect(secret.stderr).not.toContain('shh');
    const noUrl = await cli(['get', 'acme', 'x'], { ACME_TOKEN: 't' });
    expect(noUrl.code).toBe(EXIT.USAGE);
    expect(noUrl.stderr).toContain('the Acme address is missing');
    const list = await cli(['list', 'acme'], env);
    expect(list.code).toBe(EXIT.USAGE);
    expect(list.stderr).toContain('list works for ontap only: Acme has no job list API');
  });

  it('takes its part in jobwait demo: its scripted job is waited on and matches', async () => {
    const demo = await cli(['demo', '--min-delay', '5ms', '--max-delay', '20ms']);
    expect(demo.stderr).not.toContain('jobwait:');
    expect(demo.code).toBe(EXIT.SUCCEEDED);
    expect(demo.stdout).toMatch(/^acme .* succeeded \(done\) .* yes$/m);
  }, 20_000);

  it('shows in --help and in the unknown-vendor message', async () => {
    const help = await cli(['--help']);
    expect(help.stdout).toContain('wait <ontap|cas|cce|acme> <id>');
    expect(help.stdout).toContain('  Acme     --acme-url URL  or ACME_URL; token ACME_TOKEN');
    const unknown = await cli(['wait', 'nope', 'x']);
    expect(unknown.code).toBe(EXIT.USAGE);
    expect(unknown.stderr).toContain('use ontap, cas, cce, acme');
  });
});
