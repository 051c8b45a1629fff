/**
 * SIGINT and SIGTERM, in one place. The commands with long loops (`run`,
 * `check`, `sweep`, `explore`, `shrink`) take `Interrupt.honour()`'s
 * AbortSignal and pass it to runMany / runSweep / explore / shrink, which stop
 * between runs and abandon the runs in flight (their worker threads are
 * terminated); the command then prints and writes what finished, and the
 * process exits 130 (SIGINT) or 143 (SIGTERM).
 *
 * A signal to a command that does not honour it, or a second signal, exits at
 * once with the same code (outputs.ts removes temporary files on exit). Should
 * a command not stop, or leave something holding the event loop, a backstop
 * exits regardless: the outputs are atomic, so a forced exit never leaves a
 * half-written file.
 */

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** 128 + the signal number, as a shell reports a process the signal ended. */
export const INTERRUPT_EXIT: Readonly<Record<InterruptSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** From the signal to a forced exit, if the command has not returned by then (it should within a second). */
const STOP_BACKSTOP_MS = 5_000;
/** From the command's return (results printed, files written) to a forced exit, if something still holds the event loop. */
const DRAIN_BACKSTOP_MS = 1_000;

export interface SignalSource {
  on(event: InterruptSignal, listener: () => void): unknown;
  off(event: InterruptSignal, listener: () => void): unknown;
}

export class Interrupt {
  private readonly controller = new AbortController();
  private honoured = false;
  private signalName: InterruptSignal | null = null;
  private readonly listeners: [InterruptSignal, () => void][] = [];

  constructor(
    private readonly stderr: (s: string) => void = (s) => void process.stderr.write(s),
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  /** Listens for SIGINT and SIGTERM on `source` (the process). */
  install(source: SignalSource = process): this {
    for (const name of ['SIGINT', 'SIGTERM'] as const) {
      const l = (): void => this.received(name);
      source.on(name, l);
      this.listeners.push([name, l]);
    }
    return this;
  }

  uninstall(source: SignalSource = process): void {
    for (const [name, l] of this.listeners.splice(0)) source.off(name, l);
  }

  /**
   * The command stops at a signal and flushes what finished: the signal its
   * loops poll (`aborted`, reason the signal's name). Without this, a signal exits at once.
   */
  honour(): AbortSignal {
    this.honoured = true;
    return this.controller.signal;
  }

  /** The signal received, or null. */
  get signal(): InterruptSignal | null {
    return this.signalName;
  }

  /** 130 or 143 once a signal was received, else null. */
  get exitCode(): number | null {
    return this.signalName === null ? null : INTERRUPT_EXIT[this.signalName];
  }

  /** The command returned after an interrupt: exit once the event loop drains, or after a short grace regardless. */
  drained(): void {
    if (this.signalName === null) return;
    const code = INTERRUPT_EXIT[this.signalName];
    // unref: a process whose loop is empty exits by itself, with this code.
    setTimeout(() => this.exit(code), DRAIN_BACKSTOP_MS).unref();
  }

  private received(name: InterruptSignal): void {
    if (this.signalName !== null || !this.honoured) {
      this.stderr(`\nrootrace: ${name}: exiting now\n`);
      this.exit(INTERRUPT_EXIT[this.signalName ?? name]);
      return;
    }
    this.signalName = name;
    this.stderr(`\nrootrace: ${name}: stopping; what finished is reported and written (${name === 'SIGINT' ? 'Ctrl-C' : 'a signal'} again exits at once)\n`);
    setTimeout(() => {
      this.stderr(`rootrace: did not stop within ${STOP_BACKSTOP_MS / 1000} s of ${name}; exiting\n`);
      this.exit(INTERRUPT_EXIT[name]);
    }, STOP_BACKSTOP_MS).unref();
    this.controller.abort(name);
  }
}

