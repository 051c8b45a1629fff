/**
 * Progress for long commands: a redrawn bar on a TTY only, never in CI or when
 * stdout carries JSON; otherwise nothing (results speak at the end).
 */
export class Progress {
  private readonly live: boolean;
  private readonly started = performance.now();
  private findings = 0;

  constructor(private readonly err: NodeJS.WriteStream, allowed: boolean) {
    this.live = allowed && err.isTTY === true && !process.env['CI'];
  }

  update(done: number, total: number, finding: boolean): void {
    if (finding) this.findings++;
    if (!this.live) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    const elapsed = (performance.now() - this.started) / 1000;
    const eta = done > 0 ? (elapsed / done) * (total - done) : 0;
    this.err.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} runs, ${this.findings} with findings, ETA ${eta.toFixed(0)}s `);
  }

  done(): void {
    if (this.live) this.err.write('\n');
  }
}
