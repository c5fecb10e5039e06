/**
 * Runs a TypeScript file of this package in a child process, the way the suite must: through tsx, with the
 * `@loopguard/source` condition, so packages resolve to their source (never `dist/`).
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** A running child. */
export interface TsChild {
  pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves when a line of its stdout contains `text`; rejects if it exits first. */
  waitFor(text: string): Promise<void>;
  /** Resolves with its exit code (or signal name) once it exits. */
  exited: Promise<number | string>;
  /** SIGKILLs it and waits for it to be gone. */
  kill(): Promise<void>;
}

/** Starts `node --conditions=@loopguard/source --import tsx <file> ...args` from the repository root. */
export function spawnTsChild(file: string, args: string[]): TsChild {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@loopguard/source', '--import', 'tsx', fileURLToPath(new URL(file, import.meta.url)), ...args],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    pid: child.pid as number,
    output: () => stdout,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stdout.includes(text)) {
            child.stdout?.off('data', check);
            resolve();
          }
        };
        child.stdout?.on('data', check);
        check();
        void exited.then((code) => {
          if (!stdout.includes(text)) reject(new Error(`child exited (${code}) before "${text}": ${stderr}${stdout}`));
        });
      }),
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
