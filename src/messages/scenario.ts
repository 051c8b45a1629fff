/**
 * A scenario as the runtime consumes it: initial store, settings and processes
 * with programs of steps. Parsing and validation of scenario files live in
 * src/scenarios; this is only the resolved shape.
 */
import type { Costs } from './costs.js';
import type { NixSettings, Switches } from './profile.js';

export interface DerivationSpec {
  /**
   * The derivation name; its drv is `<name>.drv`. A name with `{n}` is a template:
   * one derivation per loop iteration (`app-{n}` → app-1, app-2, …), made when a
   * step of iteration n names it.
   */
  readonly name: string;
  readonly inputDrvs: readonly string[];
  readonly inputSrcs: readonly string[];
  readonly outputs: readonly string[];
  /** Bytes of each built output. */
  readonly outputSize: number;
}

export interface SourceSpec {
  readonly name: string;
  readonly contents: string;
  readonly size: number;
}

export type Step =
  | { readonly op: 'instantiate'; readonly drv: string; readonly addRoot?: string }
  | { readonly op: 'writeDerivation'; readonly drv: string }
  | { readonly op: 'fetchToStore'; readonly src: string }
  | { readonly op: 'realise'; readonly drv: string }
  | { readonly op: 'addRoot'; readonly drv: string; readonly link: string }
  | { readonly op: 'removeRoot'; readonly link: string }
  | { readonly op: 'ensurePath'; readonly drv: string }
  | { readonly op: 'collectGarbage'; readonly maxFreed?: number }
  | { readonly op: 'awaitExit'; readonly process: string }
  | { readonly op: 'barrier'; readonly name: string }
  | { readonly op: 'sleep'; readonly ms: number }
  | { readonly op: 'dropConnection' }
  /** kill -9 of this client's daemon worker: its thread is terminated mid-connection. */
  | { readonly op: 'killDaemonWorker' }
  /** fork/exec of a `spawned` process (as a shell runs `nix-instantiate`), then wait for it; it inherits `{n}`. */
  | { readonly op: 'spawn'; readonly process: string }
  /** A gcroots symlink made directly (Hydra), without addTempRoot: a running GC that read its roots never sees it. */
  | { readonly op: 'plainRoot'; readonly drv: string; readonly link: string; readonly output?: boolean }
  /**
   * nix-eval-jobs' main loop: `workers` concurrent `worker` processes take jobs 1..jobs, each exiting after
   * `restartEvery`; with `build`, each finished batch is handed at once to a fresh `build` process (the
   * consumer: Hydra's queue runner, nix-fast-build), which runs beside the evaluation.
   */
  | { readonly op: 'evalJobs'; readonly worker: string; readonly jobs: number; readonly workers: number; readonly restartEvery: number; readonly build?: string }
  /**
   * nix-eval-jobs' rewriteAggregates (constituents.cc:240–262 @59fa344): readDerivation of the aggregate
   * `from` a worker wrote, then of each constituent (the inputDrvs of `drv` that `from` lacks), none
   * rooted, then writeDerivation of the rewritten aggregate `drv` referring to them.
   */
  | { readonly op: 'rewriteAggregate'; readonly drv: string; readonly from: string };

/**
 * A process program run again and again, `{n}` = 1, 2, … in its step names:
 * `times` iterations, or with `forMs` as many as start within that much model
 * time of the loop's start (ctx.now(): virtual in sim, wall time scaled by
 * --time-scale in threads), `times` then being the cap.
 */
export interface LoopSpec {
  readonly times: number;
  /** A duration loop: iterations start while less than this many model ms have passed since the first. */
  readonly forMs?: number;
  /** After an iteration that failed (a step's error, a spawned process's failure): go on, or stop looping. */
  readonly onError: 'continue' | 'stop';
}

export type ProcessKind = 'evaluator' | 'nix-collect-garbage';

export interface ProcessSpec {
  /** Unique name within the scenario (`X`, `E1`, …). */
  readonly name: string;
  readonly kind: ProcessKind;
  /** `daemon` (the default): through a daemon worker per connection; `local`: `NIX_REMOTE=local`, the process opens the store itself. */
  readonly store?: 'daemon' | 'local';
  /** `--eval-store`: a second store for writeDerivation/fetchToStore/instantiate (§12.6); absent: the main store. */
  readonly evalStore?: 'daemon' | 'local';
  /** Not started with the run: each `spawn` step of another process starts a fresh instance (a new pid). */
  readonly spawned?: boolean;
  readonly loop?: LoopSpec;
  /** `nix:` — this process runs another release than the profile's (resolved when the scenario is expanded). */
  readonly nix?: { readonly name: string; readonly switches: Switches };
  readonly steps: readonly Step[];
}

/** What a store starts with: derivations already written (and built, if `built`), sources, roots, junk. */
export interface InitialStore {
  readonly drvs: readonly { readonly drv: string; readonly built: boolean }[];
  readonly srcs: readonly string[];
  readonly roots: readonly { readonly link: string; readonly drv: string; readonly output: boolean; readonly indirect: boolean }[];
  readonly junk: readonly { readonly name: string; readonly size: number }[];
}

/**
 * A pause point that forces an interleaving: when an actor of `process` (the
 * client itself, its daemon workers or their GC threads) reaches the step
 * `label` for the `occurrence`-th time (1-based, default 1), it waits on each
 * barrier in turn. The label set is documented in README (e.g. `build.run`,
 * `addToStore.register`, `gc.locked`).
 */
export interface StepHook {
  readonly process: string;
  readonly label: string;
  readonly occurrence?: number;
  readonly barriers: readonly string[];
}

/** `kill`: SIGKILL (no destructors run); `term`: SIGTERM (Nix throws Interrupted, the stack unwinds, ~LocalStore runs). */
export type CrashSignal = 'kill' | 'term';

/**
 * An injected death: when the actor named `process` reaches the step `label`
 * for the `occurrence`-th time (1-based, default 1, counted over every actor
 * of that name in the run), `signal` lands there. `process` is a scenario
 * process (`E1`), one of its daemon workers (`W(E1)`) or an auto-GC thread
 * (`gc-thread(W(E1))`); a signal to a thread is a signal to its process.
 */
export interface CrashPoint {
  readonly process: string;
  readonly label: string;
  readonly occurrence?: number;
  readonly signal: CrashSignal;
}

export interface ScenarioRun {
  readonly name: string;
  /** Model time of each operation (messages/costs.ts); absent: steps take no time. */
  readonly costs?: Costs;
  readonly hooks?: readonly StepHook[];
  /** Injected deaths (actors/crashes.ts); absent: nobody is killed. */
  readonly crash?: readonly CrashPoint[];
  readonly derivations: readonly DerivationSpec[];
  readonly sources: readonly SourceSpec[];
  readonly initial: InitialStore;
  readonly settings: NixSettings;
  readonly processes: readonly ProcessSpec[];
}
