/**
 * `rootrace crashpoints <scenario>`: "what if this process dies here?" for
 * every step a sim run of the scenario reaches (scenarios/crashSweep.ts). One
 * row per crash point — consecutive occurrences with the same outcome share a
 * row — then each distinct outcome with how many points lead to it. Exit 1 if
 * a crash alone broke an invariant (GC safety, closure, liveness) or the
 * simulator (a lost result, a crash point not reached, a flock still held
 * once every process had ended); 0 otherwise: findings a death causes (a
 * client reading EOF from its dead worker) are the table, not a failure.
 */
import { crashActorProblem } from '../actors/crashes.js';
import { UsageError } from '../messages/errors.js';
import type { CrashPoint, CrashSignal, ScenarioRun } from '../messages/scenario.js';
import { crashSweep, openScenario, profilesFor, type CrashOutcome, type CrashSweepReport, type ShownFinding } from '../scenarios/index.js';
import { int, maxStepsOf } from './args.js';
import { CRASHPOINTS } from './commands.js';
import { hooksUnmet } from '../actors/hooksUnmet.js';
import type { CommandIo } from './exploreCommand.js';
import { profileArg, scenarioArg, switchArg } from './names.js';
import { parseCommand } from './spec.js';

export interface CrashpointsArgs {
  readonly scenario: string;
  readonly profile: string | null;
  readonly signal: CrashSignal;
  readonly params: readonly string[];
  readonly sets: readonly string[];
  readonly seed: number;
  readonly maxSteps: number | null;
  readonly json: boolean;
}

export const SCHEMA_VERSION = 1;

/** The default seed is fixed: a sweep is one deterministic table, the same every time. */
export const CRASHPOINTS_SEED = 1;

export function parseCrashpointsArgs(argv: readonly string[]): CrashpointsArgs {
  const { values: v, positionals } = parseCommand(CRASHPOINTS, argv);
  if (positionals.length !== 1) throw new UsageError(`crashpoints expects one scenario, got ${positionals.length}`);
  if (v.profile?.includes(',')) throw new UsageError('crashpoints takes one --profile');
  const signal = v.signal ?? 'kill';
  if (signal !== 'kill' && signal !== 'term') throw new UsageError(`--signal expects kill or term, got '${signal}'`);
  return {
    scenario: scenarioArg(positionals[0]!),
    profile: v.profile === undefined ? null : profileArg(v.profile),
    signal,
    params: v.param ?? [],
    sets: (v.set ?? []).map((x) => switchArg(x)),
    seed: int('seed', v.seed, CRASHPOINTS_SEED, 0, 0xffff_ffff),
    maxSteps: maxStepsOf(v['max-steps']),
    json: v.json ?? false,
  };
}

/** `run --crash …` over the scenario's own crash points; an actor the scenario cannot have is a usage error. */
export function withCrashArgs(scenario: ScenarioRun, crash: readonly CrashPoint[]): ScenarioRun {
  if (crash.length === 0) return scenario;
  for (const c of crash) {
    const problem = crashActorProblem(c.process, scenario.processes);
    if (problem) throw new UsageError(`--crash ${c.process}@${c.label}: ${problem}`);
  }
  return { ...scenario, crash: [...(scenario.crash ?? []), ...crash] };
}

export async function crashpointsCommand(a: CrashpointsArgs, io: CommandIo): Promise<number> {
  const x = openScenario(a.scenario).expand(a.params);
  const [profile] = profilesFor(x, [a.profile ?? x.defaultProfile], a.sets);
  const r = await crashSweep(x.run, profile!, {
    signal: a.signal,
    seed: a.seed,
    scaffolding: hooksUnmet,
    ...(a.maxSteps !== null ? { maxSteps: a.maxSteps } : {}),
    ...(io.progress ? { onProgress: (done: number, total: number) => io.progress?.(`\rcrash point ${done}/${total}\x1b[K`) } : {}),
  });
  io.progress?.('\r\x1b[K');
  io.out(a.json ? JSON.stringify(toJson(r), null, 2) : toText(r));
  return failures(r).length > 0 ? 1 : 0;
}

/** What must never come of a crash, per point. */
function failures(r: CrashSweepReport): { point: string; what: string }[] {
  const at = (p: CrashOutcome): string => showPoint(p.point.process, p.point.label, String(p.point.occurrence));
  return [
    ...r.baseline.bugs.map((what) => ({ point: 'no crash', what: `BUG: ${what}` })),
    ...r.points.flatMap((p) => [...p.bugs.map((what) => ({ point: at(p), what: `BUG: ${what}` })), ...p.violations.map((f) => ({ point: at(p), what: `${f.kind}: ${f.message}` }))]),
  ];
}

