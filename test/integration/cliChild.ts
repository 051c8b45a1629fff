/**
 * The built CLI as a child process that a test can signal: wait for a line it
 * printed, send SIGINT or SIGTERM, then read its exit code and output. Waiting
 * for a printed line (not a fixed sleep) keeps the tests deterministic.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export class CliChild {
  private readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];

  constructor(args: readonly string[], opts: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}) {
    // CI=1: no TTY bar; --progress in the args gives the plain lines the tests wait for.
    this.child = spawn(process.execPath, [cli, ...args], { cwd: opts.cwd, env: { ...process.env, CI: '1', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => (this.stdout += s));
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      this.stderr += s;
      this.check();
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr })));
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      const m = this.stderr.match(w.re);
      if (m) w.resolve(m);
      return !m;
    });
  }

  /** Resolves once stderr matches `re`; rejects if the process ends first (with what it printed). */
  waitFor(re: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ re, resolve });
      this.check();
      void this.exited.then((e) => reject(new Error(`exited (${e.code ?? e.signal}) before printing ${re}:\n${e.stderr}\n${e.stdout.slice(0, 2000)}`)));
    });
  }

  kill(signal: 'SIGINT' | 'SIGTERM'): void {
    this.child.kill(signal);
  }
}
