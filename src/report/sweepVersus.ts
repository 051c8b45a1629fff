/**
 * A/B in a sweep: each profile's failure rate against the first profile's at
 * the same parameters (`--profile nix-2.33,nix-2.33+rootReferencesInWriteDerivation=true`),
 * as the tables and the HTML report show it: `1.00 → 0.00 (−100%)`.
 */
import type { SweepDocument, SweepPointSummary } from '../messages/sweep.js';

/** `1.00 → 0.25 (−75%)`; from a rate of 0 there is no ratio: `(from 0)`, or `(no change)`. */
export function rateChange(from: number, to: number): string {
  const head = `${from.toFixed(2)} → ${to.toFixed(2)}`;
  if (from === 0) return `${head} (${to === 0 ? 'no change' : 'from 0'})`;
  const pct = Math.round(((to - from) / from) * 100);
  return `${head} (${pct === 0 ? '±0' : pct > 0 ? `+${pct}` : `−${-pct}`}%)`;
}

/** The profile every other is compared with: the first of the sweep's profiles, when there are two or more. */
export function baselineProfile(doc: SweepDocument): string | null {
  const profiles = [...new Set(doc.points.map((p) => p.profile))];
  return profiles.length > 1 ? profiles[0]! : null;
}

const sameParams = (a: SweepPointSummary, b: SweepPointSummary): boolean => Object.keys(a.params).every((k) => a.params[k] === b.params[k]);

/** The baseline's point at `p`'s parameters (null for a baseline point, or without a baseline). */
export function baselineOf(doc: SweepDocument, p: SweepPointSummary): SweepPointSummary | null {
  const base = baselineProfile(doc);
  if (base === null || p.profile === base) return null;
  return doc.points.find((q) => q.profile === base && sameParams(q, p)) ?? null;
}

/** The cell of the `rate vs <baseline>` column: '' for the baseline's own points. */
export function versusCell(doc: SweepDocument, p: SweepPointSummary): string {
  const b = baselineOf(doc, p);
  return b === null ? '' : rateChange(b.rate, p.rate);
}

/** One line per other profile: its rate over every point against the baseline's over the same points. */
export function versusLines(doc: SweepDocument): string[] {
  const base = baselineProfile(doc);
  if (base === null) return [];
  const others = [...new Set(doc.points.map((p) => p.profile))].filter((p) => p !== base);
  return others.map((name) => {
    const pairs = doc.points.filter((p) => p.profile === name).map((p) => [baselineOf(doc, p), p] as const).filter((x): x is readonly [SweepPointSummary, SweepPointSummary] => x[0] !== null);
    const runs = (xs: readonly SweepPointSummary[]) => xs.reduce((n, x) => n + x.runs, 0);
    const failing = (xs: readonly SweepPointSummary[]) => xs.reduce((n, x) => n + x.runsWithFinding, 0);
    const a = pairs.map(([b]) => b);
    const b = pairs.map(([, p]) => p);
    const rate = (xs: readonly SweepPointSummary[]) => (runs(xs) === 0 ? 0 : failing(xs) / runs(xs));
    return `${name} vs ${base}: rate ${rateChange(rate(a), rate(b))} over ${pairs.length} point${pairs.length === 1 ? '' : 's'} (${failing(a)}/${runs(a)} vs ${failing(b)}/${runs(b)} runs with a finding)`;
  });
}
