/**
 * The cost model (issue #12): how long Nix takes, in model milliseconds, for
 * what a scenario makes it do. The sim runtime advances virtual time by these
 * costs; the threads runtime sleeps them only when asked (`--time-scale`).
 *
 * DEFAULT_COSTS is calibrated on real Nix 2.8.0 on this kind of machine
 * (shared/real-nix-2.8.md, medians of 21 through the daemon):
 * - `nix-instantiate` of an already-valid drv 20.4 ms, of a fresh one 21.7 ms:
 *   process start-up ≈ 15 ms (the local store's 15.8 ms less its ops), the
 *   daemon's fork and handshake ≈ 3 ms (daemon 20.4 vs local 15.8 − ops), a
 *   daemon op ≈ 0.3 ms, writing a new path ≈ 0.7 ms (21.7 − 20.4 for two);
 * - `nix-store -r` of a trivial build 41.6 ms: the builder ≈ 21 ms;
 * - `nix-store --gc` with nothing to delete 25.8 ms: the roots scan (gcroots,
 *   profiles, the /proc scan) and SQLite ≈ 7.5 ms; with 20 dead paths 29.6 ms:
 *   ≈ 0.19 ms per deletion;
 * - every figure varied by about ±10% between runs (min–max), hence `jitter`.
 */
export interface Costs {
  /** fork/exec and Nix start-up, before a process's first store operation. */
  readonly processStart: number;
  /** The daemon's accept, fork and protocol handshake for a new connection. */
  readonly daemonConnect: number;
  /** One store operation (a daemon round trip, or a local query). */
  readonly op: number;
  /** Writing a new path into the store (addToStore's copy and registration). */
  readonly addToStore: number;
  /** Running a trivial builder (`nix-store -r` of a `/bin/sh` derivation). */
  readonly build: number;
  /** collectGarbage before its deletion phase: the roots scan, the /proc scan, the database. */
  readonly gcRoots: number;
  /** Each path the deletion BFS visits. */
  readonly gcVisit: number;
  /** Each path deleted (invalidation and file removal). */
  readonly gcDelete: number;
  /** Relative spread of every cost: each spend is cost × (1 ± jitter), uniform, from the run's seed. */
  readonly jitter: number;
}

export const COST_FIELDS = ['processStart', 'daemonConnect', 'op', 'addToStore', 'build', 'gcRoots', 'gcVisit', 'gcDelete', 'jitter'] as const satisfies readonly (keyof Costs)[];

export const DEFAULT_COSTS: Costs = {
  processStart: 15,
  daemonConnect: 3,
  op: 0.3,
  addToStore: 0.7,
  build: 21,
  gcRoots: 7.5,
  gcVisit: 0.01,
  gcDelete: 0.19,
  jitter: 0.1,
};

/** Every cost zero: steps take no model time (forced interleavings, model checking). */
export const ZERO_COSTS: Costs = { processStart: 0, daemonConnect: 0, op: 0, addToStore: 0, build: 0, gcRoots: 0, gcVisit: 0, gcDelete: 0, jitter: 0 };
