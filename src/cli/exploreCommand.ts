/**
 * `rootrace explore <scenario>`: many sim schedules under one profile until a
 * finding. Each finding's schedule is replayed twice, written under
 * .rootrace/schedules/, shrunk, and printed with the exact replay command.
 * Progress goes to stderr only on a TTY outside CI; results go to stdout.
 */
import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';
import { UsageError } from '../messages/errors.js';
import type { CrashSignal } from '../messages/scenario.js';
import { chainJson, chainLines } from '../report/index.js';
import { STRATEGIES, abortReason, explore, exploreParallel, scheduleToJson, shrink, type ExploreFinding, type ExploreOptions, type ExploreProgress, type ExploreReport, type Schedule, type ShrinkReport, type StrategyName } from '../runtime/index.js';
import { openScenario, profilesFor } from '../scenarios/index.js';
import { int, maxStepsOf } from './args.js';
import { EXPLORE } from './commands.js';
import { hooksUnmet } from '../actors/hooksUnmet.js';
import { profileSpecArg, scenarioArg, switchArg } from './names.js';
import { checkOutputDir, checkOutputFileInNewDir, ensureDir, writeFileAtomic } from './outputs.js';
import { savedRoot } from './savedRuns.js';
import { parseCommand } from './spec.js';

export const SCHEMA_VERSION = 1;

export interface ExploreArgs {
  readonly scenario: string;
  readonly profile: string | null;
  readonly strategy: StrategyName;
  readonly depth: number;
  /** Infinity: `--preemptions all`. */
  readonly preemptions: number;
  /** DFS partial-order reduction (off with --no-reduction: traces are then only counted). */
  readonly reduction: boolean;
  readonly maxSchedules: number;
  readonly timeLimitS: number;
  readonly params: readonly string[];
  readonly sets: readonly string[];
  readonly all: boolean;
  readonly json: boolean;
  readonly seed: number | null;
  /** Directory for schedule files (default .rootrace/schedules). */
  readonly out: string | null;
  readonly shrink: boolean;
  /** The step budget of each run (decisions), or null for the sim's default. */
  readonly maxSteps: number | null;
  /** `--faults kill,term`: crashes the strategy may choose (empty: none). */
  readonly faults: readonly CrashSignal[];
  /** `--max-crashes k`: per schedule. */
  readonly maxCrashes: number;
  /** `--progress`: progress on stderr even off a TTY. */
  readonly progress: boolean;
  /** `--jobs J`: the search on J threads (parallelExplore.ts). */
  readonly jobs: number;
}

/** `--faults kill[,term]`. */
function faultsOf(v: string | undefined): CrashSignal[] {
  if (v === undefined) return [];
  const signals = v.split(',').filter(Boolean);
  for (const x of signals) if (x !== 'kill' && x !== 'term') throw new UsageError(`--faults expects kill, term or kill,term, got '${v}'`);
  if (signals.length === 0) throw new UsageError(`--faults expects kill, term or kill,term, got '${v}'`);
  return [...new Set(signals)] as CrashSignal[];
}

export interface CommandIo {
  readonly out: (s: string) => void;
  /** Progress line sink, or null when progress is off (not a TTY, or CI). */
  readonly progress: ((s: string) => void) | null;
}

export function parseExploreArgs(argv: readonly string[]): ExploreArgs {
  const { values: v, positionals } = parseCommand(EXPLORE, argv);
  if (positionals.length !== 1) throw new UsageError(`explore expects one scenario, got ${positionals.length}`);
  const strategy = v.strategy ?? 'pct';
  if (!STRATEGIES.includes(strategy as StrategyName)) throw new UsageError(`--strategy expects one of ${STRATEGIES.join(', ')}, got '${strategy}'`);
  if (v.profile?.includes(',')) throw new UsageError('explore takes one --profile');
  return {
    scenario: scenarioArg(positionals[0]!),
    profile: v.profile === undefined ? null : profileSpecArg(v.profile),
    strategy: strategy as StrategyName,
    depth: int('depth', v.depth, 3, 1, 64),
    preemptions: v.preemptions === 'all' ? Infinity : int('preemptions', v.preemptions, 1, 0, 64),
    reduction: !(v['no-reduction'] ?? false),
    maxSchedules: int('max-schedules', v['max-schedules'], 10_000, 1, 100_000_000),
    timeLimitS: int('time-limit', v['time-limit'], 60, 1, 7 * 24 * 3600),
    params: v.param ?? [],
    sets: (v.set ?? []).map((x) => switchArg(x)),
    all: v.all ?? false,
    json: v.json ?? false,
    seed: v.seed === undefined ? null : int('seed', v.seed, 0, 0, 0xffff_ffff),
    out: v.out ?? null,
    shrink: !(v['no-shrink'] ?? false),
    maxSteps: maxStepsOf(v['max-steps']),
    faults: faultsOf(v.faults),
    maxCrashes: maxCrashesOf(v['max-crashes'], v.faults),
    progress: v.progress ?? false,
    jobs: int('jobs', v.jobs, 1, 1, 64),
  };
}

