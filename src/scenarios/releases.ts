/**
 * The versioned switch table (issue #11): for each behaviour switch, its value
 * by release range, each range with the commit or PR that made it so. A
 * profile for any release is derived from this table alone; the engine never
 * sees a version or a profile name. Facts: ../shared/nix-gc-protocol.md §12.7,
 * checked against the NixOS/nix tags (file:line @tag in each `ref`).
 *
 * A range `[from, to]` is inclusive; `to` omitted means "and every later
 * release". A backport is its own range (e.g. `2.24.12`–`2.24.x`). Within a
 * switch the first matching range wins, so list backports before the range
 * they patch.
 */
import type { SwitchName, Switches } from '../messages/profile.js';

export interface Range<V> {
  readonly from: string;
  /** Inclusive; `2.24.x` means the end of that series; omitted: no end. */
  readonly to?: string;
  readonly value: V;
  /** The commit, PR or tag that made this the value (with file:line @tag where read). */
  readonly ref: string;
}

export type SwitchTable = { readonly [K in SwitchName]: readonly Range<Switches[K]>[] };

/** Upstream NixOS/nix: every switch, 2.3 … 2.35.2. */
export const UPSTREAM: SwitchTable = {
  tempRootProtocol: [
    { from: '2.3.0', to: '2.4.0', value: 'blocking', ref: 'gc.cc:66–123, :203–255 @2.3' },
    { from: '2.5.0', value: 'socket', ref: '8614cf1334 (PR #5149)' },
  ],
  writeDerivation: [
    { from: '2.3.0', to: '2.32.x', value: 'always-add', ref: 'derivations.cc writeDerivation @2.8.0 (addTextToStore)' },
    { from: '2.33.0', to: '2.33.x', value: 'early-return-no-root', ref: '18ec3d1094 (PR #14219)' },
    { from: '2.34.0', value: 'root-then-early-return', ref: 'ac2dd58b6f (PR #15237)' },
  ],
  fetcherCacheHit: [{ from: '2.3.0', value: 'root-then-check', ref: 'cache.cc lookupStorePath; the check-only window (de6b5f60cd..ac2dd58b6f) never reached a release' }],
  gcDeletionRecheck: [
    { from: '2.3.0', to: '2.34.x', value: false, ref: 'gc.cc:740 @2.8.0 (no re-check)' },
    { from: '2.35.0', value: true, ref: '87716847d4 (PR #15992)' },
  ],
  gcCatchPathInUse: [
    { from: '2.24.12', to: '2.24.x', value: true, ref: 'backport of PR #11922 (gc.cc BUG @2.24.12)' },
    { from: '2.25.5', to: '2.25.x', value: true, ref: 'backport of PR #11922 (gc.cc BUG @2.25.5)' },
    { from: '2.3.0', to: '2.25.x', value: false, ref: 'gc.cc:743 @2.8.0 (uncaught)' },
    { from: '2.26.0', value: true, ref: 'PR #11922' },
  ],
  rootsSocketEnoent: [
    { from: '2.3.0', to: '2.9.x', value: 'swallow', ref: 'gc.cc:124–138 @2.8.0 (no rethrow; no socket before 2.5)' },
    { from: '2.10.0', to: '2.19.x', value: 'error', ref: '754cd53faf (the missing throw;)' },
    { from: '2.20.0', value: 'retry', ref: 'c5fdbdae32 (PR #8544)' },
  ],
  rootsSocketRetryMs: [
    { from: '2.3.0', to: '2.19.x', value: 0, ref: 'gc.cc:135 @2.8.0 (goto restart, no sleep)' },
    { from: '2.20.0', value: 100, ref: '0b1d93d2ba' },
  ],
  daemonWorkerDestructor: [
    { from: '2.3.0', to: '2.33.x', value: true, ref: 'daemon.cc daemonLoop @2.8.0 (the store is destroyed before exit)' },
    { from: '2.34.0', to: '2.35.1', value: false, ref: 'c4e408459a (issue #16222)' },
    { from: '2.35.2', value: true, ref: 'fbd4c3f7eb (PR #16223)' },
  ],
  missingDrvError: [
    { from: '2.3.0', to: '2.33.1', value: 'cannot-build-missing', ref: 'derivation-goal.cc:184 @2.8.0' },
    { from: '2.33.2', value: 'failed-to-obtain', ref: '3c3ceb18e9 (backport 2ec62f1974)' },
  ],
  readDerivationMissing: [
    { from: '2.32.5', to: '2.32.x', value: 'not-valid-or-missing', ref: 'backport of 0c32fb3fa2 (requireStoreObjectAccessor, store-api.cc readDerivationCommon @2.32.5)' },
    { from: '2.3.0', to: '2.31.x', value: 'opening-file', ref: 'local-fs-store.cc:26, :66 @2.8.0; posix-source-accessor.cc:55 @2.31.0' },
    { from: '2.32.0', to: '2.32.4', value: 'null-accessor', ref: 'a97d6d89d8 (getFSAccessor(path) may be null; store-api.cc:1133 @2.32.0)' },
    { from: '2.33.0', value: 'not-valid-or-missing', ref: '0c32fb3fa2 (store-api.cc:1147 @2.33.0; store-api.hh:917 @2.35.2)' },
  ],
  addTextOp: [
    { from: '2.3.0', to: '2.3.x', value: 'AddTextToStore', ref: 'worker protocol ≤1.21 (remote-store.cc @2.3)' },
    { from: '2.4.0', value: 'AddToStore', ref: 'remote-store.cc addToStore with text addressing @2.4' },
  ],
  rootReferencesInAddToStore: [{ from: '2.3.0', value: false, ref: 'PR #15158 (closed, never merged)' }],
  rootReferencesInWriteDerivation: [{ from: '2.3.0', value: false, ref: 'PR #15158 (closed, never merged)' }],
  stillAliveReferrersHint: [
    { from: '2.3.0', to: '2.22.x', value: false, ref: 'gc.cc @2.22.0' },
    { from: '2.23.0', value: true, ref: 'gc.cc @2.23.0 (names --query --referrers)' },
  ],
  addTempRootHoldsState: [
    { from: '2.3.0', to: '2.12.0', value: true, ref: 'gc.cc:82 @2.8.0 (issue #3224)' },
    { from: '2.12.1', value: false, ref: '28d5b5cd45 (PR #7542; backport 65f15ffe3c)' },
  ],
  buildRecheckAssertion: [
    { from: '2.3.0', to: '2.3.x', value: 'build.cc', ref: 'build.cc:1175 @2.3.18' },
    { from: '2.4.0', to: '2.30.x', value: 'derivation-goal.cc', ref: 'build/derivation-goal.cc:194 @2.8.0' },
    { from: '2.31.0', value: 'derivation-trampoline-goal.cc', ref: 'derivation-trampoline-goal.cc @2.31.0' },
  ],
  rootsSocketReset: [
    { from: '2.3.0', to: '2.9.x', value: 'swallow', ref: 'gc.cc:141–155 @2.8.0 (no rethrow)' },
    { from: '2.10.0', to: '2.11.x', value: 'throw', ref: '754cd53faf' },
    { from: '2.12.0', value: 'restart', ref: 'PR #7353' },
  ],
  gcServerStopOrder: [
    { from: '2.3.0', to: '2.11.x', value: 'clients-first', ref: 'gc.cc:497–507, 591–595 @2.8.0' },
    { from: '2.12.0', value: 'listener-first', ref: 'PR #7353' },
  ],
  daemonEofError: [
    { from: '2.3.0', to: '2.19.x', value: 'unexpected-eof', ref: 'serialise.cc:146 @2.8.0' },
    { from: '2.20.0', value: 'daemon-disconnected', ref: 'a3cf27ca47 (remote-store.cc:70 @2.20.0)' },
  ],
  tempRootsFileName: [
    { from: '2.35.0', to: '2.35.0', value: 'unique', ref: '0b29401e52 (PR #15992; file-system.cc:540 @2.35.0)' },
    { from: '2.3.0', value: 'pid', ref: 'local-store.cc:162 @2.8.0; 2.35.1 reverted the unique name (8a0b159b5a)' },
  ],
  tempRootsNameStoi: [
    { from: '2.3.0', to: '2.34.x', value: true, ref: 'gc.cc:171 @2.34.0' },
    { from: '2.35.0', value: false, ref: 'gc.cc @2.35.0 (no std::stoi)' },
  ],
};

