/**
 * Scenario files (schemaVersion 1) as written: the raw shapes that schema.ts
 * validates and expand.ts turns into a ScenarioRun. Integer fields accept an
 * integer or an expression over parameters (`"$evaluators"`, `"$free + 4096"`);
 * strings of an entry with `repeat` may use `{i}` (1..N).
 */
import type { FindingKind } from '../../messages/inspect.js';
import type { ProcessKind } from '../../messages/scenario.js';

export const SCHEMA_VERSION = 1;

/** An integer, or an integer expression over `$parameters` with + - * and parentheses. */
export type IntExpr = number | string;

export interface ParameterDef {
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
  readonly doc?: string;
}

export interface RawSettings {
  readonly 'min-free'?: IntExpr;
  readonly 'max-free'?: IntExpr;
  readonly 'min-free-check-interval'?: IntExpr;
  readonly 'keep-derivations'?: boolean;
  readonly 'keep-outputs'?: boolean;
  readonly 'free-space'?: IntExpr | null;
  readonly 'total-bytes'?: IntExpr;
}

interface Repeatable {
  /** N copies of the entry, `{i}` = 1..N in each of its strings. */
  readonly repeat?: IntExpr;
}

export interface RawSource extends Repeatable {
  readonly name: string;
  readonly contents?: string;
  readonly size?: IntExpr;
}

export interface RawDerivation extends Repeatable {
  readonly name: string;
  readonly inputDrvs?: readonly string[];
  readonly inputSrcs?: readonly string[];
  readonly outputs?: readonly string[];
  readonly outputSize?: IntExpr;
}

/** One step: `{ <op>: <arg> }` (shorthand) or `{ op: <op>, …fields }`; see STEP_OPS. */
export type RawStep = Readonly<Record<string, unknown>>;

/** Iterations a `loop: { for }` may run at most when it gives no `times` (the store is sized for them). */
export const DURATION_LOOP_CAP = 1000;

export interface RawProcess extends Repeatable {
  readonly name: string;
  readonly kind: ProcessKind;
  readonly store?: 'daemon' | 'local';
  readonly evalStore?: 'daemon' | 'local';
  /** A profile name: this process runs that release (e.g. a 2.35.0 client beside a 2.34 daemon). */
  readonly nix?: string;
  /** Started only by another process's `spawn` step. */
  readonly spawned?: boolean;
  /** `times` iterations, or `for` model ms (with `times` as the cap, default DURATION_LOOP_CAP). */
  readonly loop?: { readonly times?: IntExpr; readonly for?: IntExpr; readonly onError?: 'continue' | 'stop' };
  readonly steps: readonly RawStep[];
}

export interface RawHook extends Repeatable {
  readonly process: string;
  readonly label: string;
  readonly occurrence?: IntExpr;
  readonly barriers: readonly string[];
}

/** An injected death: `process` is an actor (`E1`, `W(E1)`, `gc-thread(W(E1))`); `signal` default kill. */
export interface RawCrash extends Repeatable {
  readonly process: string;
  readonly label: string;
  readonly occurrence?: IntExpr;
  readonly signal?: 'kill' | 'term';
}

export type RawJunk =
  | { readonly name: string; readonly size?: IntExpr }
  | { readonly of: string; readonly suffix: string; readonly size?: IntExpr };

export interface RawStore {
  readonly drvs?: readonly { readonly drv: string; readonly built?: boolean }[];
  readonly srcs?: readonly string[];
  readonly roots?: readonly { readonly link: string; readonly target: string; readonly indirect?: boolean }[];
  readonly junk?: readonly RawJunk[];
  readonly junkForAll?: readonly string[];
}

export interface RawExpectation {
  /** Kinds that must each occur at least once, `none` for no finding at all, `any` for no constraint. */
  readonly findings?: 'none' | 'any' | readonly FindingKind[];
  /** Object references (`out:foo`, `drv:bar`, `lock:out:foo`, `junk:tmp-1`) that must be on disk at the end. */
  readonly kept?: readonly string[];
  /** Object references that must not be on disk at the end. */
  readonly deleted?: readonly string[];
  /** Texts that must each occur in some finding's message. */
  readonly errors?: readonly string[];
}

