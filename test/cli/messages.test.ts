import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cliPath, FAST, root, runCli, useSimulator } from './run-cli.js';

const fixture = (name: string): string => readFileSync(join(root, 'test', 'fixtures', 'tls', name), 'utf8');

describe('the messages speak the command line, from the real bin', () => {
  const cli = useSimulator();
  const selfSigned = useSimulator({ tls: { key: fixture('self-signed-key.pem'), cert: fixture('self-signed.pem') } });

  test('--insecure warns once, with one prefix, naming --insecure and --ca FILE rather than tls.* options', async () => {
    const result = await runCli(['wait', 'ontap', cli.sim.ontap.addJob(), '--insecure', ...FAST], { env: cli.ontapEnv() });
    expect(result.code).toBe(EXIT.SUCCEEDED);
    const warnings = result.stderr.split('\n').filter((line) => line.includes('warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^jobwait: warning: TLS certificate verification is off for http:\/\/127\.0\.0\.1:\d+ \(--insecure\); trust the server's CA with --ca FILE instead$/);
    expect(result.stderr).not.toContain('tls.');
  });

  test('an untrusted certificate says to use --ca FILE (or --insecure), not tls.ca', async () => {
    const result = await runCli(['get', 'ontap', selfSigned.sim.ontap.addJob()], { env: selfSigned.ontapEnv() });
    expect(result.code).toBe(EXIT.API_ERROR);
    expect(result.stderr).toMatch(/^jobwait: NETWORK: .*pass its PEM certificate as --ca FILE \(or, insecurely, --insecure\)$/m);
    expect(result.stderr).not.toContain('tls.');
    const trusted = await runCli(['get', 'ontap', selfSigned.sim.ontap.addJob(), '--ca', join(root, 'test', 'fixtures', 'tls', 'self-signed.pem')], { env: selfSigned.ontapEnv() });
    expect(trusted.code, trusted.stderr).toBe(EXIT.SUCCEEDED);
  });

  test('a process warning in the bin is one `jobwait: warning:` line, printed once, without Node\'s prefix or --trace-warnings hint', async () => {
    const uuid = cli.sim.ontap.addJob({ steps: [{ state: 'running', polls: 10 }, { state: 'success' }] });
    // Emitted twice while the wait runs (once the bin is running: it has its signal handlers), as a library without a logger would.
    const emit =
      "let n=0;const t=setInterval(()=>{if(process.listenerCount('SIGINT')===0&&++n<400)return;clearInterval(t);for(let i=0;i<2;i++)process.emitWarning('jobwait: the library says so',{code:'JOBWAIT_WARNING'})},5)";
    const child = spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(emit)}`, cliPath, 'wait', 'ontap', uuid, ...FAST], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...cli.ontapEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(EXIT.SUCCEEDED);
    expect(stderr.split('\n').filter((line) => line.includes('the library says so'))).toEqual(['jobwait: warning: the library says so']);
    expect(stderr).not.toContain('--trace-warnings');
    expect(stderr).not.toContain('(node:');
  });
});
