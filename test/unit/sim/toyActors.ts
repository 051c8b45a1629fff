/** Hand-made actors for DFS tests: each parks at every step, then reads or writes one object of the reduction's footprints. */
import type { Kernel, SimActor } from '../../../src/runtime/sim/kernel.js';

export type ToyStep = readonly [string, 'r' | 'w'];

/** Starts each actor on `k`; the kernel finishes when the last one ends. */
export function startToyActors(k: Kernel, actors: readonly (readonly [string, readonly ToyStep[]])[]): void {
  let live = actors.length;
  for (const [name, steps] of actors) {
    const actor: SimActor = k.newActor(name, name);
    k.spawn(
      actor,
      async () => {
        for (const [i, [key, access]] of steps.entries()) {
          await k.park(actor, 'step', `${name}${i + 1}`);
          if (access === 'w') k.recorder?.write(key);
          else k.recorder?.read(key);
        }
      },
      () => {
        k.bury(actor);
        if (--live === 0) k.finish();
      },
    );
  }
}