/** The last patch release of every upstream series (NixOS/nix tags). 2.3's 2.3.0 is the tag `2.3`, 2.4's only release the tag `2.4`. */
export const UPSTREAM_SERIES: Readonly<Record<string, number>> = {
  '2.3': 18, '2.4': 0, '2.5': 1, '2.6': 1, '2.7': 0, '2.8': 1, '2.9': 2, '2.10': 3, '2.11': 1, '2.12': 1, '2.13': 6,
  '2.14': 1, '2.15': 3, '2.16': 3, '2.17': 2, '2.18': 9, '2.19': 7, '2.20': 9, '2.21': 5, '2.22': 4, '2.23': 4,
  '2.24': 15, '2.25': 5, '2.26': 4, '2.27': 1, '2.28': 7, '2.29': 4, '2.30': 5, '2.31': 5, '2.32': 8, '2.33': 6,
  '2.34': 8, '2.35': 2,
};

/** `major.minor.patch` as numbers; `x` as the largest patch. */
export function parseVersion(v: string): [number, number, number] | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+|x))?$/.exec(v);
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : m[3] === 'x' ? Number.MAX_SAFE_INTEGER : Number(m[3])];
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a)!;
  const y = parseVersion(b)!;
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

function inRange(v: string, r: Range<unknown>): boolean {
  return compareVersions(v, r.from) >= 0 && (r.to === undefined || compareVersions(v, r.to) <= 0);
}

