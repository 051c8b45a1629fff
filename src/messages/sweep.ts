/**
 * A sweep's results as data: what `--export-json` writes, what shards carry to
 * `rootrace merge`, and what every sweep renderer in src/report reads.
 */

/** One run of one point. */
export interface SweepRunRecord {
  readonly point: string;
  readonly run: number;
  readonly seed: number;
  readonly finding: boolean;
  /** Kinds of the run's findings, sorted, deduplicated. */
  readonly kinds: readonly string[];
  /** Microseconds from run start to its first finding. */
  readonly firstFindingUs: number | null;
  readonly wallMs: number;
  readonly storeOps: number;
  /** Model time of the run (ms), when known (sim; threads with a time scale). */
  readonly modelMs?: number;
  /** Loop iterations run and failed, by looping process. */
  readonly iterations?: Readonly<Record<string, { readonly total: number; readonly failed: number }>>;
  /** Where the run's trace was saved, if it had a finding and traces are kept. */
  readonly trace?: string;
}

/** One looping process over every run of a point: the failure rate per iteration with its 95% interval, and iterations per model second. */
export interface IterationSummary {
  readonly process: string;
  readonly total: number;
  readonly failed: number;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
  /** Iterations per second of model time (null without a cost model). */
  readonly perModelSecond: number | null;
}

export interface SweepPointSummary {
  readonly point: string;
  readonly profile: string;
  readonly params: Readonly<Record<string, number>>;
  readonly runs: number;
  readonly runsWithFinding: number;
  readonly rate: number;
  /** 95% Wilson score interval of the rate. */
  readonly low: number;
  readonly high: number;
  readonly firstFailingSeed: number | null;
  readonly medianTimeToFindingMs: number | null;
  readonly runsPerSecond: number;
  readonly storeOpsPerSecond: number;
  /** Per looping process (absent without loops). */
  readonly iterations?: readonly IterationSummary[];
  /** Mean model time of a run (ms), when known. */
  readonly modelMs?: number;
  readonly trace?: string;
}

export interface SweepDocument {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'rootrace'; readonly version: string };
  readonly platform: { readonly node: string; readonly os: string; readonly arch: string; readonly cores: number };
  readonly scenario: string;
  readonly runtime: 'threads' | 'sim';
  readonly rootSeed: number;
  readonly runsPerPoint: number;
  /** The swept axes in order; `profile` is always one of them. */
  readonly axes: readonly { readonly name: string; readonly values: readonly (string | number)[] }[];
  /** `i/n` when this document is one shard; absent for a whole or merged sweep. */
  readonly shard?: string;
  readonly shardsMerged?: number;
  /** A merge of an incomplete shard set (`merge --partial`): the shards it lacks (`2/4`); rates are over the runs present. */
  readonly missingShards?: readonly string[];
  /**
   * sha256 of what the runs ran: every point's resolved scenario and every
   * profile's switches. Shards of one sweep agree on it; `merge` refuses
   * shards that differ (another `--set`, an edited scenario file).
   */
  readonly inputs?: string;
  /**
   * Present when the sweep was interrupted (SIGINT, SIGTERM): `runs` and the
   * points hold the runs that finished, of `runsPlanned`.
   */
  readonly interrupted?: { readonly signal: string; readonly runsPlanned: number };
  /** Wall time of the whole sweep (or the sum over shards). */
  readonly wallMs: number;
  readonly points: readonly SweepPointSummary[];
  readonly runs: readonly SweepRunRecord[];
  readonly recommendation: readonly string[];
  /** The looping process whose iterations the tables report (the one that failed most), when there are loops. */
  readonly mainLoop?: string;
}