export interface ScenarioFile {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly name: string;
  readonly summary: string;
  readonly source: string;
  readonly profile?: string;
  readonly set?: Readonly<Record<string, string | number | boolean>>;
  readonly parameters?: Readonly<Record<string, number | ParameterDef>>;
  readonly settings?: RawSettings;
  /** The cost model: `default` (calibrated on real Nix 2.8), `zero`, or fields over the defaults (ms). */
  readonly costs?: 'default' | 'zero' | Readonly<Record<string, number>>;
  readonly sources?: readonly RawSource[];
  readonly derivations?: readonly RawDerivation[];
  readonly store?: RawStore;
  readonly processes: readonly RawProcess[];
  readonly hooks?: readonly RawHook[];
  readonly crash?: readonly RawCrash[];
  /** Per profile name, or `default` for profiles not listed (a profile's entry replaces `default` whole). */
  readonly expect?: Readonly<Record<string, RawExpectation>>;
  readonly profiles?: readonly string[];
}

export const DEFAULT_PROFILE = 'nix-2.35';
export const DEFAULT_CHECK_PROFILES: readonly string[] = ['nix-2.8', 'nix-2.33', 'nix-2.34', 'nix-2.35'];

/** Every FindingKind, as data for the schema; the check below fails to compile if one is missing. */
export const FINDING_KINDS = [
  'invalid-reference',
  'missing-derivation',
  'missing-input-output',
  'gc-safety',
  'closure',
  'gc-aborted',
  'deadlock',
  'process-aborted',
  'socket-error',
  'client-error',
] as const satisfies readonly FindingKind[];
const _allKindsListed: [Exclude<FindingKind, (typeof FINDING_KINDS)[number]>] extends [never] ? true : false = true;

/** What an argument of a step names, which decides how it is validated and resolved. */
export type ArgKind = 'drv' | 'src' | 'process' | 'barrier' | 'link' | 'int' | 'bool';

/**
 * Step operations. `arg`: the field that the shorthand's value fills (`instantiate: foo`
 * is `{ op: instantiate, drv: foo }`); without `arg` the shorthand's value is an object
 * of `fields` (`addRoot: { drv, link }`, `collectGarbage: {}`). `optional` fields may be omitted.
 */
export const STEP_OPS = {
  instantiate: { arg: 'drv', fields: { drv: 'drv', addRoot: 'link' }, optional: ['addRoot'] },
  writeDerivation: { arg: 'drv', fields: { drv: 'drv' }, optional: [] },
  fetchToStore: { arg: 'src', fields: { src: 'src' }, optional: [] },
  realise: { arg: 'drv', fields: { drv: 'drv' }, optional: [] },
  addRoot: { fields: { drv: 'drv', link: 'link' }, optional: [] },
  removeRoot: { arg: 'link', fields: { link: 'link' }, optional: [] },
  ensurePath: { arg: 'drv', fields: { drv: 'drv' }, optional: [] },
  collectGarbage: { fields: { maxFreed: 'int' }, optional: ['maxFreed'] },
  awaitExit: { arg: 'process', fields: { process: 'process' }, optional: [] },
  barrier: { arg: 'name', fields: { name: 'barrier' }, optional: [] },
  sleep: { arg: 'ms', fields: { ms: 'int' }, optional: [] },
  dropConnection: { fields: {}, optional: [] },
  killDaemonWorker: { fields: {}, optional: [] },
  spawn: { arg: 'process', fields: { process: 'process' }, optional: [] },
  plainRoot: { fields: { drv: 'drv', link: 'link', output: 'bool' }, optional: ['output'] },
  evalJobs: { fields: { worker: 'process', jobs: 'int', workers: 'int', restartEvery: 'int', build: 'process' }, optional: ['build'] },
  rewriteAggregate: { fields: { drv: 'drv', from: 'drv' }, optional: [] },
} as const satisfies Record<string, StepOpDef>;

export interface StepOpDef {
  readonly arg?: string;
  readonly fields: Readonly<Record<string, ArgKind>>;
  readonly optional: readonly string[];
}

export type StepOpName = keyof typeof STEP_OPS;