function maxCrashesOf(v: string | undefined, faults: string | undefined): number {
  if (v !== undefined && faults === undefined) throw new UsageError('--max-crashes bounds the crashes of --faults: give --faults kill (or kill,term) too');
  return int('max-crashes', v, 1, 1, 64);
}

export function schedulesDir(out: string | null): string {
  return out ?? join(savedRoot(), 'schedules');
}

/** Writes a schedule file (atomically: outputs.ts), creating its directory. */
export function writeSchedule(file: string, s: Schedule): void {
  ensureDir(dirname(file));
  writeFileAtomic(file, scheduleToJson(s));
}

/** Refuses, before anything runs, a schedule file or folder that cannot be written. */
export function checkScheduleOutput(what: string, path: string, kind: 'file' | 'dir'): void {
  if (kind === 'dir') checkOutputDir(what, path);
  else checkOutputFileInNewDir(what, path);
}

/** The exact command line, quoted for a POSIX shell when needed. */
export function replayCommandFor(file: string): string {
  return `rootrace replay ${/^[\w@%+=:,./-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`}`;
}

const safe = (s: string): string => s.replace(/[^\w.-]+/g, '_');

interface Written {
  readonly f: ExploreFinding;
  readonly file: string;
  readonly shrunk: { readonly file: string; readonly report: ShrinkReport } | null;
}

/** `signal`: an interrupt (interrupt.ts) stops exploring; the findings so far are printed and their schedules written, unshrunk. */
export async function exploreCommand(a: ExploreArgs, io: CommandIo, signal?: AbortSignal): Promise<number> {
  const x = openScenario(a.scenario).expand(a.params);
  const [profile] = profilesFor(x, [a.profile ?? x.defaultProfile], a.sets);
  const seed = a.seed ?? randomInt(0, 0xffff_ffff);
  const dir = schedulesDir(a.out);
  checkScheduleOutput(a.out === null ? 'the schedules folder (--out DIR for another)' : '--out', dir, 'dir');
  const progress = io.progress ? progressLine(io.progress, a.strategy, a.depth) : a.progress ? progressLines(a.strategy, a.depth) : null;
  const o: ExploreOptions = {
    scenario: x.run,
    profile: profile!,
    seed,
    strategy: a.strategy,
    depth: a.depth,
    preemptions: a.preemptions,
    reduction: a.reduction ? 'prune' : 'count',
    maxSchedules: a.maxSchedules,
    timeLimitMs: a.timeLimitS * 1000,
    all: a.all,
    ...(a.maxSteps !== null ? { maxSteps: a.maxSteps } : {}),
    ...(a.faults.length > 0 ? { faults: a.faults, maxCrashes: a.maxCrashes, scaffolding: hooksUnmet } : {}),
    ...(progress ? { onProgress: progress } : {}),
    ...(signal ? { signal } : {}),
  };
  const report = a.jobs > 1 ? await exploreParallel({ ...o, jobs: a.jobs }) : await explore(o);
  io.progress?.('\r\x1b[K');
  const written: Written[] = [];
  for (const f of report.findings) {
    const base = join(dir, `${safe(x.run.name)}-${safe(profile!.name)}-${seed}-${f.scheduleNumber}`);
    const file = `${base}.json`;
    writeSchedule(file, f.schedule);
    let shrunk: Written['shrunk'] = null;
    // Interrupted: the schedule is saved as found; shrinking it is for `rootrace shrink` later.
    if (a.shrink && f.deterministic && !signal?.aborted) {
      // Automatic shrinking gets a shorter budget than `rootrace shrink` (60 s); --no-shrink skips it.
      const r = await shrink({ schedule: f.schedule, timeLimitMs: Math.min(20_000, a.timeLimitS * 1000), ...(a.maxSteps !== null ? { maxSteps: a.maxSteps } : {}), ...(signal ? { signal } : {}) });
      if (r.reproduced) {
        shrunk = { file: `${base}.min.json`, report: r };
        writeSchedule(shrunk.file, r.schedule);
      }
    }
    written.push({ f, file, shrunk });
  }
  const stop = signal?.aborted ? abortReason(signal) : null;
  io.out(a.json ? JSON.stringify(toJson(report, x.run.name, profile!.name, written, stop), null, 2) : toText(report, x.run.name, profile!.name, written, stop));
  if (report.findings.some((f) => !f.deterministic)) return 3;
  return report.findings.length > 0 ? 1 : 0;
}

function progressLine(write: (s: string) => void, strategy: StrategyName, depth: number): (p: { schedules: number; elapsedMs: number; findings: number; pctBound?: number }) => void {
  return (p) => {
    const rate = p.schedules / Math.max(p.elapsedMs / 1000, 1e-3);
    const pct = strategy === 'pct' && p.pctBound !== undefined ? `, P(depth-${depth} bug found) ≥ ${p.pctBound.toPrecision(3)}` : '';
    write(`\r\x1b[Kexplore: ${p.schedules} schedules (${rate.toFixed(0)}/s), ${p.findings} distinct findings${pct}`);
  };
}

/** `--progress` off a TTY: a plain line on stderr at most every second, and whenever a new finding appears. */
function progressLines(strategy: StrategyName, depth: number): (p: ExploreProgress) => void {
  let last = -Infinity;
  let findings = 0;
  return (p) => {
    if (p.elapsedMs - last < 1000 && p.findings === findings) return;
    last = p.elapsedMs;
    findings = p.findings;
    const pct = strategy === 'pct' && p.pctBound !== undefined ? `, P(depth-${depth} bug found) ≥ ${p.pctBound.toPrecision(3)}` : '';
    process.stderr.write(`progress: ${p.schedules} schedules, ${p.findings} distinct findings${pct}\n`);
  };
}

function describeStrategy(r: ExploreReport): string {
  const faults = r.faults.signals.length > 0 ? `, faults ${r.faults.signals.join(',')} (at most ${r.faults.maxCrashes} per schedule)` : '';
  if (r.strategy === 'pct') return `pct (depth ${r.depth})${faults}`;
  const reduction = r.reduction?.mode === 'prune' ? ', partial-order reduction' : '';
  if (r.strategy === 'dfs') return `dfs (preemption bound ${boundOf(r)}${reduction})${faults}`;
  return `random${faults}`;
}

/** The crashes a schedule injected, as `run --crash` would name them. */
function crashesOf(f: ExploreFinding): string[] {
  return f.schedule.decisions.filter((d) => d.fault).map((d) => `${d.actor} at '${d.label}' (${d.fault === 'kill' ? 'SIGKILL' : 'SIGTERM'})`);
}

const boundOf = (r: ExploreReport): string => (Number.isFinite(r.preemptionBound) ? String(r.preemptionBound) : 'all');

function reductionLine(x: NonNullable<ExploreReport['reduction']>, schedules: number): string {
  const pruned = x.mode === 'prune' ? `; ${x.pruned} branches pruned as equivalent to explored ones (${x.prunedDecisions} decisions before they stopped)` : ' (no reduction)';
  const full = x.statesFull ? `; the reduction's table of states filled at ${x.states} (later states not remembered: fewer branches pruned, none missed)` : '';
  return `traces: ${x.traces} distinct in ${schedules} schedules run to the end${pruned}${full}`;
}

