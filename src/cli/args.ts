/** The arguments of `run` and `report`, and the number checks every command shares. */
import { parseCrashPoint } from '../actors/crashes.js';
import { UsageError } from '../messages/errors.js';
import type { CrashPoint } from '../messages/scenario.js';
import type { LogLevel } from '../report/index.js';
import { DEFAULT_MAX_SAVED, DEFAULT_TIMEOUT_MS, REPORT, RUN } from './commands.js';
import { daemonProfileArg, profileSpecArg, scenarioArg, switchArg } from './names.js';
import { parseCommand } from './spec.js';

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

/** `rootrace report <events.ndjson> [--trace F] [--roots-report [F]] [--log] [-v|--debug] [--json]`. */
export function parseReportArgs(argv: readonly string[]): ReportArgs {
  const { values, positionals } = parseCommand(REPORT, argv);
  if (positionals.length !== 1) throw new UsageError(`report expects one events file (recorded with run --events), got ${positionals.length}`);
  return { file: positionals[0]!, outputs: outputsOf(values), json: values.json ?? false };
}

export interface RunArgs {
  readonly scenario: string;
  readonly profiles: readonly string[];
  readonly runs: number;
  readonly seed: number | null;
  /** `--run-seed S`: every run's own seed, not derived from a root (a finding's `rerun:` line); null without it. */
  readonly runSeed: number | null;
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
  /** `--crash ACTOR@LABEL[#N][:kill|term]`: injected deaths, added to the scenario's own `crash:` entries. */
  readonly crash: readonly CrashPoint[];
  /** `--max-saved N`: run folders kept under .rootrace/ (the cap). */
  readonly maxSaved: number;
  /** `--progress`: progress on stderr even off a TTY. */
  readonly progress: boolean;
  /** `--wide`: tables as wide as their cells (else they keep to the terminal, at most 100 columns). */
  readonly wide: boolean;
}

/** `--crash ACTOR@LABEL[#N][:kill|term]` (the actor is checked against the scenario when it is opened). */
export function crashArg(text: string): CrashPoint {
  const p = parseCrashPoint(text);
  if (!p) throw new UsageError(`--crash expects ACTOR@LABEL[#N][:kill|term] (e.g. 'W(E1)@addToStore.register#1:kill'), got '${text}'`);
  return p;
}

/**
 * `--name` as an integer in min..max, or `dflt` when absent. Only decimal
 * digits: `0x10`, `1e3` and `5.0` are numbers to JavaScript but not what a
 * user means by a count or a seed.
 */
export function int(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const n = /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const why = /^-\d/.test(v) && min >= 0 ? ' (negative)' : Number.isInteger(Number(v)) && v.trim() !== '' && Number.isNaN(n) ? ' (decimal digits only)' : '';
    throw new UsageError(`--${name} expects an integer in ${min}..${max}, got '${v}'${why}`);
  }
  return n;
}

/** `--max-saved N`: how many run folders the cap keeps under .rootrace/ (savedRuns.ts). */
export function maxSavedOf(v: string | undefined): number {
  return int('max-saved', v, DEFAULT_MAX_SAVED, 1, 1_000_000);
}

/** `--timeout ms`: the threads runtime watchdog's quiet period. */
export function timeoutOf(v: string | undefined): number {
  return int('timeout', v, DEFAULT_TIMEOUT_MS, 100, 3_600_000);
}

/** `--max-steps N`: the sim runtime's step budget (scheduling decisions per run); the spec keeps it to sim runs. */
export function maxStepsOf(v: string | undefined): number | null {
  return v === undefined ? null : int('max-steps', v, 0, 1, 1_000_000_000);
}

/** `--time-scale X`: a non-negative decimal number, for the threads runtime (sim time is virtual). */
export function timeScaleOf(v: string | undefined): number {
  if (v === undefined) return 0;
  const x = /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
  if (!(x >= 0 && x <= 1000)) throw new UsageError(`--time-scale expects a number in 0..1000, got '${v}'`);
  return x;
}

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const { values, positionals, runtime } = parseCommand(RUN, argv);
  if (positionals.length !== 1) throw new UsageError(`run expects one scenario name, got ${positionals.length}`);
  if (values.seed !== undefined && values['run-seed'] !== undefined) {
    throw new UsageError("--seed and --run-seed: give one (--seed is the root each run's seed derives from, --run-seed one run's own seed)");
  }
  return {
    scenario: scenarioArg(positionals[0]!),
    // Empty when absent: the scenario's own default profile applies.
    profiles: (values.profile ?? []).flatMap((p) => p.split(',')).filter(Boolean).map(profileSpecArg),
    runs: int('runs', values.runs, 1, 1, 100_000),
    seed: values.seed === undefined ? null : int('seed', values.seed, 0, 0, 0xffff_ffff),
    runSeed: values['run-seed'] === undefined ? null : int('run-seed', values['run-seed'], 0, 0, 0xffff_ffff),
    sets: (values.set ?? []).map((x) => switchArg(x)),
    params: values.param ?? [],
    json: values.json ?? false,
    jitterUs: int('jitter', values.jitter, 0, 0, 1_000_000),
    timeoutMs: timeoutOf(values.timeout),
    maxSteps: maxStepsOf(values['max-steps']),
    runtime: runtime!,
    daemonProfile: values['daemon-profile'] === undefined ? null : daemonProfileArg(values['daemon-profile']),
    costs: values.costs ?? null,
    timeScale: timeScaleOf(values['time-scale']),
    workers: values.workers === undefined ? null : int('workers', values.workers, 0, 1, 4096),
    crash: (values.crash ?? []).map(crashArg),
    maxSaved: maxSavedOf(values['max-saved']),
    progress: values.progress ?? false,
    wide: values.wide ?? false,
    outputs: outputsOf(values),
  };
}
