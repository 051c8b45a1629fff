/**
 * Behaviour switches: the differences between Nix versions that matter for GC
 * roots. A profile (scenarios/profiles.ts) is a named bundle of these values;
 * `--set name=value` overrides one. Each switch is documented in SWITCH_DOCS.
 */

export interface Switches {
  /** How a live process's new temp roots reach a running GC: ≤2.4 `blocking` (file locks only), 2.5.0+ `socket` (8614cf1334, PR #5149). */
  readonly tempRootProtocol: 'blocking' | 'socket';
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
  /** What readDerivation / readInvalidDerivation do on a drv that is gone: ≤2.31 `opening file`, 2.32.0–2.32.4 a null accessor (SIGSEGV), later `store path … does not exist`. */
  readonly readDerivationMissing: 'opening-file' | 'null-accessor' | 'not-valid-or-missing';
  /** ≤2.12.0: addTempRoot holds the store's `_state` mutex for its whole run, across the roots-socket wait (#3224). */
  readonly addTempRootHoldsState: boolean;
  /** Where a build goal's re-check of its drv asserts (§12.3): 2.3 build.cc, 2.8 derivation-goal.cc, the trampoline goal (HEAD). */
  readonly buildRecheckAssertion: 'build.cc' | 'derivation-goal.cc' | 'derivation-trampoline-goal.cc';
  /** A send/receive error on the roots socket other than EPIPE/EOF (ECONNRESET): ≤2.9 swallowed, 2.10–2.11 thrown, 2.12+ restart. */
  readonly rootsSocketReset: 'swallow' | 'throw' | 'restart';
  /** stopServer: ≤2.11 shuts the clients down while the listener still accepts; 2.12+ closes the listener first (#7353). */
  readonly gcServerStopOrder: 'clients-first' | 'listener-first';
  /** The client's text when its daemon connection hits EOF: `unexpected end-of-file` ≤2.19, `Nix daemon disconnected unexpectedly (maybe it crashed?)` 2.20+. */
  readonly daemonEofError: 'unexpected-eof' | 'daemon-disconnected';
  /** The temp-roots file's name: the pid, or 2.35.0's unique `temproots-<pid>-<n>`. */
  readonly tempRootsFileName: 'pid' | 'unique';
  /** findTempRoots parses each name with std::stoi (≤2.34), so a non-pid name aborts the GC: `stoi: no conversion`. */
  readonly tempRootsNameStoi: boolean;
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
  tempRootProtocol: { values: ['blocking', 'socket'], doc: '≤2.4 (gc.cc @2.3): the GC read-locks every live temp-roots file until it ends, addTempRoot upgrades its own file lock to append, a new file waits on gc.lock; no roots socket. 2.5.0+: the roots socket (8614cf1334, PR #5149).' },
  writeDerivation: { values: ['always-add', 'early-return-no-root', 'root-then-early-return'], doc: 'writeDerivation on an already-valid drv (§5.1): ≤2.32 always adds through the daemon (rooted there); 2.33 returns early unrooted; 2.34+ addTempRoot, then returns early.' },
  fetcherCacheHit: { values: ['root-then-check', 'check-no-root'], doc: 'fetchToStore2 sqlite-cache hit (§5.2): root then check, or check only (unreleased master, Dec 2025–Feb 2026).' },
  gcDeletionRecheck: { values: [true, false], doc: 'PR #15992 (2.35.0): re-check shared.tempRoots before each deletion and keep `pending` on the path being deleted.' },
  gcCatchPathInUse: { values: [true, false], doc: 'PR #11922 (2.26.0): PathInUse in the deletion loop logs BUG and continues; before, the GC aborts.' },
  rootsSocketEnoent: { values: ['swallow', 'error', 'retry'], doc: 'addTempRoot on ENOENT from gc-socket: 2.8 swallows (root not delivered), 2.10–2.19 throw `cannot connect to socket`, 2.20+ sleep and retry.' },
  rootsSocketRetryMs: { values: 'number', doc: 'Sleep before a roots-socket restart after ECONNREFUSED/ENOENT (2.8: 0, a busy loop; later 100 ms).' },
  daemonWorkerDestructor: { values: [true, false], doc: 'The daemon worker runs ~LocalStore at exit, unlinking temproots/<pid>; 2.34.0 leaks the file (issue #16222).' },
  missingDrvError: { values: ['cannot-build-missing', 'failed-to-obtain'], doc: "Text when a drv to build is missing: 2.8 `cannot build missing derivation '…'`, later `failed to obtain derivation of '…'`." },
  readDerivationMissing: { values: ['opening-file', 'null-accessor', 'not-valid-or-missing'], doc: "readDerivation of an invalid drv throws `path '…' is not a valid store path` and readInvalidDerivation of a missing one `opening file '…': No such file or directory` (local-fs-store.cc:26, :66 @2.8.0); 2.32.0–2.32.4 dereference the null accessor getFSAccessor(path) returns (store-api.cc:1133 @2.32.0, a97d6d89d8): SIGSEGV; 2.32.5+/2.33.0+ throw `… is not a valid store path` / `store path '…' does not exist` (0c32fb3fa2, store-api.hh:917 @2.35.2)." },
  addTempRootHoldsState: { values: [true, false], doc: '2.5.0–2.12.0: addTempRoot holds `_state` across the socket send and ack wait (gc.cc:82 @2.8.0); a GC on the same process that needs `_state` deadlocks (#3224, fixed by 28d5b5cd45 in 2.13.0/2.12.1).' },
  buildRecheckAssertion: { values: ['build.cc', 'derivation-goal.cc', 'derivation-trampoline-goal.cc'], doc: 'The assertion that kills the process running a build goal whose drv vanished between check and root: `assert(worker.store.isValidPath(drvPath))` (build.cc:1175 @2.3.18), `assert(worker.evalStore.isValidPath(drvPath))` (derivation-goal.cc:194 @2.8.0) or `assert(false)` (derivation-trampoline-goal.cc:129 @2.35.2).' },
  rootsSocketReset: { values: ['swallow', 'throw', 'restart'], doc: 'ECONNRESET on the roots socket: swallowed ≤2.9 (no rethrow, gc.cc:141 @2.8.0), thrown 2.10–2.11 (754cd53faf), restart 2.12+ (#7353).' },
  gcServerStopOrder: { values: ['clients-first', 'listener-first'], doc: 'stopServer: ≤2.11 shuts client sockets down before the listener closes (clients reconnect and are reset); 2.12+ closes the listener first (#7353).' },
  daemonEofError: { values: ['unexpected-eof', 'daemon-disconnected'], doc: 'Client text at EOF on the daemon connection: `unexpected end-of-file` (serialise.cc:146 @2.8.0) ≤2.19; `Nix daemon disconnected unexpectedly (maybe it crashed?)` (remote-store.cc:70 @2.20.0, a3cf27ca47).' },
  tempRootsFileName: { values: ['pid', 'unique'], doc: 'temproots/<pid> in every release but 2.35.0, which used makeTempPath: temproots/temproots-<pid>-<n> (0b29401e52; reverted in 2.35.1).' },
  tempRootsNameStoi: { values: [true, false], doc: 'findTempRoots parses each file name with std::stoi (gc.cc:171 @2.34.0): a unique name from a 2.35.0 client aborts every GC with `stoi: no conversion` (#16138). Gone from 2.35.0.' },
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
  /** The clients' code (and, without `daemon`, everyone's). */
  readonly switches: Switches;
  /** `--daemon-profile`: the daemon's release, for its workers and the collectors (nix-collect-garbage). */
  readonly daemon?: { readonly name: string; readonly switches: Switches };
}
