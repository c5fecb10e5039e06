/**
 * A throwaway `redis-server` on a free loopback port, for testing a Redis ledger offline: what the loopguard
 * suite and `pnpm bench` use, exported as `@loopguard/budget/redis-server` for your own tests.
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A running redis-server started by `startRedisServer`. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, for `redisLedger({ url })` or ioredis. */
  url: string;
  port: number;
  /** Stops the server; resolves once the process has exited. */
  stop(): Promise<void>;
}

/** Options of `startRedisServer`. */
export interface StartRedisServerOptions {
  /** The binary to run. Default `'redis-server'` (found on `PATH`). */
  command?: string;
  /** How long to wait for the server to accept connections. Default 5,000 ms. */
  readyTimeoutMs?: number;
  /** The port to listen on (e.g. the port of a server stopped earlier, to restart it). Default: a free port. */
  port?: number;
  /**
   * A directory where the server keeps its data (an append-only file, fsynced at every write), so that a server
   * started again with the same `dataDir` and `port` comes back with its data — a restart, not a new server.
   * Default: nothing is saved to disk.
   */
  dataDir?: string;
}

/** True when `command` (default `redis-server`) can be run on this machine. */
export function isRedisServerInstalled(command = 'redis-server'): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
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

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Starts redis-server on a free port of 127.0.0.1 (or `port`), with nothing saved to disk unless `dataDir` is
 * given, and resolves once it accepts connections. Rejects with an `Error` saying why when the binary is missing, exits, or does not answer within
 * `readyTimeoutMs` (default 5 s).
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServer> {
  const command = options.command ?? 'redis-server';
  const readyTimeoutMs = options.readyTimeoutMs ?? 5_000;
  const port = options.port ?? (await freePort());
  const persistence =
    options.dataDir === undefined
      ? ['--appendonly', 'no']
      : ['--dir', options.dataDir, '--appendonly', 'yes', '--appendfsync', 'always'];
  const child: ChildProcess = spawn(
    command,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence],
    { stdio: 'ignore' },
  );
  let failure: Error | undefined;
  child.once('error', (error) => {
    failure = new Error(`startRedisServer could not run "${command}": ${error.message}`);
  });
  child.once('exit', (code, signal) => {
    failure ??= new Error(`startRedisServer: "${command}" exited before it answered (${signal ?? `code ${code}`}).`);
  });
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (failure) throw failure;
    if (await answers(port)) break;
    if (Date.now() >= deadline) {
      await stopProcess(child);
      throw new Error(
        `startRedisServer: redis-server did not answer on 127.0.0.1:${port} within ${readyTimeoutMs} ms.`,
      );
    }
    await sleep(25);
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop: () => stopProcess(child) };
}
