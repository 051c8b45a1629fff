/** Argument parsing: strict, so an unknown flag is a usage error (exit 2), never ignored. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../messages/errors.js';
import type { LogLevel } from '../report/index.js';

/** What to render from a run's inspection stream (issue 5). */
export interface OutputArgs {
  /** NDJSON of the stream. */
  readonly events: string | null;
  /** Chrome/Perfetto trace JSON. */
  readonly trace: string | null;
  /** The roots report: a file, `''` for stdout (flag given bare), or null. */
  readonly rootsReport: string | null;
  /** Nix-style log lines (`--log` info, `-v` talkative, `-vv`/`--debug` debug), or null for none. */
  readonly log: LogLevel | null;
}

export interface ReportArgs {
  readonly file: string;
  readonly outputs: OutputArgs;
  readonly json: boolean;
}

const OUTPUT_OPTIONS = {
  events: { type: 'string' },
  trace: { type: 'string' },
  'roots-report': { type: 'string' },
  log: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v', multiple: true },
  debug: { type: 'boolean' },
} as const;

interface OutputValues {
  readonly events?: string | undefined;
  readonly trace?: string | undefined;
  readonly 'roots-report'?: string | undefined;
  readonly log?: boolean | undefined;
  readonly verbose?: boolean[] | undefined;
  readonly debug?: boolean | undefined;
}

function outputsOf(v: OutputValues): OutputArgs {
  const verbosity = v.verbose?.length ?? 0;
  const log: LogLevel | null = v.debug || verbosity >= 2 ? 'debug' : verbosity === 1 ? 'talkative' : v.log ? 'info' : null;
  return { events: v.events ?? null, trace: v.trace ?? null, rootsReport: v['roots-report'] ?? null, log };
}

/**
 * `--roots-report [FILE]`: the next token is its FILE only if the command still
 * gets its `wanted` positionals without it; otherwise the flag is bare (`''`).
 */
function optionalValue(argv: readonly string[], flag: string, wanted: number, positionals: (a: string[]) => number): string[] {
  const i = argv.indexOf(flag);
  if (i < 0) return [...argv];
  const bare = [...argv.slice(0, i), `${flag}=`, ...argv.slice(i + 1)];
  const next = argv[i + 1];
  if (next === undefined || next.startsWith('-')) return bare;
  const withFile = [...argv.slice(0, i), `${flag}=${next}`, ...argv.slice(i + 2)];
  try {
    if (positionals(withFile) === wanted) return withFile;
  } catch {
    // not a valid reading: the flag is bare
  }
  return bare;
}

/** parseStrict for commands that take one positional and `--roots-report [FILE]`. */
function parseWithRootsReport<const O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O) {
  return parseStrict(optionalValue(argv, '--roots-report', 1, (a) => parseStrict(a, options).positionals.length), options);
}

function usage(e: unknown): UsageError {
  return new UsageError(e instanceof Error ? e.message.split('\n')[0]! : String(e));
}

/** node:util parseArgs, strict, with its errors (unknown flag, missing value) as one-line usage errors. */
export function parseStrict<const O extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O }>> {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (e) {
    throw usage(e);
  }
}

