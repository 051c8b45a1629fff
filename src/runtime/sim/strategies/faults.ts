/**
 * Faults as scheduling choices (explore --faults): any strategy, plus "crash
 * the chosen actor's process here" at up to `maxCrashes` crash points of a
 * run. Like PCT's change points, the crash points fall uniformly in the first
 * `steps` decisions: each crash lands at the first crash point (a ctx.step)
 * chosen at or after its decision index, with a signal drawn from `signals`.
 */
import type { CrashSignal } from '../../../messages/scenario.js';
import { mulberry32 } from '../../random.js';
import type { Task } from '../task.js';
import type { Choice, Strategy } from './strategy.js';

export interface FaultOptions {
  readonly signals: readonly CrashSignal[];
  readonly maxCrashes: number;
  /** The expected decisions per run (crashes fall in [0, steps)). */
  readonly steps: number;
}

export class FaultStrategy implements Strategy {
  readonly name: string;
  /** Decision indices at or after which a crash lands, ascending. */
  private readonly at: number[];
  private readonly signals: CrashSignal[];

  constructor(
    private readonly inner: Strategy,
    seed: number,
    o: FaultOptions,
  ) {
    this.name = `${inner.name}+faults`;
    const rand = mulberry32(seed ^ 0x5bd1e995);
    const k = Math.max(1, Math.floor(o.steps));
    this.at = Array.from({ length: Math.max(0, o.maxCrashes) }, () => Math.floor(rand() * k)).sort((a, b) => a - b);
    this.signals = this.at.map(() => o.signals[Math.floor(rand() * o.signals.length)] ?? 'kill');
  }

  choose(c: Choice): number {
    return this.inner.choose(c);
  }

  fault(c: Choice, chosen: Task): CrashSignal | null {
    const inner = this.inner.fault?.(c, chosen) ?? null;
    if (inner) return inner;
    if (this.at.length === 0 || this.at[0]! > c.step || !chosen.crashPoint) return null;
    this.at.shift();
    return this.signals.shift() ?? 'kill';
  }
}
