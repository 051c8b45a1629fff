/**
 * Crash-point sweeps: "what if this process dies here?" for every step a run
 * reaches. One sim run with no crash lists every (actor, label, occurrence)
 * reached (the census); then one run per point, with the same seed, so the
 * schedule is the baseline's up to the crash and the point is reached for
 * sure. Each run is checked for what a death must never do to the simulator:
 * a lost result, a crash point that never fired, a flock still held once
 * every process has ended (the kernel releases a dead process's locks).
 */
import type { CrashPoint, CrashSignal, ScenarioRun } from '../messages/scenario.js';
import type { Finding } from '../messages/result.js';
import type { Profile } from '../messages/profile.js';
import { SimRuntime, deriveSeed, type SimRunResult } from '../runtime/index.js';

export interface CrashSweepOptions {
  readonly signal: CrashSignal;
  /** The root seed, as `run --seed`: every run of the sweep is the first run `run --runtime sim --seed S` makes. */
  readonly seed: number;
  /** The sim's step budget per run. */
  readonly maxSteps?: number;
  /** Called after each run: crash points done so far and in all. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Whether a deadlock finding is the scenario's own scaffolding (its barriers
   * wait for a step the crash made impossible: actors/hooksUnmet.ts), and why;
   * such a run is `unmet`, not a liveness violation.
   */
  readonly scaffolding?: (f: Finding) => string | null;
}

/** A finding as the table shows it: kind, text with store hashes elided, who failed. */
export interface ShownFinding {
  readonly kind: Finding['kind'];
  readonly message: string;
  readonly actor: string;
}

/** Simulator findings: the store invariants, not a client's error. */
const INVARIANTS: ReadonlySet<string> = new Set(['gc-safety', 'closure', 'deadlock']);

export interface CrashOutcome {
  readonly point: CrashPoint & { readonly occurrence: number };
  /** The signal landed (an `inspect.crash` was recorded). */
  readonly fired: boolean;
  readonly findings: readonly ShownFinding[];
  /** Invariant findings (gc-safety, closure, deadlock) this run has and the baseline does not: the crash alone caused them. */
  readonly violations: readonly ShownFinding[];
  /** The scenario's forced interleaving could not happen after this crash (its barriers wait for a dead party's step), or null. */
  readonly unmet: string | null;
  /** What a death must never do to the simulator (never expected; each is a rootrace bug). */
  readonly bugs: readonly string[];
}

export interface CrashSweepReport {
  readonly scenario: string;
  readonly profile: string;
  readonly seed: number;
  readonly signal: CrashSignal;
  readonly baseline: { readonly findings: readonly ShownFinding[]; readonly bugs: readonly string[] };
  readonly points: readonly CrashOutcome[];
}

const HASH = /\/nix\/store\/[0-9a-z]{32}-/g;

export function showFindings(findings: readonly Finding[]): ShownFinding[] {
  const seen = new Map<string, ShownFinding>();
  for (const f of findings) {
    const s = { kind: f.kind, message: f.message.replace(HASH, '/nix/store/…-'), actor: f.actor };
    seen.set(`${s.kind}\u0000${s.message}\u0000${s.actor}`, s);
  }
  return [...seen.values()].sort((a, b) => (a.kind + a.message + a.actor).localeCompare(b.kind + b.message + b.actor));
}

function key(f: ShownFinding): string {
  return `${f.kind}\u0000${f.message}`;
}

function bugsOf(r: SimRunResult): string[] {
  return r.sim.heldAtEnd.map((h) => `after every process had ended, a ${h} was still held`);
}

export async function crashSweep(scenario: ScenarioRun, profile: Profile, o: CrashSweepOptions): Promise<CrashSweepReport> {
  const base = { ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}), hash: false };
  const census = new SimRuntime({ ...base, census: true });
  const plain = { ...scenario, crash: [] };
  // runMany's seed of its first run: `rootrace run --runtime sim --seed S --crash P` replays a point exactly.
  const seed = deriveSeed(o.seed, `${profile.name}#0`);
  const first = await census.run(plain, profile, seed);
  const baseline = showFindings(first.findings);
  const baselineKeys = new Set(baseline.map(key));
  const rt = new SimRuntime({ ...base, record: true });
  const arrivals = first.sim.census ?? [];
  const points: CrashOutcome[] = [];
  for (const a of arrivals) {
    const point = { process: a.actor, label: a.label, occurrence: a.occurrence, signal: o.signal };
    const bugs: string[] = [];
    let r: SimRunResult | null = null;
    try {
      r = await rt.run({ ...scenario, crash: [point] }, profile, seed);
    } catch (e) {
      bugs.push(`the run ended without a result: ${e instanceof Error ? e.message : String(e)}`);
    }
    const fired = r?.recorded?.some((e) => e.type === 'inspect.crash') ?? false;
    if (r && !fired) bugs.push('the crash point was not reached (the run diverged from the baseline before it)');
    if (r) bugs.push(...bugsOf(r));
    const unmet = r ? (r.findings.map((f) => o.scaffolding?.(f) ?? null).find((x) => x !== null) ?? null) : null;
    const shown = r ? showFindings(r.findings.filter((f) => !(unmet !== null && f.kind === 'deadlock' && o.scaffolding?.(f)))) : [];
    const violations = shown.filter((f) => INVARIANTS.has(f.kind) && !baselineKeys.has(key(f)));
    points.push({ point, fired, findings: shown, violations, unmet, bugs });
    o.onProgress?.(points.length, arrivals.length);
  }
  return { scenario: scenario.name, profile: profile.name, seed: o.seed, signal: o.signal, baseline: { findings: baseline, bugs: bugsOf(first) }, points };
}