/** The range of `table[name]` that `version` falls in. */
export function rangeOf<K extends SwitchName>(table: SwitchTable, name: K, version: string): Range<Switches[K]> {
  const r = table[name].find((x) => inRange(version, x));
  if (!r) throw new RangeError(`switch table has no value of ${name} for ${version}`);
  return r;
}

/** Every switch's value for one release. */
export function switchesAt(table: SwitchTable, version: string): Switches {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(table) as SwitchName[]) out[name] = rangeOf(table, name, version).value;
  return out as unknown as Switches;
}

/** Every upstream release, oldest first. */
export function upstreamReleases(): string[] {
  return Object.entries(UPSTREAM_SERIES).flatMap(([s, last]) => Array.from({ length: last + 1 }, (_, p) => `${s}.${p}`));
}

// ---------------------------------------------------------------------------
// Forks (protocol notes §12.8), read against their tags: lix-project/lix
// 2.90.0 … 2.95.3 and DeterminateSystems/nix-src v3.0.0 … v3.22.2. A fork
// release is an upstream base plus the fork's own ranges (in the fork's version
// numbers); a switch with no fork range takes the base's value and ref.
// ---------------------------------------------------------------------------

export type Family = 'upstream' | 'lix' | 'determinate';

/** A mechanism the fork changed that no switch models, by fork release range (shown by `profiles show`). */
export interface ForkNote {
  readonly from: string;
  readonly to?: string;
  readonly text: string;
}

export interface Fork {
  readonly family: Exclude<Family, 'upstream'>;
  /** What the profile names start with: `lix-2.93.3`. */
  readonly prefix: string;
  readonly title: string;
  /** Every tagged release, oldest first, with the upstream release whose code it carries. */
  readonly releases: readonly { readonly version: string; readonly base: string }[];
  /** The fork's own values (or refs) over its base; first matching range wins, as in UPSTREAM. */
  readonly overrides: { readonly [K in SwitchName]?: readonly Range<Switches[K]>[] };
  readonly notes: readonly ForkNote[];
}

