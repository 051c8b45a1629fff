/**
 * `rootrace check [names-or-files…]`: runs each scenario (default: the whole
 * catalogue) on every profile it lists and compares what happened with what it
 * expects. Exit 0 only when every (scenario, profile) matches, 1 otherwise, 2
 * for bad input (found before anything runs).
 */
import { UsageError } from '../messages/errors.js';
import type { Profile } from '../messages/profile.js';
import {
  compare,
  describeExpectation,
  describeObserved,
  listScenarios,
  openScenario,
  profilesFor,
  openRunHost,
  runMany,
  type ExpandedScenario,
  type Expectation,
  type Verdict,
} from '../scenarios/index.js';
import { int, maxStepsOf, timeoutOf } from './args.js';
import { parseProfileSpec } from '../scenarios/file/entry.js';
import { CHECK } from './commands.js';
import { profileSpecArg, scenarioArg } from './names.js';
import { parseCommand } from './spec.js';
import { SCHEMA_VERSION } from './runCommand.js';
import { progressMode } from './progress.js';
import { abortReason } from '../runtime/index.js';

export interface CheckArgs {
  /** Catalogue names or scenario files; empty for the whole catalogue. */
  readonly scenarios: readonly string[];
  /** `--profile`: run these instead of each scenario's own; variants (`P+switch=value`) are compared with P's expectation. */
  readonly profiles: readonly string[];
  readonly runs: number;
  readonly seed: number;
  readonly json: boolean;
  readonly jitterUs: number;
  /** The threads runtime's watchdog quiet period (ms). */
  readonly timeoutMs: number;
  /** The sim runtime's step budget, or null for its default. */
  readonly maxSteps: number | null;
  readonly runtime: 'threads' | 'sim';
  /** `--progress`: a line per scenario on stderr even off a TTY. */
  readonly progress: boolean;
}

/** The default seed is fixed so that `check` is the same run every time (`npm test`). */
export const CHECK_SEED = 1;

export function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const { values: v, positionals, runtime } = parseCommand(CHECK, argv);
  return {
    scenarios: positionals.map(scenarioArg),
    profiles: (v.profile ?? []).flatMap((x) => x.split(',')).filter(Boolean).map(profileSpecArg),
    runs: int('runs', v.runs, 1, 1, 10_000),
    seed: int('seed', v.seed, CHECK_SEED, 0, 0xffff_ffff),
    json: v.json ?? false,
    jitterUs: int('jitter', v.jitter, 0, 0, 1_000_000),
    timeoutMs: timeoutOf(v.timeout),
    maxSteps: maxStepsOf(v['max-steps']),
    runtime: runtime!,
    progress: v.progress ?? false,
  };
}

/** A profile to check, with the expectation it is compared with: its own, or for a variant its release's. */
interface Planned {
  readonly profile: Profile;
  readonly expect: Expectation;
  /** For a variant (`nix-2.33+switch=value`), the profile whose expectation it is compared with; else null. */
  readonly variantOf: string | null;
}

interface Plan {
  readonly name: string;
  readonly x: ExpandedScenario;
  readonly profiles: readonly Planned[];
}

interface Row extends Omit<Planned, 'profile'> {
  readonly scenario: string;
  readonly profile: string;
  readonly verdict: Verdict;
}

/**
 * Every scenario is loaded and checked for expectations before the first run:
 * bad input never half-runs. A variant has no expectation of its own; its row
 * says whether it behaves as its release is expected to (the A/B question), and
 * does not decide the exit code.
 */
function plan(names: readonly string[], wanted: readonly string[]): Plan[] {
  const entries = names.length > 0 ? names.map((n) => openScenario(n)) : listScenarios();
  return entries.map((e) => {
    const x = e.expand();
    const specs = wanted.length > 0 ? wanted : x.profiles;
    const profiles = profilesFor(x, specs, []).map((profile, i): Planned => {
      const { base, sets } = parseProfileSpec(specs[i]!);
      const expect = x.expectations.get(base);
      if (!expect) throw new UsageError(`scenario '${e.name}' has no expectation for profile ${base} (add expect.${base} or expect.default)`);
      return { profile, expect, variantOf: sets.length > 0 ? base : null };
    });
    return { name: e.name, x, profiles };
  });
}

/** Rows that have an expectation of their own decide the exit code; variants only report. */
const decides = (r: Row): boolean => r.variantOf === null;

