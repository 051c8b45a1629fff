/** Sweep results as a terminal table, CSV and Markdown. */
import type { SweepDocument, SweepPointSummary } from '../messages/sweep.js';
import { baselineProfile, versusCell, versusLines } from './sweepVersus.js';
import { fitTable, hiddenNote } from './table.js';

const f2 = (x: number): string => x.toFixed(2);
const ms = (x: number | null): string => (x === null ? '-' : x.toFixed(1));

interface Column {
  readonly head: string;
  readonly cell: (p: SweepPointSummary) => string;
  /** Left out of a terminal table too wide for its width, highest first (report/table.ts); absent: always shown. */
  readonly drop?: number;
}

function columns(doc: SweepDocument): Column[] {
  const params = doc.axes.map((a) => a.name).filter((n) => n !== 'profile');
  return [
    { head: 'profile', cell: (p) => p.profile },
    ...params.map((n) => ({ head: n, cell: (p: SweepPointSummary) => String(p.params[n] ?? '') })),
    { head: 'runs', cell: (p) => String(p.runs) },
    { head: 'failing', cell: (p) => String(p.runsWithFinding) },
    { head: 'rate', cell: (p) => f2(p.rate) },
    { head: '95% CI', cell: (p) => `[${f2(p.low)}, ${f2(p.high)}]` },
    ...versusColumn(doc),
    // What a tuner reads after the rate goes first when the terminal is narrow: store ops/s, then the median time, runs/s, the seed.
    { head: 'first failing seed', cell: (p) => (p.firstFailingSeed === null ? '-' : String(p.firstFailingSeed)), drop: 1 },
    { head: 'median ms to finding', cell: (p) => ms(p.medianTimeToFindingMs), drop: 3 },
    { head: 'runs/s', cell: (p) => p.runsPerSecond.toFixed(1), drop: 2 },
    { head: 'store ops/s', cell: (p) => p.storeOpsPerSecond.toFixed(0), drop: 4 },
    ...loopColumns(doc),
  ];
}

/** With two or more profiles: each point's rate against the first profile's at the same parameters. */
function versusColumn(doc: SweepDocument): Column[] {
  const base = baselineProfile(doc);
  return base === null ? [] : [{ head: `rate vs ${base}`, cell: (p) => versusCell(doc, p) }];
}

/** With loops: the main loop's failures per iteration (95% interval) and iterations per model second. */
function loopColumns(doc: SweepDocument): Column[] {
  const loop = doc.mainLoop;
  if (loop === undefined) return [];
  const it = (p: SweepPointSummary) => p.iterations?.find((x) => x.process === loop);
  return [
    { head: `${loop} iterations`, cell: (p) => String(it(p)?.total ?? 0), drop: 5 },
    { head: `${loop} failing/iter`, cell: (p) => { const x = it(p); return x ? `${f3(x.rate)} [${f3(x.low)}, ${f3(x.high)}]` : '-'; } },
    { head: `${loop}/model s`, cell: (p) => { const x = it(p)?.perModelSecond; return x === undefined || x === null ? '-' : x.toFixed(1); } },
  ];
}

const f3 = (x: number): string => x.toFixed(3);

/** The terminal table: at most `width` columns (cells wrap, the least needed columns go and are named), or every column with null. */
export function sweepTable(doc: SweepDocument, width: number | null = null): string {
  const cols = columns(doc);
  const rows = doc.points.map((p) => cols.map((c) => c.cell(p)));
  const table = fitTable(cols.map((c, i) => ({ head: c.head, align: i === 0 ? 'left' : 'right', ...(c.drop !== undefined ? { drop: c.drop } : {}) })), rows, width);
  const shard = doc.shard ? `   shard ${doc.shard}` : doc.shardsMerged ? `   merged from ${doc.shardsMerged} shards` : '';
  return [
    `sweep ${doc.scenario}   runtime ${doc.runtime}   seed ${doc.rootSeed}   ${doc.runsPerPoint} runs/point${shard}`,
    '',
    ...table.lines,
    ...hiddenNote(table, width),
    '',
    ...versusLines(doc),
    ...doc.recommendation,
  ].join('\n');
}

const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function sweepCsv(doc: SweepDocument): string {
  const params = doc.axes.map((a) => a.name).filter((n) => n !== 'profile');
  const head = ['profile', ...params, 'runs', 'runs_with_finding', 'rate', 'ci_low', 'ci_high', 'first_failing_seed', 'median_ms_to_finding', 'runs_per_s', 'store_ops_per_s'];
  const rows = doc.points.map((p) => [
    p.profile,
    ...params.map((n) => String(p.params[n] ?? '')),
    String(p.runs),
    String(p.runsWithFinding),
    String(p.rate),
    String(p.low),
    String(p.high),
    p.firstFailingSeed === null ? '' : String(p.firstFailingSeed),
    p.medianTimeToFindingMs === null ? '' : String(p.medianTimeToFindingMs),
    String(p.runsPerSecond),
    String(p.storeOpsPerSecond),
  ]);
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

export function sweepMarkdown(doc: SweepDocument): string {
  const cols = columns(doc);
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [
    `**rootrace sweep** \`${doc.scenario}\` — runtime ${doc.runtime}, seed ${doc.rootSeed}, ${doc.runsPerPoint} runs per point, rootrace ${doc.tool.version}, Node ${doc.platform.node} on ${doc.platform.os}/${doc.platform.arch} (${doc.platform.cores} cores)`,
    '',
    `| ${cols.map((c) => esc(c.head)).join(' | ')} |`,
    `|${cols.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...doc.points.map((p) => `| ${cols.map((c) => esc(c.cell(p))).join(' | ')} |`),
    '',
    ...[...versusLines(doc), ...doc.recommendation].map((r) => `- ${r}`),
    '',
  ].join('\n');
}
