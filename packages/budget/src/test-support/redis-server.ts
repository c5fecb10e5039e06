/**
 * Starts a real `redis-server` on a free loopback port for tests. Without the binary, tests skip with a
 * clear reason locally; in CI (`CI=true`) a missing redis-server is a failure.
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** True when `redis-server` can be run. */
export const redisAvailable = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** Why Redis tests are skipped, or undefined when they run. Throws in CI when redis-server is missing. */
export function redisSkipReason(): string | undefined {
  if (redisAvailable) return undefined;
  if (process.env.CI)
    throw new Error(
      'redis-server is not installed, and CI=true: .ci/run must install it (apt-get install -y redis-server).',
    );
  const reason =
    'redis-server is not installed: the Redis ledger tests are skipped (apt-get install -y redis-server to run them).';
  console.warn(reason);
  return reason;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

/** A running redis-server. */
export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts redis-server (no persistence) on a free port; resolves once it accepts connections. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 200 && !(await answers(port)); i += 1) await sleep(25);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
