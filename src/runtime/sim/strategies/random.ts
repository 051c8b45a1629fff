/** Uniform random over the runnable tasks, from a seed. */
import { mulberry32 } from '../../random.js';
import type { Choice, Strategy } from './strategy.js';

export class RandomStrategy implements Strategy {
  readonly name = 'random';
  private readonly rand: () => number;

  constructor(seed: number) {
    this.rand = mulberry32(seed);
  }

  choose(c: Choice): number {
    return Math.floor(this.rand() * c.tasks.length);
  }
}
