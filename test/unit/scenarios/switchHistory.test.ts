/**
 * A switch value's history is the release table's: for every switch at every
 * release of every family, `introduced` is where the release's run of equal
 * values begins and `changed` the first later release that differs.
 */
import { describe, expect, it } from 'vitest';
import type { SwitchName } from '../../../src/messages/profile.js';
import { FAMILIES, releaseByName } from '../../../src/scenarios/profiles.js';
import { UPSTREAM, compareVersions, releasesOf, sourceOf } from '../../../src/scenarios/releases.js';
import { releasesWith, switchHistory } from '../../../src/scenarios/switchHistory.js';

const SWITCHES = Object.keys(UPSTREAM) as SwitchName[];

describe('switchHistory', () => {
  it('on every family, switch and release: the run of equal values and its two ends', () => {
    for (const family of FAMILIES) {
      const all = releasesOf(family);
      for (const name of SWITCHES) {
        for (const [i, r] of all.entries()) {
          const h = switchHistory(r, name);
          const v = sourceOf(r, name).value;
          expect(h.value).toBe(v);
          const lo = h.introduced ? all.findIndex((x) => x.version === h.introduced!.at.version) : 0;
          const hi = h.changed ? all.findIndex((x) => x.version === h.changed!.at.version) : all.length;
          expect(lo).toBeLessThanOrEqual(i);
          expect(hi).toBeGreaterThan(i);
          for (const x of all.slice(lo, hi)) expect(sourceOf(x, name).value).toBe(v);
          if (h.introduced) {
            expect(sourceOf(all[lo - 1]!, name).value).not.toBe(v);
            expect(h.introduced.ref).toBe(sourceOf(h.introduced.at, name).range.ref);
          }
          if (h.changed) {
            expect(h.changed.value).not.toBe(v);
            expect(h.changed.ref).toBe(sourceOf(h.changed.at, name).range.ref);
          }
        }
      }
    }
  });

  it("pr-15158's switch on nix-2.33: introduced in 2.33.0 by PR #14219, fixed in 2.34.0 by ac2dd58b6f", () => {
    const h = switchHistory(releaseByName('nix-2.33'), 'writeDerivation');
    expect(h.value).toBe('early-return-no-root');
    expect(h.introduced).toMatchObject({ at: { version: '2.33.0' }, ref: '18ec3d1094 (PR #14219)' });
    expect(h.changed).toMatchObject({ at: { version: '2.34.0' }, value: 'root-then-early-return', ref: 'ac2dd58b6f (PR #15237)' });
    const never = switchHistory(releaseByName('nix-2.35'), 'rootReferencesInWriteDerivation');
    expect([never.introduced, never.changed, never.latest.version]).toEqual([null, null, '2.35.2']);
  });
});

describe('releasesWith', () => {
  it('the runs of releases with a value, across families, each run of equal values whole', () => {
    for (const name of SWITCHES) {
      for (const value of new Set(FAMILIES.flatMap((f) => releasesOf(f).map((r) => sourceOf(r, name).value)))) {
        const spans = releasesWith(name, value);
        const count = spans.reduce((n, s) => {
          const all = releasesOf(s.family);
          const a = all.findIndex((r) => r.version === s.from.version);
          const b = all.findIndex((r) => r.version === s.to.version);
          for (const r of all.slice(a, b + 1)) expect(sourceOf(r, name).value).toBe(value);
          if (a > 0) expect(sourceOf(all[a - 1]!, name).value).not.toBe(value);
          if (b < all.length - 1) expect(sourceOf(all[b + 1]!, name).value).not.toBe(value);
          return n + b - a + 1;
        }, 0);
        const total = FAMILIES.reduce((n, f) => n + releasesOf(f).filter((r) => sourceOf(r, name).value === value).length, 0);
        expect(count).toBe(total);
      }
    }
  });

  it('check-no-root is Determinate 3.6.5–3.16.x only; no release has rootReferencesInWriteDerivation', () => {
    const spans = releasesWith('fetcherCacheHit', 'check-no-root');
    expect(spans.map((s) => [s.family, s.from.version])).toEqual([['determinate', '3.6.5']]);
    expect(compareVersions(spans[0]!.to.version, '3.16.3')).toBe(0);
    expect(releasesWith('rootReferencesInWriteDerivation', true)).toEqual([]);
  });
});
