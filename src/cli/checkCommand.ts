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
  runMany,
  type ExpandedScenario,
  type Expectation,
  type Verdict,
} from '../scenarios/index.js';
import { int, maxStepsOf, timeoutOf } from './args.js';
import { CHECK } from './commands.js';
import { scenarioArg } from './names.js';
import { parseCommand } from './spec.js';
import { SCHEMA_VERSION } from './runCommand.js';

export interface CheckArgs {
  /** Catalogue names or scenario files; empty for the whole catalogue. */
  readonly scenarios: readonly string[];
  readonly runs: number;
  readonly seed: number;
  readonly json: boolean;
  readonly jitterUs: number;
  /** The threads runtime's watchdog quiet period (ms). */
  readonly timeoutMs: number;
  /** The sim runtime's step budget, or null for its default. */
  readonly maxSteps: number | null;
  readonly runtime: 'threads' | 'sim';
}

/** The default seed is fixed so that `check` is the same run every time (`npm test`). */
export const CHECK_SEED = 1;

export function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const { values: v, positionals, runtime } = parseCommand(CHECK, argv);
  return {
    scenarios: positionals.map(scenarioArg),
    runs: int('runs', v.runs, 1, 1, 10_000),
    seed: int('seed', v.seed, CHECK_SEED, 0, 0xffff_ffff),
    json: v.json ?? false,
    jitterUs: int('jitter', v.jitter, 0, 0, 1_000_000),
    timeoutMs: timeoutOf(v.timeout),
    maxSteps: maxStepsOf(v['max-steps']),
    runtime: runtime!,
  };
}

interface Plan {
  readonly name: string;
  readonly x: ExpandedScenario;
  readonly profiles: readonly { readonly profile: Profile; readonly expect: Expectation }[];
}

interface Row {
  readonly scenario: string;
  readonly profile: string;
  readonly expect: Expectation;
  readonly verdict: Verdict;
}

/** Every scenario is loaded and checked for expectations before the first run: bad input never half-runs. */
function plan(names: readonly string[]): Plan[] {
  const entries = names.length > 0 ? names.map((n) => openScenario(n)) : listScenarios();
  return entries.map((e) => {
    const x = e.expand();
    const profiles = profilesFor(x, x.profiles, []).map((profile) => {
      const expect = x.expectations.get(profile.name);
      if (!expect) throw new UsageError(`scenario '${e.name}' has no expectation for profile ${profile.name} (add expect.${profile.name} or expect.default)`);
      return { profile, expect };
    });
    return { name: e.name, x, profiles };
  });
}

export async function checkCommand(a: CheckArgs, out: (s: string) => void): Promise<number> {
  const plans = plan(a.scenarios);
  const rows: Row[] = [];
  const tty = process.stderr.isTTY && !process.env['CI'];
  for (const [i, p] of plans.entries()) {
    if (tty) process.stderr.write(`\rchecking ${i + 1}/${plans.length} ${p.name}\x1b[K`);
    const r = await runMany(p.x.run, p.profiles.map((x) => x.profile), a.runs, a.seed, { runtime: a.runtime, jitterUs: a.jitterUs, timeoutMs: a.timeoutMs, ...(a.maxSteps !== null ? { maxSteps: a.maxSteps } : {}) });
    for (const [j, { profile, expect }] of p.profiles.entries()) {
      rows.push({ scenario: p.name, profile: profile.name, expect, verdict: compare(expect, r.profiles[j]!.results) });
    }
  }
  if (tty) process.stderr.write('\r\x1b[K');
  out(a.json ? `${JSON.stringify(toJson(a, rows), null, 2)}\n` : toText(a, rows));
  return rows.every((r) => r.verdict.ok) ? 0 : 1;
}

function toJson(a: CheckArgs, rows: readonly Row[]): unknown {
  return {
    schemaVersion: SCHEMA_VERSION,
    seed: a.seed,
    runs: a.runs,
    runtime: a.runtime,
    ok: rows.every((r) => r.verdict.ok),
    passed: rows.filter((r) => r.verdict.ok).length,
    failed: rows.filter((r) => !r.verdict.ok).length,
    results: rows.map((r) => ({
      scenario: r.scenario,
      profile: r.profile,
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
    const why = n === 0 ? 'ok' : `MISMATCH: ${r.verdict.reasons[0]!}${n > 1 ? ` (and ${n - 1} more of ${r.verdict.runs} runs)` : ''}`;
    return [r.scenario, r.profile, describeExpectation(r.expect), describeObserved(r.verdict), why];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]! + 2))).join('');
  const failed = rows.filter((r) => !r.verdict.ok).length;
  const summary = failed === 0 ? `all ${rows.length} match` : `${failed} of ${rows.length} MISMATCH`;
  return `check   seed ${a.seed}   runs ${a.runs}   runtime ${a.runtime}\n\n${[line(head), ...cells.map(line)].join('\n')}\n\n${summary}\n`;
}
