/**
 * `rootrace versions <scenario>`: runs a scenario on every release of the
 * chosen families and prints the consecutive release ranges that share an
 * outcome (the set of finding kinds), with the switch changes at each boundary.
 * The engine sees only switches (DESIGN.md §5), so releases with identical
 * switches share one set of runs, made under the first of them: `run
 * --profile <that> --seed S --runs N` with the same runtime replays it.
 */
import { UsageError } from '../messages/errors.js';
import type { Profile } from '../messages/profile.js';
import type { RunResult } from '../messages/result.js';
import { openScenario, profilesFor, runMany } from '../scenarios/index.js';
import { FAMILIES, familyTitle, releaseName } from '../scenarios/profiles.js';
import { releasesOf, switchChanges, type Family, type Release } from '../scenarios/releases.js';
import { int, timeoutOf } from './args.js';
import { VERSIONS } from './commands.js';
import { scenarioArg, switchArg } from './names.js';
import { parseCommand } from './spec.js';
import { changeJson, changeText } from './profilesCommand.js';
import { hooksUnmet } from '../actors/hooksUnmet.js';
import { SCHEMA_VERSION } from './runCommand.js';

export interface VersionsArgs {
  readonly scenario: string;
  readonly families: readonly Family[];
  readonly runs: number;
  readonly seed: number;
  readonly runtime: 'threads' | 'sim';
  readonly params: readonly string[];
  readonly sets: readonly string[];
  readonly json: boolean;
  readonly jitterUs: number;
  readonly timeoutMs: number | null;
}

/** Fixed, so that the same command gives the same table (it is always printed). */
export const VERSIONS_SEED = 1;

export function parseVersionsArgs(argv: readonly string[]): VersionsArgs {
  const { values: v, positionals, runtime } = parseCommand(VERSIONS, argv);
  if (positionals.length !== 1) throw new UsageError(`versions expects one scenario name or file, got ${positionals.length}`);
  const family = v.family ?? 'upstream';
  if (family !== 'all' && !FAMILIES.includes(family as Family)) throw new UsageError(`--family expects ${[...FAMILIES, 'all'].join(', ')}, got '${family}'`);
  return {
    scenario: scenarioArg(positionals[0]!),
    families: family === 'all' ? FAMILIES : [family as Family],
    runs: int('runs', v.runs, 3, 1, 10_000),
    seed: int('seed', v.seed, VERSIONS_SEED, 0, 0xffff_ffff),
    runtime: runtime!,
    params: v.param ?? [],
    sets: (v.set ?? []).map((x) => switchArg(x)),
    json: v.json ?? false,
    jitterUs: int('jitter', v.jitter, 0, 0, 1_000_000),
    timeoutMs: v.timeout === undefined ? null : timeoutOf(v.timeout),
  };
}

/** What one release showed over its runs: the finding kinds, or n/a when every run stalled at the scenario's own barriers. */
export interface Outcome {
  readonly kinds: readonly string[];
  /** Why the scenario's forced interleaving cannot happen here (every run), else null. */
  readonly na: string | null;
  readonly runs: number;
  readonly runsWithFinding: number;
  /** Runs that stalled at the scenario's barriers while others did not. */
  readonly naRuns: number;
}

export interface VersionRange {
  readonly family: Family;
  readonly releases: readonly Release[];
  readonly outcome: Outcome;
  /** The profile each release's runs were made under (its own name, or the first release with the same switches). */
  readonly ranAs: readonly string[];
}

const keyOf = (o: Outcome): string => (o.na !== null ? 'n/a' : o.kinds.join(',') || 'none');

