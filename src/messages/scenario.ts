/**
 * A scenario as the runtime consumes it: initial store, settings and processes
 * with programs of steps. Parsing and validation of scenario files live in
 * src/scenarios; this is only the resolved shape.
 */
import type { NixSettings, Switches } from './profile.js';

export interface DerivationSpec {
  /** The derivation name; its drv is `<name>.drv`. */
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
  | { readonly op: 'killDaemonWorker' };

export type ProcessKind = 'evaluator' | 'nix-collect-garbage';

export interface ProcessSpec {
  /** Unique name within the scenario (`X`, `E1`, …). */
  readonly name: string;
  readonly kind: ProcessKind;
  /** `daemon` (the default): through a daemon worker per connection; `local`: `NIX_REMOTE=local`, the process opens the store itself. */
  readonly store?: 'daemon' | 'local';
  /** `--eval-store`: a second store for writeDerivation/fetchToStore/instantiate (§12.6); absent: the main store. */
  readonly evalStore?: 'daemon' | 'local';
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

export interface ScenarioRun {
  readonly name: string;
  readonly hooks?: readonly StepHook[];
  readonly derivations: readonly DerivationSpec[];
  readonly sources: readonly SourceSpec[];
  readonly initial: InitialStore;
  readonly settings: NixSettings;
  readonly processes: readonly ProcessSpec[];
}