function parallelLine(p: NonNullable<ExploreReport['parallel']>): string {
  if (p.cutDepth === null) return `threads: ${p.jobs}, thread i running schedules i, i + ${p.jobs}, i + ${2 * p.jobs}, …; schedules per thread ${p.schedulesPerShare.join(' + ')}`;
  return `threads: ${p.jobs}, the tree cut at choice point ${p.cutDepth}; schedules per thread ${p.schedulesPerShare.join(' + ')}; ${p.skippedRuns} runs stopped at the cut (another thread's part)`;
}

/** What an exhausted DFS covered: without a bound, every interleaving (the reduction runs one schedule per trace, sound by dfs.ts). */
function exhaustiveLine(r: ExploreReport, secs: number): string {
  const what = `${r.reduction ? `${r.reduction.traces} traces, ` : ''}${r.schedules} schedules, ${secs.toFixed(2)} s`;
  if (!Number.isFinite(r.preemptionBound)) return r.findings.length === 0 ? `exhaustive: no finding in any interleaving (${what})` : `exhaustive: every interleaving was explored (${what})`;
  return `exhaustive: every schedule with at most ${r.preemptionBound} preemption(s) was covered (${what})`;
}

function toText(r: ExploreReport, scenario: string, profile: string, written: readonly Written[], stop: string | null): string {
  const secs = r.elapsedMs / 1000;
  const lines = [
    `explore ${scenario} under ${profile}: strategy ${describeStrategy(r)}, seed ${r.seed}`,
    `${r.schedules} schedules in ${secs.toFixed(2)} s (${(r.schedules / Math.max(secs, 1e-3)).toFixed(0)}/s), ${r.decisions} decisions; stopped: ${stop !== null ? `interrupted by ${stop}` : r.stoppedBy}`,
  ];
  if (r.reduction) lines.push(reductionLine(r.reduction, r.schedules));
  if (r.parallel) lines.push(parallelLine(r.parallel));
  if (r.stoppedBy === 'exhausted') lines.push(exhaustiveLine(r, secs));
  if (r.pct) lines.push(`PCT guarantee: a given depth-${r.depth} bug was hit with probability ≥ ${r.pct.bound.toPrecision(3)} (n = ${r.pct.actors} actors, k = ${r.pct.steps} decisions)`);
  if (stop !== null && written.length > 0) lines.push(`the findings so far follow; their schedules are written but not shrunk (rootrace shrink <file> shrinks one)`);
  if (written.length === 0) lines.push('', 'no findings');
  for (const { f, file, shrunk } of written) {
    lines.push('', `finding: ${f.finding.kind}: error: ${f.finding.message}`);
    lines.push(`  failed in ${f.finding.actor} (pid ${f.finding.pid}); schedule ${f.scheduleNumber}, run seed ${f.schedule.seed}`);
    const crashes = crashesOf(f);
    if (crashes.length > 0) lines.push(`  crashed: ${crashes.join('; ')}`);
    if (!f.deterministic) {
      lines.push(`  NON-DETERMINISM: replaying the schedule gave event hashes ${f.replayHashes.join(', ')}, not ${f.schedule.eventHash} (a simulator bug; please report it)`);
    } else lines.push(`  replayed twice: identical event stream (sha256 ${f.schedule.eventHash})`);
    lines.push(...chainLines(f.finding.chain));
    lines.push(`  schedule: ${file}  (${f.schedule.preemptions} preemptions, ${f.schedule.processSwitches} process switches, ${f.schedule.contextSwitches} context switches)`);
    if (shrunk) {
      const { before, after, replays } = shrunk.report;
      lines.push(`  shrunk:   ${shrunk.file}  (preemptions ${before.preemptions} → ${after.preemptions}, process switches ${before.processSwitches} → ${after.processSwitches}, context switches ${before.contextSwitches} → ${after.contextSwitches}; ${replays} replays)`);
    }
    lines.push(`  replay:   ${replayCommandFor(shrunk?.file ?? file)}`);
  }
  return lines.join('\n');
}

