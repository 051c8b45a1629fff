/**
 * Issue #12 item 2: one arithmetic from real Nix timings to costs. The defaults
 * are what shared/real-nix-2.8.md's medians give (each within the ±10% spread
 * every figure showed); a timings file becomes a cost file that --costs reads.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COST_FIELDS, DEFAULT_COSTS } from '../../../src/messages/costs.js';
import { REAL_NIX_2_8, costsFromTimings, timingsFrom } from '../../../src/scenarios/calibrate.js';
import { costsArg } from '../../../src/scenarios/costs.js';

const cli = new URL('../../../dist/src/cli/main.js', import.meta.url).pathname;
const script = new URL('../../../scripts/calibrate.sh', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rootrace-calibrate-'));

describe('calibration', () => {
  it("the default costs are real Nix 2.8's timings through the arithmetic, within their ±10% spread", () => {
    const derived = costsFromTimings(REAL_NIX_2_8);
    for (const k of COST_FIELDS) expect(Math.abs(derived[k] - DEFAULT_COSTS[k]), k).toBeLessThanOrEqual(0.1 * DEFAULT_COSTS[k] + 1e-9);
  });

  it('without a local timing, start-up takes the daemon connect from the defaults', () => {
    const { localInstantiateValid: _l, ...daemonOnly } = REAL_NIX_2_8;
    const c = costsFromTimings(daemonOnly);
    expect(c.daemonConnect).toBe(DEFAULT_COSTS.daemonConnect);
    expect(c.processStart).toBeCloseTo(20.4 - 3 - 1.5, 5);
  });

  it.each([
    [{ instantiateValid: 1 }, /missing timings 'instantiateFresh', 'realise', 'gcEmpty', 'gc20'/],
    [{ ...REAL_NIX_2_8, gc21: 3 }, /unknown timing 'gc21'/],
    [{ ...REAL_NIX_2_8, realise: -1 }, /timing 'realise' expects milliseconds/],
    [[1, 2], /expected an object of timings/],
  ])('a bad timings document is one clear error: %j', (doc, says) => {
    expect(() => timingsFrom(doc, 't.yaml')).toThrow(says);
  });

  it('rootrace calibrate --timings FILE writes a cost file that --costs reads back to the same costs', () => {
    const t = join(dir, 'timings.yaml');
    writeFileSync(t, 'timings:\n  instantiateFresh: 30\n  instantiateValid: 28\n  realise: 60\n  gcEmpty: 35\n  gc20: 41\n');
    const out = join(dir, 'costs.yaml');
    writeFileSync(out, execFileSync('node', [cli, 'calibrate', '--timings', t], { encoding: 'utf8' }));
    expect(costsArg(out)).toEqual(costsFromTimings(timingsFrom({ instantiateFresh: 30, instantiateValid: 28, realise: 60, gcEmpty: 35, gc20: 41 }, 't')));
    const bad = spawnSync('node', [cli, 'calibrate', '--timings', join(dir, 'none.yaml')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/none\.yaml/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('scripts/calibrate.sh times whatever nix-instantiate and nix-store are on PATH, and its output is a timings file', () => {
    // A stand-in Nix that only sleeps: the plumbing from timing to cost file, not the figures.
    const bin = join(dir, 'bin');
    execFileSync('mkdir', ['-p', bin]);
    writeFileSync(join(bin, 'nix-instantiate'), '#!/bin/sh\nsleep 0.01; echo /nix/store/00000000000000000000000000000000-x.drv\n');
    writeFileSync(join(bin, 'nix-store'), '#!/bin/sh\ncase "$1" in --version) echo "nix-store (Nix) stand-in";; -r) sleep 0.02;; --gc) sleep 0.01;; esac\n');
    for (const f of ['nix-instantiate', 'nix-store']) chmodSync(join(bin, f), 0o755);
    const timings = execFileSync('bash', [script], { encoding: 'utf8', env: { ...process.env, N: '3', PATH: `${bin}:${process.env['PATH']}` } });
    expect(timings).toMatch(/^timings:$/m);
    const t = join(dir, 'measured.yaml');
    writeFileSync(t, timings);
    const r = spawnSync('node', [cli, 'calibrate', '--timings', t, '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(Object.keys((JSON.parse(r.stdout) as { costs: object }).costs).sort()).toEqual([...COST_FIELDS].sort());
    // No Nix at all: exit 2 with what is missing.
    const none = spawnSync('bash', [script], { encoding: 'utf8', env: { ...process.env, PATH: '/usr/bin:/bin' } });
    if (!/nix-instantiate/.test(execFileSync('bash', ['-c', 'command -v nix-instantiate || true'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } }))) {
      expect(none.status).toBe(2);
      expect(none.stderr).toMatch(/'nix-instantiate' not found/);
    }
  });
});
