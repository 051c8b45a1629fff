/**
 * Progress for long commands: a redrawn bar on a TTY only, never in CI or when
 * stdout carries JSON; otherwise nothing (results speak at the end). With
 * `--progress`, progress shows even off a TTY (a CI log, a pipe): a plain
 * line at the first run, then at most one a second, and at the last.
 */

/** Milliseconds between two progress lines off a TTY. */
const LINE_EVERY_MS = 1_000;

export type ProgressMode = 'bar' | 'lines' | 'off';

/** How progress shows on `err`: `--progress` forces it (lines off a TTY); otherwise a bar on a TTY outside CI, unless stdout is JSON. */
export function progressMode(err: { readonly isTTY?: boolean }, allowed: boolean, forced = false): ProgressMode {
  const tty = err.isTTY === true && !process.env['CI'];
  if (forced) return tty ? 'bar' : 'lines';
  return allowed && tty ? 'bar' : 'off';
}

export class Progress {
  private readonly mode: ProgressMode;
  private readonly started = performance.now();
  private findings = 0;
  private lastLine = -Infinity;

  constructor(private readonly err: NodeJS.WritableStream & { readonly isTTY?: boolean }, allowed: boolean, forced = false, private readonly what = 'runs') {
    this.mode = progressMode(err, allowed, forced);
  }

  update(done: number, total: number, finding: boolean): void {
    if (finding) this.findings++;
    if (this.mode === 'off') return;
    if (this.mode === 'lines') {
      const now = performance.now();
      if (done !== 1 && done !== total && now - this.lastLine < LINE_EVERY_MS) return;
      this.lastLine = now;
      this.err.write(`progress: ${done}/${total} ${this.what}, ${this.findings} with findings\n`);
      return;
    }
    const width = 30;
    const filled = Math.round((done / total) * width);
    const elapsed = (performance.now() - this.started) / 1000;
    const eta = done > 0 ? (elapsed / done) * (total - done) : 0;
    this.err.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${this.what}, ${this.findings} with findings, ETA ${eta.toFixed(0)}s `);
  }

  done(): void {
    if (this.mode === 'bar') this.err.write('\n');
  }
}
