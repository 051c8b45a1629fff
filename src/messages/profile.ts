/**
 * Behaviour switches: the differences between Nix versions that matter for GC
 * roots. A profile (scenarios/profiles.ts) is a named bundle of these values;
 * `--set name=value` overrides one. Each switch is documented in SWITCH_DOCS.
 */

export interface Switches {
  /** Store::writeDerivation on an already-valid drv: ≤2.32 always adds (the worker roots it); 2.33 returns early with no root; 2.34+ roots, then returns early. */
  readonly writeDerivation: 'always-add' | 'early-return-no-root' | 'root-then-early-return';
  /** fetchToStore2 on a fetcher-cache hit: root then check (releases), or check only (master 2025-12-10..2026-02-14). */
  readonly fetcherCacheHit: 'root-then-check' | 'check-no-root';
  /** PR #15992 (2.35): the deletion loop re-checks late temp roots and sets `pending` per deleted path. */
  readonly gcDeletionRecheck: boolean;
  /** PR #11922 (2.26): a PathInUse during deletion logs `BUG:` and continues instead of aborting the GC. */
  readonly gcCatchPathInUse: boolean;
  /** addTempRoot when connect() to the roots socket gives ENOENT: 2.8 swallows it (root never delivered), 2.10–2.19 throw, 2.20+ retry. */
  readonly rootsSocketEnoent: 'swallow' | 'error' | 'retry';
  /** Sleep before retrying a refused roots-socket connect (2.8: none, a busy loop). */
  readonly rootsSocketRetryMs: number;
  /** The daemon worker runs ~LocalStore at exit (unlinking its temp-roots file); false in 2.34.0 (issue #16222). */
  readonly daemonWorkerDestructor: boolean;
  /** Error text for building a missing drv. */
  readonly missingDrvError: 'cannot-build-missing' | 'failed-to-obtain';
  /** The build goal roots the drv before checking it exists (HEAD trampoline); 2.8 checks first, roots in loadDerivation. */
  readonly buildRootsDrvFirst: boolean;
  /** The daemon op a client uses to add text (a .drv): AddTextToStore (2.8) or AddToStore. */
  readonly addTextOp: 'AddTextToStore' | 'AddToStore';
  /** PR #15158 variant: addToStore roots the references before auto-GC. Not in any release. */
  readonly rootReferencesInAddToStore: boolean;
  /** PR #15158 variant: writeDerivation roots the drv's references before the validity check. Not in any release. */
  readonly rootReferencesInWriteDerivation: boolean;
  /** `Cannot delete path … since it is still alive` names `--query --referrers` too (HEAD). */
  readonly stillAliveReferrersHint: boolean;
}

export type SwitchName = keyof Switches;

export interface SwitchDoc {
  readonly values: readonly (string | boolean | number)[] | 'number';
  readonly doc: string;
}

export const SWITCH_DOCS: Readonly<Record<SwitchName, SwitchDoc>> = {
  writeDerivation: { values: ['always-add', 'early-return-no-root', 'root-then-early-return'], doc: 'writeDerivation on an already-valid drv (§5.1): ≤2.32 always adds through the daemon (rooted there); 2.33 returns early unrooted; 2.34+ addTempRoot, then returns early.' },
  fetcherCacheHit: { values: ['root-then-check', 'check-no-root'], doc: 'fetchToStore2 sqlite-cache hit (§5.2): root then check, or check only (unreleased master, Dec 2025–Feb 2026).' },
  gcDeletionRecheck: { values: [true, false], doc: 'PR #15992 (2.35.0): re-check shared.tempRoots before each deletion and keep `pending` on the path being deleted.' },
  gcCatchPathInUse: { values: [true, false], doc: 'PR #11922 (2.26.0): PathInUse in the deletion loop logs BUG and continues; before, the GC aborts.' },
  rootsSocketEnoent: { values: ['swallow', 'error', 'retry'], doc: 'addTempRoot on ENOENT from gc-socket: 2.8 swallows (root not delivered), 2.10–2.19 throw `cannot connect to socket`, 2.20+ sleep and retry.' },
  rootsSocketRetryMs: { values: 'number', doc: 'Sleep before a roots-socket restart after ECONNREFUSED/ENOENT (2.8: 0, a busy loop; later 100 ms).' },
  daemonWorkerDestructor: { values: [true, false], doc: 'The daemon worker runs ~LocalStore at exit, unlinking temproots/<pid>; 2.34.0 leaks the file (issue #16222).' },
  missingDrvError: { values: ['cannot-build-missing', 'failed-to-obtain'], doc: "Text when a drv to build is missing: 2.8 `cannot build missing derivation '…'`, later `failed to obtain derivation of '…'`." },
  buildRootsDrvFirst: { values: [true, false], doc: 'Build goals root the drv before checking it (HEAD); 2.8 checks isValidPath first and roots in loadDerivation.' },
  addTextOp: { values: ['AddTextToStore', 'AddToStore'], doc: 'Daemon op for adding text such as a .drv: AddTextToStore (2.8) or AddToStore (addToStoreFromDump).' },
  rootReferencesInAddToStore: { values: [true, false], doc: 'PR #15158 (closed): addToStore* roots every reference before auto-GC. Rejected upstream as too late.' },
  rootReferencesInWriteDerivation: { values: [true, false], doc: 'PR #15158 second version: writeDerivation roots the drv and its references before the validity check.' },
  stillAliveReferrersHint: { values: [true, false], doc: 'HEAD wording of `Cannot delete path … since it is still alive`, naming --query --referrers too.' },
};

/** Nix settings a scenario sets (daemon options; §4). */
export interface NixSettings {
  /** Bytes; 0 disables auto-GC. */
  readonly minFree: number;
  readonly maxFree: number;
  /** Seconds between free-space checks, per LocalStore. */
  readonly minFreeCheckInterval: number;
  readonly keepDerivations: boolean;
  readonly keepOutputs: boolean;
  /** A fixed free-space figure (Nix's _NIX_TEST_FREE_SPACE_FILE), or null to derive it from disk use. */
  readonly freeSpace: number | null;
  /** Size of the store's filesystem in bytes. */
  readonly totalBytes: number;
}

export const DEFAULT_SETTINGS: NixSettings = {
  minFree: 0,
  maxFree: Number.MAX_SAFE_INTEGER,
  minFreeCheckInterval: 5,
  keepDerivations: true,
  keepOutputs: false,
  freeSpace: null,
  totalBytes: 1 << 30,
};

export interface Profile {
  readonly name: string;
  readonly nixVersion: string;
  readonly summary: string;
  readonly switches: Switches;
}