export function outcomeOf(results: readonly RunResult[]): Outcome {
  const per = results.map((r) => {
    const unmet = r.findings.map(hooksUnmet).find((x) => x !== null) ?? null;
    return { unmet, kinds: [...new Set(r.findings.map((f) => f.kind))].sort() };
  });
  const met = per.filter((p) => p.unmet === null);
  const na = met.length === 0 && per.length > 0 ? per[0]!.unmet : null;
  return {
    kinds: [...new Set(met.flatMap((p) => p.kinds))].sort(),
    na,
    runs: results.length,
    runsWithFinding: met.filter((p) => p.kinds.length > 0).length,
    naRuns: per.length - met.length,
  };
}

/**
 * Releases with identical switches share one set of runs (the engine sees only
 * switches): the name each profile's runs are made under (the first profile
 * with its switches), and those distinct profiles in order.
 */
export function shareRuns(profiles: readonly Profile[]): { readonly ranAs: string[]; readonly distinct: Profile[] } {
  const byKey = new Map<string, Profile>();
  const ranAs = profiles.map((p) => {
    const k = JSON.stringify(p.switches);
    if (!byKey.has(k)) byKey.set(k, p);
    return byKey.get(k)!.name;
  });
  return { ranAs, distinct: [...byKey.values()] };
}

export async function versionsCommand(a: VersionsArgs, out: (s: string) => void): Promise<number> {
  const x = openScenario(a.scenario).expand(a.params);
  const releases = a.families.flatMap((f) => releasesOf(f));
  // Every name resolves before anything runs: a bad --set is exit 2 with nothing half-done.
  const profiles = profilesFor(x, releases.map(releaseName), a.sets);
  const { ranAs, distinct } = shareRuns(profiles);
  const tty = process.stderr.isTTY && !process.env['CI'];
  const outcomes = new Map<string, Outcome>();
  for (const [i, p] of distinct.entries()) {
    if (tty) process.stderr.write(`\rversions ${i + 1}/${distinct.length} ${p.name}\x1b[K`);
    const r = await runMany(x.run, [p], a.runs, a.seed, { runtime: a.runtime, jitterUs: a.jitterUs, ...(a.timeoutMs !== null ? { timeoutMs: a.timeoutMs } : {}) });
    outcomes.set(p.name, outcomeOf(r.profiles[0]!.results));
  }
  if (tty) process.stderr.write('\r\x1b[K');
  const ranges = rangesOf(releases.map((r, i) => ({ release: r, ranAs: ranAs[i]!, outcome: outcomes.get(ranAs[i]!)! })));
  out(a.json ? `${JSON.stringify(toJson(a, x.run.name, distinct.length, ranges), null, 2)}\n` : toText(a, x.run.name, distinct.length, ranges));
  return ranges.some((r) => r.outcome.na === null && r.outcome.kinds.length > 0) ? 1 : 0;
}

/** Consecutive releases of one family with the same outcome, merged; run counts over the distinct sets of runs. */
export function rangesOf(rows: readonly { release: Release; ranAs: string; outcome: Outcome }[]): VersionRange[] {
  const out: { family: Family; releases: Release[]; outcome: Outcome; ranAs: string[] }[] = [];
  for (const row of rows) {
    const last = out.at(-1);
    if (last && last.family === row.release.family && keyOf(last.outcome) === keyOf(row.outcome)) {
      if (!last.ranAs.includes(row.ranAs)) last.outcome = merge(last.outcome, row.outcome);
      last.releases.push(row.release);
      last.ranAs.push(row.ranAs);
    } else out.push({ family: row.release.family, releases: [row.release], outcome: row.outcome, ranAs: [row.ranAs] });
  }
  return out;
}

function merge(a: Outcome, b: Outcome): Outcome {
  return { kinds: a.kinds, na: a.na, runs: a.runs + b.runs, runsWithFinding: a.runsWithFinding + b.runsWithFinding, naRuns: a.naRuns + b.naRuns };
}

