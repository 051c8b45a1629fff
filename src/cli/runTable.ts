/**
 * `rootrace run`'s tables: one row per profile (runs, runs with a finding,
 * rate, its 95% Wilson interval, and with two or more profiles the rate
 * against the first's), then per looping process its failures per iteration
 * with their interval. Both keep to the width (report/table.ts).
 */
import { fitTable, hiddenNote, type TableColumn } from '../report/table.js';
import { rateChange } from '../report/sweepVersus.js';
import type { ProfileSummary } from '../scenarios/index.js';
import { wilson } from '../scenarios/sweep/stats.js';

const interval = (low: number, high: number, digits: number): string => `[${low.toFixed(digits)}, ${high.toFixed(digits)}]`;

/** The profile table: runs, runs with a finding, rate and its interval, and the rate against the first profile's. */
export function profileTable(profiles: readonly ProfileSummary[], width: number | null): string[] {
  const ab = profiles.length > 1;
  const first = profiles[0];
  const cols: TableColumn[] = [
    { head: 'profile', align: 'left' },
    { head: 'runs', align: 'right' },
    { head: 'with finding', align: 'right' },
    { head: 'rate', align: 'right' },
    { head: '95% CI', align: 'left' },
    ...(ab && first ? [{ head: `rate vs ${first.profile}`, align: 'left' as const }] : []),
  ];
  const rows = profiles.map((p, i) => [
    p.profile,
    String(p.runs),
    String(p.runsWithFinding),
    p.rate.toFixed(2),
    interval(p.low, p.high, 2),
    ...(ab && first ? [i === 0 ? '' : rateChange(first.rate, p.rate)] : []),
  ]);
  const main = fitTable(cols, rows, width);
  return [...main.lines, ...hiddenNote(main, width)];
}

/** Per profile and looping process: iterations, failed, and the failures per iteration with their interval (none without loops). */
export function loopTable(profiles: readonly ProfileSummary[], width: number | null): string[] {
  const loops = profiles.flatMap((p) => Object.entries(p.iterations ?? {}).map(([proc, c]) => [p.profile, proc, c] as const));
  if (loops.length === 0) return [];
  const cols: TableColumn[] = [
    { head: 'profile', align: 'left' },
    { head: 'loop', align: 'left' },
    { head: 'iterations', align: 'right' },
    { head: 'failed', align: 'right' },
    { head: 'per iteration', align: 'right' },
    { head: '95% CI', align: 'left' },
  ];
  const rows = loops.map(([profile, proc, c]) => {
    const w = wilson(c.failed, c.total);
    return [profile, proc, String(c.total), String(c.failed), c.rate.toFixed(3), interval(w.low, w.high, 3)];
  });
  const t = fitTable(cols, rows, width);
  return [...t.lines, ...hiddenNote(t, width)];
}