/**
 * Lix. Forked from upstream master after 2.18.1 (2.18.0 and 2.18.1 are
 * ancestors of 2.90.0; 2.18.2 is not) and reports itself as `2.18.3-lix`: the
 * base of every release is 2.18.3, and everything later came as cherry-picks,
 * listed here. 2.92.1 was never tagged (253be7d2b bumped to it, 2138b0f7e on to
 * 2.92.2). Corrections to §12.8: PathInUse is also caught in 2.92.2 and 2.92.3
 * (50def3fa7, a backport of 6a41dae49); the auto-GC hang (lix#844) exists only
 * in 2.93.0 (a987d92bd; fixed by e62b7236e in 2.93.1 as well as 4505bfac8 in
 * 2.94.0).
 */
export const LIX: Fork = {
  family: 'lix',
  prefix: 'lix',
  title: 'Lix',
  releases: [
    '2.90.0', '2.91.0', '2.91.1', '2.91.2', '2.91.3', '2.92.0', '2.92.2', '2.92.3',
    '2.93.0', '2.93.1', '2.93.2', '2.93.3', '2.93.4', '2.94.0', '2.94.1', '2.94.2',
    '2.95.0', '2.95.1', '2.95.2', '2.95.3',
  ].map((version) => ({ version, base: '2.18.3' })),
  overrides: {
    writeDerivation: [{ from: '2.90.0', value: 'always-add', ref: 'derivations.cc:149 @2.90.0, :98 @2.95.3 (addTextToStore, no validity check; the worker roots it first, local-store.cc:1445 @2.90.0)' }],
    fetcherCacheHit: [{ from: '2.90.0', value: 'root-then-check', ref: 'libfetchers/cache.cc:107 @2.90.0, :112 @2.95.3 (addTempRoot, then isValidPath)' }],
    gcDeletionRecheck: [{ from: '2.90.0', value: false, ref: 'gc.cc:679 @2.90.0, :808 @2.95.3 (topoSortPaths, then invalidatePathChecked; no re-check at HEAD)' }],
    gcCatchPathInUse: [
      { from: '2.92.2', to: '2.92.x', value: true, ref: '50def3fa7 (backport of 6a41dae49; gc.cc:753 @2.92.2)' },
      { from: '2.90.0', to: '2.92.x', value: false, ref: 'gc.cc:679 @2.90.0 (invalidatePathChecked uncaught: the GC aborts)' },
      { from: '2.93.0', value: true, ref: '6a41dae49 (after PR #11922; gc.cc:811 @2.95.3 logs "Skipping deletion of path …", not BUG:)' },
    ],
    rootsSocketEnoent: [{ from: '2.90.0', value: 'retry', ref: '06e92450b (cherry-pick of PR #8544; gc.cc:146 @2.90.0)' }],
    rootsSocketRetryMs: [{ from: '2.90.0', value: 100, ref: '06e92450b (PR #8544 with 0b1d93d2ba; gc.cc:149 @2.90.0)' }],
    daemonWorkerDestructor: [
      { from: '2.90.0', to: '2.93.x', value: true, ref: 'nix/daemon.cc:369 @2.90.0 (openUncachedStore() is a temporary, destroyed before exit(0))' },
      { from: '2.94.0', value: true, ref: 'nix/daemon.cc:513–521 @2.95.3 (one subdaemon per connection; its store is a local, destroyed when daemonInstance returns)' },
    ],
    daemonEofError: [
      { from: '2.90.0', to: '2.93.x', value: 'daemon-disconnected', ref: '68f148ed4 (cherry-pick of PR #9798; remote-store.cc:67 @2.90.0)' },
      // Not verified: 2.94.0 reads replies through async streams (3f6290531, 22cf5eb98) and
      // that text is gone; the likely text, `stream ended unexpectedly`, is no value of this switch.
      { from: '2.94.0', value: 'daemon-disconnected', ref: 'approximate: 3f6290531/22cf5eb98 dropped the text; probably `stream ended unexpectedly` (serialise.cc:58 @2.94.0)' },
    ],
    buildRecheckAssertion: [{ from: '2.90.0', value: 'derivation-goal.cc', ref: '13f78c557 (cherry-pick of 9f39dda66c): the re-check is `assert(drv)`, derivation-goal.cc:210 @2.90.0, :227 @2.95.3' }],
    tempRootsFileName: [
      { from: '2.90.0', to: '2.92.x', value: 'pid', ref: 'local-store.cc:187 @2.90.0' },
      { from: '2.93.0', value: 'pid', ref: '84dd5864f (created under a temporary name, locked, renamed to temproots/<pid>: gc.cc:114 @2.93.0)' },
    ],
    tempRootsNameStoi: [{ from: '2.90.0', value: true, ref: 'gc.cc:201 @2.90.0, :226 @2.95.3 (std::stoi)' }],
    stillAliveReferrersHint: [
      { from: '2.90.0', to: '2.92.x', value: true, ref: '139d31f87 (cherry-pick of 979a019014, PR #10733)' },
      { from: '2.93.0', value: true, ref: 'approximate: 29b07611b reworded it (`Cannot delete some of the given paths because they are still alive. Paths not deleted: …`)' },
    ],
  },
  notes: [
    // §12.8's rename: no switch models it. A second LocalStore of the same pid now
    // renames its file over the first's (§12.6 still holds: the first's roots vanish).
    { from: '2.93.0', text: 'temp-roots file created as <pid>.tmp-…, locked, then renamed to temproots/<pid> (84dd5864f): no switch; a second store of the same pid still replaces the first\'s file (§12.6)' },
    { from: '2.93.0', to: '2.93.0', text: 'a synchronous auto-GC request (during evaluation) can wait forever: the first waiter is not registered (a987d92bd; lix#844, fixed by e62b7236e in 2.93.1, 4505bfac8 in 2.94.0): no switch' },
    { from: '2.94.0', text: 'the daemon-EOF text is no longer `Nix daemon disconnected unexpectedly`; the switch keeps it (see daemonEofError)' },
  ],
};

