import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './free-port.js';

/**
 * A real `redis-server` for a test file: started on a free loopback port with no persistence
 * (`--save '' --appendonly no`), stopped by PID. A machine without `redis-server` fails the test
 * unless `JOBWAIT_SKIP_REDIS=1` says to skip (CI never sets it: `.ci/run` installs Redis).
 */
export interface RedisServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly pid: number;
  /** The server's URL, `redis://127.0.0.1:PORT`. */
  readonly url: string;
  /** Stops the server (SIGKILL after 2 s), and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop()`), as a Redis that came back. */
  restart(): Promise<void>;
}

/** Whether this machine can run the Redis tests; `false` only when skipping was asked for and there is no server. */
export function redisAvailable(): boolean {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (found) return true;
  if (process.env['JOBWAIT_SKIP_REDIS'] === '1') return false;
  throw new Error('redis-server is not installed: .ci/run installs it (apt-get install redis-server), or set JOBWAIT_SKIP_REDIS=1 to skip the Redis tests');
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child = await launch(port);
  return {
    host: '127.0.0.1',
    port,
    get pid() {
      return child.pid ?? -1;
    },
    url: `redis://127.0.0.1:${port}`,
    stop: () => stopChild(child),
    restart: async () => {
      child = await launch(port);
    },
  };
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--loglevel', 'warning'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${stderr}`);
    if (await answersPing(port)) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on port ${port} within 10 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolve(answer.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}
