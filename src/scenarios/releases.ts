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