/** Determinate Nix releases with the upstream base in each tag's `.version` (`.version-determinate` the fork's own). v3.6.4 was never tagged. */
const DETERMINATE_BASES: Readonly<Record<string, string>> = {
  '3.0.0': '2.26.3', '3.1.0': '2.27.1', '3.1.1': '2.27.1', '3.2.0': '2.27.1', '3.2.1': '2.27.1', '3.3.0': '2.28.1',
  '3.3.1': '2.28.1', '3.4.0': '2.28.2', '3.4.1': '2.28.2', '3.4.2': '2.28.3', '3.5.0': '2.28.3', '3.5.1': '2.28.3',
  '3.5.2': '2.28.3', '3.6.0': '2.29.0', '3.6.1': '2.29.0', '3.6.2': '2.29.0', '3.6.3': '2.29.0', '3.6.5': '2.29.0',
  '3.6.6': '2.29.0', '3.6.7': '2.29.1', '3.6.8': '2.29.1', '3.7.0': '2.29.1', '3.8.0': '2.30.0', '3.8.1': '2.30.0',
  '3.8.2': '2.30.1', '3.8.3': '2.30.1', '3.8.4': '2.30.1', '3.8.5': '2.30.2', '3.8.6': '2.30.2', '3.9.0': '2.30.2',
  '3.9.1': '2.30.2', '3.10.0': '2.31.0', '3.10.1': '2.31.1', '3.11.0': '2.31.1', '3.11.1': '2.31.1', '3.11.2': '2.31.1',
  '3.11.3': '2.31.2', '3.12.0': '2.32.1', '3.12.1': '2.32.1', '3.12.2': '2.32.2', '3.13.0': '2.32.3', '3.13.1': '2.32.4',
  '3.13.2': '2.32.4', '3.14.0': '2.32.4', '3.15.0': '2.33.0', '3.15.1': '2.33.0', '3.15.2': '2.33.1', '3.16.0': '2.33.3',
  '3.16.1': '2.33.3', '3.16.2': '2.33.3', '3.16.3': '2.33.3', '3.17.0': '2.33.3', '3.17.1': '2.33.3', '3.17.2': '2.33.3',
  '3.17.3': '2.33.3', '3.18.0': '2.33.3', '3.18.1': '2.33.4', '3.19.0': '2.34.6', '3.19.1': '2.34.6', '3.20.0': '2.34.6',
  '3.21.0': '2.34.6', '3.21.1': '2.34.7', '3.21.2': '2.34.7', '3.21.3': '2.34.8', '3.21.4': '2.34.8', '3.21.5': '2.34.8',
  '3.21.6': '2.34.8', '3.21.7': '2.34.8', '3.21.8': '2.34.8', '3.21.9': '2.34.8', '3.22.0': '2.35.1', '3.22.1': '2.35.2',
  '3.22.2': '2.35.2',
};

