/**
 * Issue #12 item 2: the cost model. Model time is what the calibrated costs
 * add up to (messages/costs.ts, from shared/real-nix-2.8.md), and bad cost
 * input is a usage error naming the field.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimRuntime } from '../../dist/src/runtime/index.js';
import { costsArg, costsFrom, openScenario, profileByName } from '../../dist/src/scenarios/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rootrace-costs-'));

describe('the cost model on the sim runtime', () => {
  it('nix-instantiate of one fresh drv through the daemon takes start-up + connect + 3 ops + one write (2.35)', async () => {
    const file = join(dir, 'one.yaml');
    writeFileSync(file, 'schemaVersion: 1\nname: one\nsummary: s\nsource: s\ncosts: { jitter: 0 }\nderivations: [ { name: foo } ]\nprocesses: [ { name: X, kind: evaluator, steps: [ { instantiate: foo } ] } ]\n');
    const x = openScenario(file).expand();
    const r = await new SimRuntime().run(x.run, profileByName('nix-2.35'), 1);
    // addTempRoot, isValidPath, AddToStore: 15 + 3 + 3 × 0.3 + 0.7 ms; each scheduling decision adds 1 µs.
    expect(r.modelMs).toBeGreaterThanOrEqual(19.6);
    expect(r.modelMs).toBeLessThan(19.7);
    const zero = await new SimRuntime().run({ ...x.run, costs: costsFrom('zero', 't') }, profileByName('nix-2.35'), 1);
    expect(zero.modelMs).toBeLessThan(0.1);
  });

  it('race-a on nix-2.8 with the default costs fails in some iterations and not in all (seeded, so the same every time)', async () => {
    const x = openScenario('race-a').expand(['iterations=30', 'gcs=60']);
    const r = await new SimRuntime().run(x.run, profileByName('nix-2.8'), 7);
    const a = r.iterations!['A']!;
    expect(a.total).toBe(30);
    expect(a.failed).toBeGreaterThan(0);
    expect(a.failed).toBeLessThan(30);
    expect(r.modelMs).toBeGreaterThan(30 * 30); // each iteration starts two processes (≥ 15 ms each)
  });

  it('bad costs are usage errors naming the field; a file of fields goes over the defaults', () => {
    expect(() => costsFrom({ processStart: -1 }, 'costs')).toThrow(/cost 'processStart' expects a non-negative number/);
    expect(() => costsFrom({ bogus: 1 }, 'costs')).toThrow(/unknown cost 'bogus'/);
    expect(() => costsFrom({ jitter: 1 }, 'costs')).toThrow(/'jitter' expects a number in \[0, 1\)/);
    const f = join(dir, 'c.yaml');
    writeFileSync(f, 'costs: { processStart: 40 }\n');
    expect(costsArg(f)).toMatchObject({ processStart: 40, daemonConnect: 3 });
    expect(() => costsArg(join(dir, 'missing.yaml'))).toThrow(/--costs: cannot read/);
  });
});