const showPoint = (process: string, label: string, occurrences: string): string => `${process}@${label}#${occurrences}`;

const showFinding = (f: ShownFinding): string => `${f.kind}: ${f.message} (${f.actor})`;

/** A point's outcome in words: its findings, or `as without a crash`, and what went wrong. */
function outcomeOf(p: CrashOutcome, baseline: string): string {
  const found = p.findings.map(showFinding).join('; ');
  const words = found === '' ? 'no finding' : found === baseline ? 'as without a crash' : found;
  const unmet = p.unmet === null ? '' : `; n/a: the scenario's barriers wait for a step the crash made impossible (${p.unmet})`;
  const bad = [...p.bugs.map((b) => `BUG: ${b}`), ...p.violations.map((v) => `caused by the crash: ${v.kind}`)];
  return bad.length > 0 ? `${words}${unmet}  [${bad.join('; ')}]` : `${words}${unmet}`;
}

/** Rows in first-arrival order of (actor, label); runs of occurrences with one outcome share a row (`#2-5`). */
function rows(r: CrashSweepReport): [string, string][] {
  const baseline = r.baseline.findings.map(showFinding).join('; ');
  const groups = new Map<string, CrashOutcome[]>();
  for (const p of r.points) {
    const k = `${p.point.process}\u0000${p.point.label}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(p);
  }
  const out: [string, string][] = [];
  for (const ps of groups.values()) {
    ps.sort((a, b) => a.point.occurrence - b.point.occurrence);
    for (let i = 0; i < ps.length; ) {
      const outcome = outcomeOf(ps[i]!, baseline);
      let j = i;
      while (j + 1 < ps.length && outcomeOf(ps[j + 1]!, baseline) === outcome) j++;
      const { process, label } = ps[i]!.point;
      const from = ps[i]!.point.occurrence;
      const to = ps[j]!.point.occurrence;
      out.push([showPoint(process, label, from === to ? String(from) : `${from}-${to}`), outcome]);
      i = j + 1;
    }
  }
  return out;
}

function toText(r: CrashSweepReport): string {
  const signal = r.signal === 'kill' ? 'SIGKILL' : 'SIGTERM';
  const base = r.baseline.findings.length === 0 ? 'no findings' : r.baseline.findings.map(showFinding).join('; ');
  const table = rows(r);
  const w = Math.max('crash point'.length, ...table.map(([p]) => p.length)) + 2;
  const lines = [
    `crashpoints ${r.scenario}   profile ${r.profile}   signal ${r.signal} (${signal})   seed ${r.seed}`,
    '',
    `without a crash: ${base}; ${r.points.length} crash points reached (actor@label#occurrence)`,
    '',
    `${'crash point'.padEnd(w)}outcome`,
    ...table.map(([p, o]) => `${p.padEnd(w)}${o}`),
  ];
  const byOutcome = new Map<string, number>();
  const baseline = r.baseline.findings.map(showFinding).join('; ');
  for (const p of r.points) {
    const o = outcomeOf(p, baseline);
    byOutcome.set(o, (byOutcome.get(o) ?? 0) + 1);
  }
  lines.push('', 'outcomes:');
  for (const [o, n] of [...byOutcome].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(5)} crash point${n === 1 ? ' ' : 's'}  ${o}`);
  const bad = failures(r);
  lines.push('');
  if (bad.length === 0) lines.push(`every crash point was reached and ran to a result; every lock was released once every process had ended; no crash alone broke GC safety, the closure or liveness`);
  else lines.push(`${bad.length} problem${bad.length === 1 ? '' : 's'}:`, ...bad.map((b) => `  ${b.point}: ${b.what}`));
  lines.push(`reproduce one point: rootrace run ${r.scenario} --runtime sim --profile ${r.profile} --crash 'PROCESS@LABEL#N:${r.signal}'`);
  return lines.join('\n');
}

function toJson(r: CrashSweepReport): unknown {
  return {
    schemaVersion: SCHEMA_VERSION,
    scenario: r.scenario,
    profile: r.profile,
    seed: r.seed,
    signal: r.signal,
    ok: failures(r).length === 0,
    baseline: r.baseline,
    points: r.points.map((p) => ({ crash: showPoint(p.point.process, p.point.label, String(p.point.occurrence)) + `:${p.point.signal}`, ...p })),
  };
}