/** `rootrace report <events.ndjson> [--trace F] [--roots-report [F]] [--log] [-v|--debug] [--json]`. */
export function parseReportArgs(argv: readonly string[]): ReportArgs {
  const { values, positionals } = parseWithRootsReport(argv, { ...OUTPUT_OPTIONS, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError(`report expects one events file (recorded with run --events), got ${positionals.length}`);
  if (values.events !== undefined) throw new UsageError('report reads an events file; --events is an option of run');
  return { file: positionals[0]!, outputs: outputsOf(values), json: values.json ?? false };
}

export interface RunArgs {
  readonly scenario: string;
  readonly profiles: readonly string[];
  readonly runs: number;
  readonly seed: number | null;
  readonly sets: readonly string[];
  readonly params: readonly string[];
  readonly json: boolean;
  readonly jitterUs: number;
  /** The threads runtime's watchdog quiet period (ms). */
  readonly timeoutMs: number;
  /** The sim runtime's step budget (decisions), or null for its default. */
  readonly maxSteps: number | null;
  readonly outputs: OutputArgs;
  /** `--runtime threads|sim` (default threads). */
  readonly runtime: 'threads' | 'sim';
  /** `--daemon-profile P`: the daemon workers' and collectors' release, apart from the clients'. */
  readonly daemonProfile: string | null;
  /** `--costs default|zero|FILE`: the cost model, over the scenario's own (null: the scenario's). */
  readonly costs: string | null;
  /** `--time-scale X`: real ms the threads runtime sleeps per model ms of cost (0: none). */
  readonly timeScale: number;
  /** `--workers N`: at most N host threads for the run's actors (they then share threads), as in sweeps. */
  readonly workers: number | null;
}

/** `--name` as an integer in min..max, or `dflt` when absent. */
export function int(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} expects an integer in ${min}..${max}, got '${v}'`);
  return n;
}

export function runtimeOf(v: string | undefined): 'threads' | 'sim' {
  if (v === undefined || v === 'threads' || v === 'sim') return v ?? 'threads';
  throw new UsageError(`--runtime expects threads or sim, got '${v}'`);
}

/** Default of `--timeout`: the watchdog's quiet period in ms (a run is a deadlock when nothing happened that long and every actor is blocked). */
export const DEFAULT_TIMEOUT_MS = 5_000;

/** `--timeout ms`: the threads runtime watchdog's quiet period. */
export function timeoutOf(v: string | undefined): number {
  return int('timeout', v, DEFAULT_TIMEOUT_MS, 100, 3_600_000);
}

/** `--max-steps N`: the sim runtime's step budget (scheduling decisions per run); where a command also runs threads, only with `--runtime sim`. */
export function maxStepsOf(v: string | undefined, runtime: 'threads' | 'sim' = 'sim'): number | null {
  if (v === undefined) return null;
  const n = int('max-steps', v, 0, 1, 1_000_000_000);
  if (runtime !== 'sim') throw new UsageError("--max-steps is the sim runtime's step budget: use it with --runtime sim");
  return n;
}

/** `--workers N`: the host-thread cap of the threads runtime. */
function workersOf(v: string, runtime: 'threads' | 'sim'): number {
  const n = int('workers', v, 0, 1, 4096);
  if (runtime === 'sim') throw new UsageError('--workers caps the threads runtime\'s host threads (sim runs in one thread): drop it or use --runtime threads');
  return n;
}

/** `--time-scale X`: a non-negative number, for the threads runtime (sim time is virtual). */
export function timeScaleOf(v: string | undefined, runtime: 'threads' | 'sim'): number {
  if (v === undefined) return 0;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < 0 || x > 1000) throw new UsageError(`--time-scale expects a number in 0..1000, got '${v}'`);
  if (runtime === 'sim') throw new UsageError('--time-scale applies to the threads runtime (sim time is virtual): drop it or use --runtime threads');
  return x;
}

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const { values, positionals } = parseWithRootsReport(argv, {
    profile: { type: 'string', multiple: true },
    runs: { type: 'string' },
    seed: { type: 'string' },
    set: { type: 'string', multiple: true },
    param: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    jitter: { type: 'string' },
    timeout: { type: 'string' },
    runtime: { type: 'string' },
    'max-steps': { type: 'string' },
    'daemon-profile': { type: 'string' },
    costs: { type: 'string' },
    'time-scale': { type: 'string' },
    workers: { type: 'string' },
    ...OUTPUT_OPTIONS,
  });
  if (positionals.length !== 1) throw new UsageError(`run expects one scenario name, got ${positionals.length}`);
  return {
    scenario: positionals[0]!,
    // Empty when absent: the scenario's own default profile applies.
    profiles: (values.profile ?? []).flatMap((p) => p.split(',')).filter(Boolean),
    runs: int('runs', values.runs, 1, 1, 100_000),
    seed: values.seed === undefined ? null : int('seed', values.seed, 0, 0, 0xffff_ffff),
    sets: values.set ?? [],
    params: values.param ?? [],
    json: values.json ?? false,
    jitterUs: int('jitter', values.jitter, 0, 0, 1_000_000),
    timeoutMs: timeoutOf(values.timeout),
    maxSteps: maxStepsOf(values['max-steps'], runtimeOf(values.runtime)),
    runtime: runtimeOf(values.runtime),
    daemonProfile: values['daemon-profile'] ?? null,
    costs: values.costs ?? null,
    timeScale: timeScaleOf(values['time-scale'], runtimeOf(values.runtime)),
    workers: values.workers === undefined ? null : workersOf(values.workers, runtimeOf(values.runtime)),
    outputs: outputsOf(values),
  };
}
