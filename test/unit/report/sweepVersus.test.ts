/** A/B in sweeps: each profile's rate against the first profile's at the same point, in the table, Markdown and HTML. */
import { describe, expect, it } from 'vitest';
import type { SweepDocument, SweepPointSummary } from '../../../src/messages/sweep.js';
import { sweepHtml } from '../../../src/report/sweepHtml.js';
import { sweepMarkdown, sweepTable } from '../../../src/report/sweepTable.js';
import { baselineOf, rateChange, versusLines } from '../../../src/report/sweepVersus.js';
import { sweepDocument } from '../../fixtures/sweepDoc.js';

describe('rateChange', () => {
  it.each([
    [1, 0, '1.00 → 0.00 (−100%)'],
    [0.5, 0.75, '0.50 → 0.75 (+50%)'],
    [0.4, 0.4, '0.40 → 0.40 (±0%)'],
    [0, 0, '0.00 → 0.00 (no change)'],
    [0, 0.2, '0.00 → 0.20 (from 0)'],
  ])('%d → %d: %s', (a, b, want) => {
    expect(rateChange(a, b)).toBe(want);
  });
});

const point = (profile: string, evaluators: number, runs: number, failing: number): SweepPointSummary => ({
  point: `profile=${profile},evaluators=${evaluators}`,
  profile,
  params: { evaluators },
  runs,
  runsWithFinding: failing,
  rate: failing / runs,
  low: 0,
  high: 1,
  firstFailingSeed: null,
  medianTimeToFindingMs: null,
  runsPerSecond: 1,
  storeOpsPerSecond: 1,
});

const V = 'nix-2.33+rootReferencesInWriteDerivation=true';
const doc = (points: SweepPointSummary[]): SweepDocument =>
  sweepDocument({
    tool: { name: 'rootrace', version: '0' },
    rootSeed: 1,
    runsPerPoint: 10,
    axes: [{ name: 'profile', values: [...new Set(points.map((p) => p.profile))] }, { name: 'evaluators', values: [1, 2] }],
    points,
    runs: [],
  });

describe('versus the first profile', () => {
  const d = doc([point('nix-2.33', 1, 10, 10), point('nix-2.33', 2, 10, 5), point(V, 1, 10, 0), point(V, 2, 10, 5)]);

  it('pairs each point with the baseline point of the same parameters', () => {
    expect(baselineOf(d, d.points[3]!)).toBe(d.points[1]);
    expect(baselineOf(d, d.points[0]!)).toBeNull();
  });

  it('one line per other profile, pooled over the points', () => {
    expect(versusLines(d)).toEqual([`${V} vs nix-2.33: rate 0.75 → 0.25 (−67%) over 2 points (15/20 vs 5/20 runs with a finding)`]);
  });

  it('the terminal table, Markdown and HTML carry the column and the line', () => {
    for (const text of [sweepTable(d), sweepMarkdown(d), sweepHtml(d)]) {
      expect(text).toContain('rate vs nix-2.33');
      expect(text).toContain('1.00 → 0.00 (−100%)');
      expect(text).toContain('0.50 → 0.50 (±0%)');
      expect(text).toContain(`${V} vs nix-2.33: rate 0.75 → 0.25 (−67%)`);
    }
    expect(sweepMarkdown(d)).toMatch(new RegExp(`^\\| ${V.replace(/\+/g, '\\+')} \\| 1 \\| 10 \\| 0 \\| 0\\.00 \\| \\[0\\.00, 1\\.00\\] \\| 1\\.00 → 0\\.00 \\(−100%\\) \\|`, 'm'));
  });

  it('one profile: no column, no line', () => {
    const one = doc([point('nix-2.33', 1, 10, 10)]);
    expect(versusLines(one)).toEqual([]);
    expect(sweepMarkdown(one)).not.toContain(' vs ');
  });
});
