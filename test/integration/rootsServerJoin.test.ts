/**
 * stopServer joins the roots server's connection threads (gc.cc:508–514 and
 * :593 @2.8.0: the server thread's cleanup shuts each connection down and
 * joins its thread; stopServer joins the server thread) before collectGarbage
 * goes on to release gc.lock. So no root is acked after its GC ended. Before
 * the join, 7 of 5,088 acks over the catalogue's first 20 seeds on the sim came
 * after their GC's `done` — on these scenarios and seeds.
 */
import { describe, expect, it } from 'vitest';
import { SimRuntime } from '../../dist/src/runtime/index.js';
import { openScenario, profilesFor } from '../../dist/src/scenarios/index.js';

describe('roots server stop', () => {
  it.each(['autogc-self-deadlock', 'heavy-load', 'pending-ack-after-deletion'])('%s: every ack comes before its GC ends (20 seeds, 4 profiles)', async (name) => {
    const rt = new SimRuntime({ record: true, hash: false });
    const x = openScenario(name).expand([]);
    let acks = 0;
    const late: string[] = [];
    for (const p of profilesFor(x, ['nix-2.8', 'nix-2.33', 'nix-2.34', 'nix-2.35'], [])) {
      for (let seed = 1; seed <= 20; seed++) {
        const ended = new Set<string>();
        for (const e of (await rt.run(x.run, p, seed)).recorded!) {
          if (e.type === 'inspect.gc.phase' && (e.phase === 'done' || e.phase === 'aborted')) ended.add(e.gcRun);
          if (e.type === 'inspect.roots.ack') {
            acks++;
            if (ended.has(e.gcRun)) late.push(`${p.name} seed ${seed}: ${e.path} acked by ${e.gcRun} after it ended`);
          }
        }
      }
    }
    expect(acks).toBeGreaterThan(0);
    expect(late).toEqual([]);
  }, 120_000);
});
