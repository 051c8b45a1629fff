/**
 * The sim kernel without Nix actors: which fibers a strategy sees, that a fiber
 * woken by an actor-internal promise is parked before the next decision, that a
 * fiber finishing without parking does not stall the run, deadlock reporting,
 * virtual time and kill -9.
 */
import { describe, expect, it } from 'vitest';
import { Kernel, type SimActor } from '../../../src/runtime/sim/kernel.js';
import type { Choice, Strategy } from '../../../src/runtime/sim/strategies/strategy.js';
import { defaultChoice } from '../../../src/runtime/sim/strategies/strategy.js';

/** Non-preemptive, and remembers what it was offered. */
class Recorder implements Strategy {
  readonly name = 'recorder';
  readonly seen: string[][] = [];
  choose(c: Choice): number {
    this.seen.push(c.tasks.map((t) => `${t.actor}:${t.label}`));
    return defaultChoice(c);
  }
}

function harness(strategy: Strategy = new Recorder()): { k: Kernel; stuck: string[]; start: (name: string, body: (a: SimActor) => Promise<void>) => void } {
  const stuck: string[] = [];
  let live = 0;
  const k: Kernel = new Kernel(strategy, 10_000, {
    stuck: (reason) => {
      stuck.push(reason);
      k.finish();
    },
  });
  const start = (name: string, body: (a: SimActor) => Promise<void>): void => {
    const a = k.newActor(name, name);
    live++;
    k.spawn(a, () => body(a), () => {
      k.bury(a);
      if (--live === 0) k.finish();
    });
  };
  return { k, stuck, start };
}

describe('sim kernel', () => {
  it('a fiber woken by a plain promise (a condition variable) is parked before the next decision', async () => {
    const rec = new Recorder();
    const { k, start } = harness(rec);
    let wake!: () => void;
    const cond = new Promise<void>((r) => (wake = r));
    start('A', async (a) => {
      const waiter = (async () => {
        await cond;
        // A few more microtask turns before it reaches a ctx point, as an actor's async return chain takes.
        await Promise.resolve();
        await Promise.resolve();
        await k.park(a, 'step', 'woken');
      })();
      await k.park(a, 'recv', 'never', () => false);
      await waiter;
    });
    start('B', async (b) => {
      await k.park(b, 'step', 'b1');
      wake(); // resolves A's promise synchronously, inside B's turn
      await k.park(b, 'step', 'b2');
    });
    await k.run();
    const after = rec.seen.findIndex((s) => s.includes('B:b2'));
    expect(rec.seen[after]).toContain('A:woken');
  });

  it('a fiber that finishes without parking does not stall the run (macrotask fallback)', async () => {
    const { k, start } = harness();
    let done = false;
    start('A', async (a) => {
      // A second fiber of A that ends right after its park: nothing tells the kernel it finished.
      void (async () => {
        await k.park(a, 'step', 'side');
      })();
      await k.park(a, 'step', 'main');
      done = true;
    });
    await k.run();
    expect(done).toBe(true);
    expect(k.fallbacks).toBeGreaterThan(0);
  });

  it('reports a deadlock when parks exist but none can run', async () => {
    const { k, stuck, start } = harness();
    start('A', async (a) => k.park(a, 'wait', 'forever', () => false));
    await k.run();
    expect(stuck).toEqual(['deadlock']);
  });

  it('virtual time jumps to the earliest sleeper when nothing else can run', async () => {
    const { k, start } = harness();
    const woke: number[] = [];
    start('S', async (a) => {
      await k.park(a, 'sleep', 'sleep', () => k.nowUs >= 250_000, 250_000);
      woke.push(k.nowUs);
    });
    await k.run();
    // The jump lands on 250 000 µs; the decision that resumes the sleeper takes one more.
    expect(woke).toEqual([250_001]);
    expect(k.steps).toBeLessThan(5);
  });

  it('a buried actor is never resumed again', async () => {
    const killerFirst: Strategy = { name: 'killer-first', choose: (c) => Math.max(0, c.tasks.findIndex((t) => t.actor === 'K')) };
    const { k, start } = harness(killerFirst);
    const steps: string[] = [];
    let victim!: SimActor;
    start('V', async (a) => {
      victim = a;
      for (let i = 0; i < 5; i++) {
        await k.park(a, 'step', `v${i}`);
        steps.push(`v${i}`);
      }
    });
    start('K', async (a) => {
      await k.park(a, 'step', 'kill');
      k.bury(victim);
      k.finish();
    });
    await k.run();
    expect(steps).toEqual([]);
  });

  it('keys every decision by actor, label and per-actor sequence', async () => {
    const { k, start } = harness();
    start('A', async (a) => {
      await k.park(a, 'step', 'x');
      await k.park(a, 'step', 'y');
    });
    await k.run();
    expect(k.decisions).toEqual([
      { actor: 'A', label: 'x', seq: 0 },
      { actor: 'A', label: 'y', seq: 1 },
      { actor: 'A', label: 'exit', seq: 2 },
    ]);
  });
});
