/**
 * The versioned switch table: ranges and backports, fork releases as an
 * upstream base plus their own ranges, and profile names of every family.
 */
import { describe, expect, it } from 'vitest';
import { SWITCH_DOCS, type SwitchName } from '../../../src/messages/profile.js';
import { PROFILES, profileByName, releaseByName } from '../../../src/scenarios/profiles.js';
import {
  FORKS,
  UPSTREAM,
  compareVersions,
  releasesOf,
  sourceOf,
  switchesOf,
  upstreamReleases,
} from '../../../src/scenarios/releases.js';

const at = (name: string) => profileByName(name).switches;

describe('upstream ranges and backports', () => {
  it('gcCatchPathInUse: backported to 2.24.12 and 2.25.5, released in 2.26.0', () => {
    expect(at('nix-2.24.11').gcCatchPathInUse).toBe(false);
    expect(at('nix-2.24.12').gcCatchPathInUse).toBe(true);
    expect(at('nix-2.24').gcCatchPathInUse).toBe(true);
    expect(at('nix-2.25.0').gcCatchPathInUse).toBe(false);
    expect(at('nix-2.25.4').gcCatchPathInUse).toBe(false);
    expect(at('nix-2.25.5').gcCatchPathInUse).toBe(true);
    expect(at('nix-2.26.0').gcCatchPathInUse).toBe(true);
  });

  it('a series name is its latest patch; a release name is that release', () => {
    expect(releaseByName('nix-2.24')).toEqual({ family: 'upstream', version: '2.24.15', base: null });
    expect(releaseByName('nix-2.3')).toEqual({ family: 'upstream', version: '2.3.18', base: null });
    expect(releaseByName('nix-2.24.12').version).toBe('2.24.12');
    expect(at('nix-2.33.1').missingDrvError).toBe('cannot-build-missing');
    expect(at('nix-2.33.2').missingDrvError).toBe('failed-to-obtain');
    expect(at('nix-2.35.1').daemonWorkerDestructor).toBe(false);
    expect(at('nix-2.35.2').daemonWorkerDestructor).toBe(true);
  });

  it('the catalogue profiles are the four of before, each its series latest', () => {
    expect(PROFILES.map((p) => [p.name, p.nixVersion])).toEqual([
      ['nix-2.8', '2.8.1'],
      ['nix-2.33', '2.33.6'],
      ['nix-2.34', '2.34.8'],
      ['nix-2.35', '2.35.2'],
    ]);
  });

  it('every switch has a value at every upstream release', () => {
    for (const v of upstreamReleases()) expect(Object.keys(switchesOf({ family: 'upstream', version: v, base: null })).sort()).toEqual(Object.keys(SWITCH_DOCS).sort());
  });
});