/**
 * Determinate Nix (DeterminateSystems/nix-src; PR numbers are that repository's).
 * Corrections to §12.8: (1) since v3.8.5 the evaluator writes every drv through
 * AsyncPathWriter, which always calls addToStoreFromDump (the worker roots it
 * first) and never Store::writeDerivation: the unrooted early return that
 * v3.15.0–v3.16.3 carry in Store::writeDerivation (derivations.cc:149 @v3.16.3,
 * from base 2.33) is reached only by `nix derivation add`, `nix develop` and the
 * C API, not by instantiation; so the PR #15158 race does not occur there.
 * (2) What 97ea761c6 (v3.17.0) fixed for evaluation is the fetcher cache:
 * Determinate's own sourcePathToHash cache (dc5e62003, #115, v3.6.5) checked a
 * cache hit without a root. Verified as stated: v3.19–v3.21 leak temp-roots files
 * (base 2.34.x), and v3.22.0 has the daemon fix (e98762417) and the deletion
 * re-check (from base 2.35.1).
 */
export const DETERMINATE: Fork = {
  family: 'determinate',
  prefix: 'determinate',
  title: 'Determinate Nix',
  releases: Object.entries(DETERMINATE_BASES).map(([version, base]) => ({ version, base })),
  overrides: {
    writeDerivation: [
      { from: '3.8.5', to: '3.14.x', value: 'always-add', ref: '268d1b103 (#162): derivationStrict queues the drv on AsyncPathWriter, which calls addToStoreFromDump (primops.cc:1736, async-path-writer.cc:155 @v3.8.5)' },
      { from: '3.15.0', to: '3.16.x', value: 'always-add', ref: 'AsyncPathWriter (#162); Store::writeDerivation\'s unrooted early return (derivations.cc:149 @v3.16.3) is not on the evaluator\'s path' },
      { from: '3.17.0', value: 'always-add', ref: 'AsyncPathWriter, which also roots before adding from v3.17.0 (618c4dff2, #373)' },
    ],
    fetcherCacheHit: [
      { from: '3.6.5', to: '3.16.x', value: 'check-no-root', ref: 'dc5e62003 (#115): a sourcePathToHash cache hit is checked with isValidPath, unrooted (fetch-to-store.cc:52 @v3.6.5, :49 @v3.16.3)' },
      { from: '3.17.0', value: 'root-then-check', ref: '97ea761c6 (#373, cherry-pick of ac2dd58b6f; fetch-to-store.cc:53 @v3.17.0)' },
    ],
    daemonWorkerDestructor: [{ from: '3.22.0', value: true, ref: 'e98762417 (#584, cherry-pick of fbd4c3f7eb; nix/unix/daemon.cc:388 @v3.22.0)' }],
    stillAliveReferrersHint: [{ from: '3.7.0', value: true, ref: 'approximate: 9f4d80519/83a9b9287 replaced the text (`Cannot delete path … because it\'s referenced by …`, gc.cc:724 @v3.7.0)' }],
  },
  notes: [
    { from: '3.7.0', text: '`nix store delete` names the first root or referrer that keeps a path (9f4d80519, 83a9b9287); the switch keeps the upstream text' },
    { from: '3.8.5', text: 'AsyncPathWriter (#162): derivationStrict returns the drv path at once while a writer thread adds it; no switch models the delay (the path is not valid until written)' },
    { from: '3.21.1', text: 'copyPaths roots on the destination store (734a205d5, #482); fetchClosure roots before checking (c53673e0a): no switch' },
    { from: '3.21.3', text: 'a batched AddTempRoots daemon op (7beda55f6, #538): no switch' },
  ],
};