function toJson(r: ExploreReport, scenario: string, profile: string, written: readonly Written[], stop: string | null): unknown {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'explore',
    scenario,
    profile,
    strategy: r.strategy,
    ...(r.strategy === 'pct' ? { depth: r.depth, pct: r.pct } : {}),
    ...(r.strategy === 'dfs' ? { preemptionBound: Number.isFinite(r.preemptionBound) ? r.preemptionBound : 'all', reduction: r.reduction } : {}),
    ...(r.parallel ? { parallel: r.parallel } : {}),
    ...(r.faults.signals.length > 0 ? { faults: r.faults } : {}),
    seed: r.seed,
    schedules: r.schedules,
    decisions: r.decisions,
    elapsedMs: Math.round(r.elapsedMs),
    stoppedBy: stop !== null ? 'interrupted' : r.stoppedBy,
    ...(stop !== null ? { interrupted: { signal: stop } } : {}),
    findings: written.map(({ f, file, shrunk }) => ({
      kind: f.finding.kind,
      message: f.finding.message,
      path: f.finding.path,
      actor: f.finding.actor,
      pid: f.finding.pid,
      chain: chainJson(f.finding.chain),
      ...(r.faults.signals.length > 0 ? { crashes: crashesOf(f) } : {}),
      scheduleNumber: f.scheduleNumber,
      runSeed: f.schedule.seed,
      eventHash: f.schedule.eventHash,
      deterministic: f.deterministic,
      replayHashes: f.replayHashes,
      schedule: file,
      shrunk: shrunk?.file ?? null,
      replay: replayCommandFor(shrunk?.file ?? file),
      preemptions: { before: f.schedule.preemptions, after: shrunk?.report.after.preemptions ?? f.schedule.preemptions },
      processSwitches: { before: f.schedule.processSwitches, after: shrunk?.report.after.processSwitches ?? f.schedule.processSwitches },
      contextSwitches: { before: f.schedule.contextSwitches, after: shrunk?.report.after.contextSwitches ?? f.schedule.contextSwitches },
    })),
  };
}