/** `signal`: an interrupt (interrupt.ts) stops the check; the scenarios checked so far are printed (one cut short is left out). */
export async function checkCommand(a: CheckArgs, out: (s: string) => void, signal?: AbortSignal): Promise<number> {
  const plans = plan(a.scenarios, a.profiles);
  const rows: Row[] = [];
  const mode = progressMode(process.stderr, true, a.progress);
  let checked = 0;
  const runOpts = { runtime: a.runtime, jitterUs: a.jitterUs, timeoutMs: a.timeoutMs, ...(a.maxSteps !== null ? { maxSteps: a.maxSteps } : {}), ...(signal ? { signal } : {}) };
  // One runtime for the whole check: its host threads stay warm from one scenario to the next (#14 item 4).
  const host = openRunHost(runOpts);
  try {
    for (const [i, p] of plans.entries()) {
      if (mode === 'bar') process.stderr.write(`\rchecking ${i + 1}/${plans.length} ${p.name}\x1b[K`);
      else if (mode === 'lines') process.stderr.write(`progress: checking ${i + 1}/${plans.length} ${p.name}\n`);
      const r = await runMany(p.x.run, p.profiles.map((x) => x.profile), a.runs, a.seed, { ...runOpts, host });
      // A verdict over the runs an interrupt left would not be the scenario's: it is not reported.
      if (r.interrupted) break;
      checked++;
      for (const [j, { profile, expect, variantOf }] of p.profiles.entries()) {
        rows.push({ scenario: p.name, profile: profile.name, expect, variantOf, verdict: compare(expect, r.profiles[j]!.results) });
      }
    }
  } finally {
    await host.close();
  }
  if (mode === 'bar') process.stderr.write('\r\x1b[K');
  const stop = signal?.aborted ? { signal: abortReason(signal), scenariosPlanned: plans.length, scenariosChecked: checked } : null;
  if (stop && !a.json) out(`interrupted by ${stop.signal}: ${checked} of ${plans.length} scenarios checked; what follows is about those\n`);
  out(a.json ? `${JSON.stringify({ ...(toJson(a, rows) as object), ...(stop ? { interrupted: stop } : {}) }, null, 2)}\n` : toText(a, rows));
  return rows.filter(decides).every((r) => r.verdict.ok) ? 0 : 1;
}

function toJson(a: CheckArgs, rows: readonly Row[]): unknown {
  return {
    schemaVersion: SCHEMA_VERSION,
    seed: a.seed,
    runs: a.runs,
    runtime: a.runtime,
    ok: rows.filter(decides).every((r) => r.verdict.ok),
    passed: rows.filter((r) => decides(r) && r.verdict.ok).length,
    failed: rows.filter((r) => decides(r) && !r.verdict.ok).length,
    results: rows.map((r) => ({
      scenario: r.scenario,
      profile: r.profile,
      ...(r.variantOf !== null ? { variantOf: r.variantOf, changed: !r.verdict.ok } : {}),
      ok: r.verdict.ok,
      expected: { findings: r.expect.findings ?? 'any', kept: r.expect.kept.map((k) => k.ref), deleted: r.expect.deleted.map((k) => k.ref) },
      observed: { findings: Object.fromEntries(r.verdict.observed), runs: r.verdict.runs },
      reasons: r.verdict.reasons,
    })),
  };
}

function toText(a: CheckArgs, rows: readonly Row[]): string {
  const head = ['scenario', 'profile', 'expected', 'observed', 'result'];
  const cells = rows.map((r) => {
    const n = r.verdict.reasons.length;
    const more = n > 1 ? ` (and ${n - 1} more of ${r.verdict.runs} runs)` : '';
    if (r.variantOf !== null) {
      const why = n === 0 ? `as ${r.variantOf}` : `CHANGED from ${r.variantOf}: ${r.verdict.reasons[0]!}${more}`;
      return [r.scenario, r.profile, `${describeExpectation(r.expect)} (${r.variantOf}'s)`, describeObserved(r.verdict), why];
    }
    const why = n === 0 ? 'ok' : `MISMATCH: ${r.verdict.reasons[0]!}${more}`;
    return [r.scenario, r.profile, describeExpectation(r.expect), describeObserved(r.verdict), why];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]! + 2))).join('');
  const own = rows.filter(decides);
  const failed = own.filter((r) => !r.verdict.ok).length;
  const variants = rows.length - own.length;
  const changed = rows.filter((r) => !decides(r) && !r.verdict.ok).length;
  const summary = [
    ...(own.length > 0 ? [failed === 0 ? `all ${own.length} match` : `${failed} of ${own.length} MISMATCH`] : []),
    ...(variants > 0 ? [`${changed} of ${variants} variant${variants === 1 ? '' : 's'} CHANGED from their release's expectation`] : []),
  ].join('; ');
  return `check   seed ${a.seed}   runs ${a.runs}   runtime ${a.runtime}\n\n${[line(head), ...cells.map(line)].join('\n')}\n\n${summary}\n`;
}