export const FORKS: readonly Fork[] = [LIX, DETERMINATE];

/** One release of any family. `base`: a fork release's upstream base (null upstream). */
export interface Release {
  readonly family: Family;
  readonly version: string;
  readonly base: string | null;
}

/** Where one switch's value at one release comes from: the range, and whose table it is in. */
export interface SwitchSource<V = Switches[SwitchName]> {
  readonly value: V;
  readonly range: Range<V>;
  /** The table the range is in: the fork's own, or upstream's (at `base` for a fork release). */
  readonly table: Family;
}

export function forkOf(family: Exclude<Family, 'upstream'>): Fork {
  return family === 'lix' ? LIX : DETERMINATE;
}

/** Every release of a family, oldest first. */
export function releasesOf(family: Family): Release[] {
  if (family === 'upstream') return upstreamReleases().map((version) => ({ family, version, base: null }));
  return forkOf(family).releases.map((r) => ({ family, version: r.version, base: r.base }));
}

/** The range that gives `name` its value at `r`, and which table holds it. */
export function sourceOf<K extends SwitchName>(r: Release, name: K): SwitchSource<Switches[K]> {
  if (r.family === 'upstream' || r.base === null) return { ...valued(rangeOf(UPSTREAM, name, r.version)), table: 'upstream' };
  const own = forkOf(r.family).overrides[name]?.find((x) => inRange(r.version, x));
  if (own) return { ...valued(own), table: r.family };
  return { ...valued(rangeOf(UPSTREAM, name, r.base)), table: 'upstream' };
}

function valued<V>(range: Range<V>): { value: V; range: Range<V> } {
  return { value: range.value, range };
}

/** Every switch's value at one release of any family. */
export function switchesOf(r: Release): Switches {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(UPSTREAM) as SwitchName[]) out[name] = sourceOf(r, name).value;
  return out as unknown as Switches;
}

/** The fork's notes (mechanisms without a switch) that apply at `r`. */
export function notesAt(r: Release): string[] {
  if (r.family === 'upstream') return [];
  return forkOf(r.family).notes.filter((n) => inRange(r.version, { from: n.from, ...(n.to !== undefined ? { to: n.to } : {}), value: null, ref: '' })).map((n) => n.text);
}

/** `2.33` for `2.33.6`. */
export function seriesOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** A switch whose value differs between two releases, with where each value comes from. */
export interface SwitchChange {
  readonly name: SwitchName;
  readonly from: SwitchSource;
  readonly to: SwitchSource;
}

/** The switches whose values differ between `a` and `b` (any families), in table order. */
export function switchChanges(a: Release, b: Release): SwitchChange[] {
  return (Object.keys(UPSTREAM) as SwitchName[]).flatMap((name) => {
    const from = sourceOf(a, name);
    const to = sourceOf(b, name);
    return from.value === to.value ? [] : [{ name, from, to }];
  });
}

/** Walking one family's releases from the older of `a`, `b` to the newer: each release at which `name` took a new value. */
export function changePoints(a: Release, b: Release, name: SwitchName): { readonly at: Release; readonly change: SwitchChange }[] {
  if (a.family !== b.family) return [];
  const [lo, hi] = compareVersions(a.version, b.version) <= 0 ? [a, b] : [b, a];
  const walk = releasesOf(a.family).filter((r) => compareVersions(r.version, lo.version) >= 0 && compareVersions(r.version, hi.version) <= 0);
  return walk.slice(1).flatMap((r, i) => switchChanges(walk[i]!, r).filter((c) => c.name === name).map((change) => ({ at: r, change })));
}