describe('forks: an upstream base plus their own ranges', () => {
  it('fork data is well formed: bases are upstream releases, ranges start at a release of the fork, every ref is set', () => {
    const upstream = new Set(upstreamReleases());
    for (const fork of FORKS) {
      const versions = fork.releases.map((r) => r.version);
      expect([...versions].sort(compareVersions)).toEqual(versions);
      for (const r of fork.releases) expect(upstream.has(r.base), `${fork.family} ${r.version} base ${r.base}`).toBe(true);
      for (const [name, ranges] of Object.entries(fork.overrides)) {
        expect(name in SWITCH_DOCS).toBe(true);
        for (const range of ranges) {
          expect(versions, `${fork.family} ${name} from ${range.from}`).toContain(range.from);
          expect(range.ref.length).toBeGreaterThan(0);
        }
      }
      for (const n of fork.notes) expect(versions).toContain(n.from);
    }
    for (const ranges of Object.values(UPSTREAM)) for (const r of ranges) expect(r.ref.length).toBeGreaterThan(0);
  });

  it('Lix 2.90.0 is upstream 2.18.3 with the socket retry, the 100 ms sleep and the 2.20 EOF text cherry-picked', () => {
    const lix = releaseByName('lix-2.90');
    expect(lix).toEqual({ family: 'lix', version: '2.90.0', base: '2.18.3' });
    const base = at('nix-2.18.3');
    const s = switchesOf(lix);
    expect(base.rootsSocketEnoent).toBe('error');
    expect(s.rootsSocketEnoent).toBe('retry');
    expect(s.rootsSocketRetryMs).toBe(100);
    expect(s.daemonEofError).toBe('daemon-disconnected');
    expect(s.writeDerivation).toBe('always-add');
    expect(s.tempRootProtocol).toBe('socket');
    expect(sourceOf(lix, 'rootsSocketEnoent').range.ref).toMatch(/06e92450b/);
    // From the base: the 2.12.1 fix, 2.18's missing-drv text.
    expect(sourceOf(lix, 'addTempRootHoldsState')).toMatchObject({ value: false, table: 'upstream' });
    expect(s.missingDrvError).toBe('cannot-build-missing');
  });

  it('Lix catches PathInUse from 2.93.0 (6a41dae49) and in the 2.92.2 backport; never re-checks deletions', () => {
    expect(at('lix-2.92.0').gcCatchPathInUse).toBe(false);
    expect(at('lix-2.92.2').gcCatchPathInUse).toBe(true);
    expect(at('lix-2.93.0').gcCatchPathInUse).toBe(true);
    expect(sourceOf(releaseByName('lix-2.93.0'), 'gcCatchPathInUse').range.ref).toMatch(/6a41dae49/);
    for (const r of releasesOf('lix')) expect(switchesOf(r).gcDeletionRecheck).toBe(false);
  });

  it('Lix names: a series is its latest release; a version never tagged is refused with the series listed', () => {
    expect(releaseByName('lix-2.93').version).toBe('2.93.4');
    expect(profileByName('lix-2.93.3')).toMatchObject({ name: 'lix-2.93.3', nixVersion: 'Lix 2.93.3', summary: 'Lix 2.93.3 on upstream 2.18.3' });
    expect(() => profileByName('lix-2.92.1')).toThrow(/Lix released 2\.92\.0, 2\.92\.2, 2\.92\.3 in the 2\.92 series/);
    expect(() => profileByName('lix-2.93.9')).toThrow(/the Lix 2\.93 series ends at 2\.93\.4/);
  });

  it('Determinate: each release on the base in its .version; the fork ranges over it', () => {
    expect(releaseByName('determinate-3.17')).toEqual({ family: 'determinate', version: '3.17.3', base: '2.33.3' });
    expect(profileByName('determinate-3.17.1')).toMatchObject({ name: 'determinate-3.17.1', nixVersion: 'Determinate Nix 3.17.1' });
    expect(releaseByName('determinate-3.15.0').base).toBe('2.33.0');
    expect(at('determinate-3.15.0').missingDrvError).toBe('cannot-build-missing');
    expect(at('determinate-3.16.0').missingDrvError).toBe('failed-to-obtain');
    // v3.19–v3.21 (2.34 base) leak temp-roots files; v3.22.0 carries the fix on a 2.35.1 base.
    expect(at('determinate-3.18.1').daemonWorkerDestructor).toBe(true);
    for (const v of ['3.19.0', '3.20.0', '3.21.9']) expect(at(`determinate-${v}`).daemonWorkerDestructor).toBe(false);
    expect(at('nix-2.35.1').daemonWorkerDestructor).toBe(false);
    expect(sourceOf(releaseByName('determinate-3.22.0'), 'daemonWorkerDestructor')).toMatchObject({ value: true, table: 'determinate' });
    expect(at('determinate-3.21.9').gcDeletionRecheck).toBe(false);
    expect(sourceOf(releaseByName('determinate-3.22.0'), 'gcDeletionRecheck')).toMatchObject({ value: true, table: 'upstream' });
    expect(() => profileByName('determinate-3.6.4')).toThrow(/Determinate Nix released 3\.6\.0, 3\.6\.1, 3\.6\.2, 3\.6\.3, 3\.6\.5/);
  });

  it('Determinate: the fetcher cache is unrooted from 3.6.5 until 97ea761c6 (3.17.0); evaluation always adds drvs through AsyncPathWriter', () => {
    expect(at('determinate-3.6.3').fetcherCacheHit).toBe('root-then-check');
    expect(at('determinate-3.6.5').fetcherCacheHit).toBe('check-no-root');
    expect(at('determinate-3.16.3').fetcherCacheHit).toBe('check-no-root');
    expect(sourceOf(releaseByName('determinate-3.17.0'), 'fetcherCacheHit').range.ref).toMatch(/97ea761c6/);
    expect(at('determinate-3.17.0').fetcherCacheHit).toBe('root-then-check');
    // The base has the unrooted early return, but instantiation never reaches Store::writeDerivation.
    expect(at('nix-2.33.3').writeDerivation).toBe('early-return-no-root');
    expect(sourceOf(releaseByName('determinate-3.16.0'), 'writeDerivation')).toMatchObject({ value: 'always-add', table: 'determinate' });
  });
});

describe('profile names', () => {
  it('unknown names list the known range of each family', () => {
    for (const bad of ['nix-9.9', 'foo', 'lix-2.99', 'determinate-4.0', 'nix-2.24.99']) expect(() => profileByName(bad)).toThrow(new RegExp(`unknown profile '${bad.replace(/\./g, '\\.')}'`));
    const message = (() => {
      try {
        profileByName('foo-1.0');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toContain('upstream 2.3.0 … 2.35.2');
    expect(message).toContain('Lix 2.90.0 … 2.95.3');
    expect(message).toContain('Determinate Nix 3.0.0 … 3.22.2');
    expect(() => profileByName('nix-2.24.99')).toThrow(/the upstream 2\.24 series ends at 2\.24\.15/);
  });

  it('switch docs and the table name the same switches', () => {
    expect(Object.keys(UPSTREAM).sort()).toEqual((Object.keys(SWITCH_DOCS) as SwitchName[]).sort());
  });
});
