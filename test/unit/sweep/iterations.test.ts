/** Issue #12 item 4: a sweep over loops reports failures per iteration with their interval, iterations per model second, and the trade-off. */
import { describe, expect, it } from 'vitest';
import type { SweepRunRecord } from '../../../src/messages/sweep.js';
import { mainLoop, recommend, summarise } from '../../../src/scenarios/sweep/aggregate.js';
import { expandGrid } from '../../../src/scenarios/sweep/plan.js';
import { wilson } from '../../../src/scenarios/sweep/stats.js';

const points = expandGrid(['nix-2.35'], [{ name: 'workers', values: ['1', '8'] }]);
const rec = (point: string, run: number, failed: number, modelMs: number): SweepRunRecord => ({
  point, run, seed: run, finding: failed > 0, kinds: failed > 0 ? ['missing-derivation'] : [], firstFindingUs: failed > 0 ? 1 : null,
  wallMs: 10, storeOps: 100, modelMs, iterations: { B: { total: 10, failed }, W: { total: 10, failed: 0 } },
});
// workers=1: 1 of 20 jobs lost in 2 model s per run; workers=8: 12 of 20 lost, in 0.5 model s per run.
const runs = [rec(points[0]!.key, 0, 1, 2000), rec(points[0]!.key, 1, 0, 2000), rec(points[1]!.key, 0, 6, 500), rec(points[1]!.key, 1, 6, 500)];

describe('sweeps over loops', () => {
  const s = summarise(points, runs);
  it('each point gives failures per iteration of each loop with its Wilson interval, and iterations per model second', () => {
    const b1 = s[0]!.iterations!.find((x) => x.process === 'B')!;
    expect(b1).toMatchObject({ total: 20, failed: 1, rate: 0.05, ...wilson(1, 20), perModelSecond: 5 });
    const b8 = s[1]!.iterations!.find((x) => x.process === 'B')!;
    expect(b8).toMatchObject({ total: 20, failed: 12, rate: 0.6, perModelSecond: 20 });
    expect(s[1]!.modelMs).toBe(500);
  });
  it('the main loop is the one that failed; the recommendation names the trade-off', () => {
    expect(mainLoop(s)).toBe('B');
    const words = recommend(s, 2, false);
    expect(words).toContain('Fewest failing B iterations at profile=nix-2.35, workers=1: 5.0% [0.9%, 23.6%] of 20.');
    expect(words.some((w) => /^Trade-off: profile=nix-2\.35, workers=8 runs 20\.0 B iterations per model second \(4\.0× .*\) but 60\.0% \[/.test(w))).toBe(true);
    expect(words.some((w) => w.includes('adding workers'))).toBe(false); // a scenario's own workers, not host threads
  });
});