/** `2.33.0–2.33.6`, `Lix 2.90.0–2.95.3`, `2.35.0`. */
export function spanText(r: Pick<VersionRange, 'family' | 'releases'>): string {
  const from = r.releases[0]!.version;
  const to = r.releases.at(-1)!.version;
  const span = from === to ? from : `${from}–${to}`;
  return r.family === 'upstream' ? span : `${familyTitle(r.family)} ${span}`;
}

export function outcomeText(o: Outcome): string {
  if (o.na !== null) return `n/a (the scenario's hooks cannot be met: ${o.na})`;
  const kinds = o.kinds.join(', ') || 'none';
  const some = o.kinds.length > 0 && o.runsWithFinding < o.runs - o.naRuns ? ` (in ${o.runsWithFinding} of ${o.runs - o.naRuns} runs)` : '';
  const na = o.naRuns > 0 ? ` (${o.naRuns} of ${o.runs} runs could not meet the scenario's hooks)` : '';
  return `${kinds}${some}${na}`;
}

/** The one-line summary: each outcome with the ranges that show it, in order of first appearance. */
export function summaryText(ranges: readonly VersionRange[]): string {
  const groups = new Map<string, VersionRange[]>();
  for (const r of ranges) groups.set(keyOf(r.outcome), [...(groups.get(keyOf(r.outcome)) ?? []), r]);
  return [...groups.entries()]
    .map(([k, rs]) => `${k === 'n/a' ? 'n/a' : k.replaceAll(',', ', ')} on ${rs.map(spanText).join(', ')}`)
    .join('; ');
}

function boundary(prev: VersionRange | undefined, r: VersionRange) {
  if (!prev || prev.family !== r.family) return null;
  const from = prev.releases.at(-1)!;
  const to = r.releases[0]!;
  return { from, to, changes: switchChanges(from, to) };
}

function toText(a: VersionsArgs, scenario: string, distinct: number, ranges: readonly VersionRange[]): string {
  const lines = [`versions ${scenario}   runtime ${a.runtime}   runs ${a.runs}   seed ${a.seed}   families ${a.families.join(', ')}`];
  const releases = ranges.reduce((n, r) => n + r.releases.length, 0);
  lines.push(`${releases} releases, ${distinct} distinct sets of switches (releases with the same switches share their runs)`);
  const w = Math.max(...ranges.map((r) => spanText(r).length));
  ranges.forEach((r, i) => {
    const b = boundary(ranges[i - 1], r);
    if (b) {
      lines.push(`    ${b.from.version} → ${b.to.version}: ${b.changes.length === 0 ? 'no switch changes' : b.changes.map(changeText).join('; ')}`);
    } else lines.push('', `${familyTitle(r.family)}:`);
    lines.push(`  ${spanText(r).padEnd(w + 2)}${outcomeText(r.outcome)}`);
  });
  lines.push('', `summary: ${summaryText(ranges)}`);
  return `${lines.join('\n')}\n`;
}

function toJson(a: VersionsArgs, scenario: string, distinct: number, ranges: readonly VersionRange[]): unknown {
  return {
    schemaVersion: SCHEMA_VERSION,
    scenario,
    seed: a.seed,
    runs: a.runs,
    runtime: a.runtime,
    families: a.families,
    distinctSwitchSets: distinct,
    ranges: ranges.map((r, i) => {
      const b = boundary(ranges[i - 1], r);
      return {
        family: r.family,
        from: r.releases[0]!.version,
        to: r.releases.at(-1)!.version,
        releases: r.releases.map((x, j) => ({ version: x.version, profile: releaseName(x), ...(x.base !== null ? { base: x.base } : {}), ranAs: r.ranAs[j] })),
        outcome: { findings: r.outcome.kinds, na: r.outcome.na, runs: r.outcome.runs, runsWithFinding: r.outcome.runsWithFinding, naRuns: r.outcome.naRuns },
        boundary: b === null ? null : { from: b.from.version, to: b.to.version, changes: b.changes.map(changeJson) },
      };
    }),
    summary: summaryText(ranges),
  };
}
