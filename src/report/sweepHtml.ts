/**
 * One self-contained HTML file for a sweep: inline SVG charts of the failure
 * rate (with its 95% interval band) and of throughput against each swept
 * parameter, one line per profile, then the table. No script, no network.
 * Round ticks, a log₂ axis for worker counts and powers of two (chartAxes.ts),
 * the legend below the plot with swatches in the series' colours, and trace
 * links as the document names them (relative, when the export copied them).
 */
import type { SweepDocument, SweepPointSummary } from '../messages/sweep.js';
import { baselineProfile, versusCell, versusLines } from './sweepVersus.js';
import { paramAxis, valueAxis } from './chartAxes.js';

/** The plot area (data only) and the margins around it: tick labels, axis titles, and the legend below, outside the data. */
const PLOT = { w: 440, h: 200 };
const M = { l: 60, r: 20, t: 30 };
/** Points sit this far inside the plot's left and right edges, off the axis line. */
const X_INSET = 14;
/** From the plot's bottom edge: tick labels, the axis title, then the legend rows. */
const BELOW = { ticks: 16, title: 34, legend: 50 };
const LEGEND_ROW = 18;
const SWATCH = 12;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** A trace's name as an href: relative names (copied beside the report) stay relative; characters a URL cannot hold are escaped. */
const href = (path: string): string => esc(encodeURI(path));

interface Series {
  readonly name: string;
  readonly pts: readonly { x: number; y: number; lo?: number; hi?: number; p: SweepPointSummary }[];
}

function chart(title: string, xName: string, yName: string, series: readonly Series[], yTop: number | null, kind: string): string {
  const xs = series.flatMap((s) => s.pts.map((p) => p.x));
  const xAxis = paramAxis(xName, xs);
  const yAxis = valueAxis(Math.max(0, ...series.flatMap((s) => s.pts.map((p) => p.hi ?? p.y))), yTop);
  const plot = { x: M.l, y: M.t, w: PLOT.w, h: PLOT.h };
  const bottom = plot.y + plot.h;
  const sx = (x: number): number => round1(plot.x + X_INSET + xAxis.at(x) * (plot.w - 2 * X_INSET));
  const sy = (y: number): number => round1(bottom - yAxis.at(y) * plot.h);
  // About 6.5 px per character of an 11px legend line: the chart widens for long series names rather than clip them.
  const longest = Math.max(0, ...series.map((s) => s.name.length));
  const W = Math.max(plot.x + plot.w + M.r, plot.x + SWATCH + 8 + Math.ceil(longest * 6.5) + M.r);
  const legendTop = bottom + BELOW.legend;
  const H = legendTop + series.length * LEGEND_ROW + 8;
  const parts: string[] = [];
  parts.push(`<text x="${round1(plot.x + plot.w / 2)}" y="18" text-anchor="middle" class="title">${esc(title)}</text>`);
  parts.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" class="plot-area" fill="none"/>`);
  for (const v of yAxis.ticks) {
    parts.push(`<line x1="${plot.x}" y1="${sy(v)}" x2="${plot.x + plot.w}" y2="${sy(v)}" class="grid"/>`);
    parts.push(`<text x="${plot.x - 6}" y="${sy(v) + 4}" text-anchor="end" class="tick" data-axis="y">${yAxis.label(v)}</text>`);
  }
  for (const v of xAxis.ticks) {
    parts.push(`<line x1="${sx(v)}" y1="${bottom}" x2="${sx(v)}" y2="${bottom + 4}" class="axis"/>`);
    parts.push(`<text x="${sx(v)}" y="${bottom + BELOW.ticks}" text-anchor="middle" class="tick" data-axis="x">${xAxis.label(v)}</text>`);
  }
  parts.push(`<line x1="${plot.x}" y1="${bottom}" x2="${plot.x + plot.w}" y2="${bottom}" class="axis"/>`);
  parts.push(`<line x1="${plot.x}" y1="${plot.y}" x2="${plot.x}" y2="${bottom}" class="axis"/>`);
  const xTitle = xAxis.kind === 'log2' ? `${xName} (log₂ scale)` : xName;
  parts.push(`<text x="${round1(plot.x + plot.w / 2)}" y="${bottom + BELOW.title}" text-anchor="middle">${esc(xTitle)}</text>`);
  parts.push(`<text x="16" y="${round1(plot.y + plot.h / 2)}" transform="rotate(-90 16 ${round1(plot.y + plot.h / 2)})" text-anchor="middle">${esc(yName)}</text>`);
  const legend: string[] = [];
  series.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length]!;
    const pts = s.pts.slice().sort((a, b) => a.x - b.x);
    if (pts.every((p) => p.lo !== undefined)) {
      const band = [...pts.map((p) => `${sx(p.x)},${sy(p.hi!)}`), ...pts.slice().reverse().map((p) => `${sx(p.x)},${sy(p.lo!)}`)].join(' ');
      parts.push(`<polygon points="${band}" fill="${c}" fill-opacity="0.15" class="band" data-series="${esc(s.name)}"/>`);
    }
    parts.push(`<polyline points="${pts.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')}" fill="none" stroke="${c}" stroke-width="2" class="line" data-series="${esc(s.name)}"/>`);
    for (const p of pts) {
      const tip = `${s.name} ${xName}=${p.x}: ${yName} ${p.y.toFixed(3)}${p.lo !== undefined ? ` [${p.lo.toFixed(2)}, ${p.hi!.toFixed(2)}]` : ''}`;
      const dot = `<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="4" fill="${c}" class="point" data-kind="${kind}" data-x="${p.x}" data-y="${p.y}" data-series="${esc(s.name)}"><title>${esc(tip)}</title></circle>`;
      parts.push(p.p.trace ? `<a href="${href(p.p.trace)}" class="trace">${dot}</a>` : dot);
    }
    const y = legendTop + i * LEGEND_ROW;
    // The swatch carries the colour as an attribute of a shape the stylesheet leaves alone (a CSS fill on text once overrode it).
    legend.push(`<g class="legend-item" data-series="${esc(s.name)}" data-colour="${c}"><rect x="${plot.x}" y="${y}" width="${SWATCH}" height="${SWATCH}" fill="${c}" class="swatch"/><text x="${plot.x + SWATCH + 6}" y="${y + SWATCH - 2}">${esc(s.name)}</text></g>`);
  });
  parts.push(`<g class="legend">${legend.join('')}</g>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" class="chart" data-kind="${kind}" data-x="${esc(xName)}" data-x-scale="${xAxis.kind}">${parts.join('')}</svg>`;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Series along one axis: one line per combination of the other coordinates (profile first). */
function seriesAlong(doc: SweepDocument, axis: string, y: (p: SweepPointSummary) => { y: number; lo?: number; hi?: number }): Series[] {
  const groups = new Map<string, Series['pts'][number][]>();
  for (const p of doc.points) {
    const rest = p.point.split(',').filter((kv) => !kv.startsWith(`${axis}=`)).join(', ').replace(/profile=/, '');
    (groups.get(rest) ?? groups.set(rest, []).get(rest)!).push({ x: p.params[axis]!, ...y(p), p });
  }
  return [...groups].map(([name, pts]) => ({ name, pts }));
}

export function sweepHtml(doc: SweepDocument, tableHtml = defaultTable(doc)): string {
  const axes = doc.axes.filter((a) => a.name !== 'profile' && a.values.length > 0);
  const charts = axes.flatMap((a) => [
    chart(`failure rate vs ${a.name}`, a.name, 'rate', seriesAlong(doc, a.name, (p) => ({ y: p.rate, lo: p.low, hi: p.high })), 1, 'rate'),
    chart(`throughput vs ${a.name}`, a.name, 'store ops/s', seriesAlong(doc, a.name, (p) => ({ y: p.storeOpsPerSecond })), null, 'throughput'),
  ]);
  if (axes.length === 0) {
    // Only profiles were swept: plot against the profile index.
    const idx = (p: SweepPointSummary): number => doc.points.indexOf(p);
    const one = (f: (p: SweepPointSummary) => { y: number; lo?: number; hi?: number }): Series[] => [{ name: 'profiles', pts: doc.points.map((p) => ({ x: idx(p), ...f(p), p })) }];
    charts.push(chart('failure rate by profile (index)', 'profile #', 'rate', one((p) => ({ y: p.rate, lo: p.low, hi: p.high })), 1, 'rate'));
    charts.push(chart('throughput by profile (index)', 'profile #', 'store ops/s', one((p) => ({ y: p.storeOpsPerSecond })), null, 'throughput'));
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rootrace sweep ${esc(doc.scenario)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222}
.chart{margin:8px 16px 8px 0;border:1px solid #ddd;vertical-align:top}.chart text{font-size:11px;fill:#333}.chart .title{font-size:13px;font-weight:600}
.axis{stroke:#888}.grid{stroke:#eee}table{border-collapse:collapse;margin-top:16px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;white-space:nowrap}td:first-child,th:first-child{text-align:left}
</style></head><body>
<h1>rootrace sweep: ${esc(doc.scenario)}</h1>
<p>runtime ${doc.runtime} · root seed ${doc.rootSeed} · ${doc.runsPerPoint} runs per point · rootrace ${esc(doc.tool.version)} · Node ${esc(doc.platform.node)} ${esc(doc.platform.os)}/${esc(doc.platform.arch)}, ${doc.platform.cores} cores${doc.shard ? ` · shard ${esc(doc.shard)}` : ''}</p>
<div class="charts">${charts.join('\n')}</div>
${tableHtml}
<ul>${[...versusLines(doc), ...doc.recommendation].map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
</body></html>
`;
}

function defaultTable(doc: SweepDocument): string {
  const params = doc.axes.map((a) => a.name).filter((n) => n !== 'profile');
  const base = baselineProfile(doc);
  const head = ['profile', ...params, 'runs', 'failing', 'rate', '95% CI', ...(base === null ? [] : [`rate vs ${base}`]), 'first failing seed', 'median ms to finding', 'runs/s', 'store ops/s', 'trace'];
  const rows = doc.points.map((p) => [
    esc(p.profile),
    ...params.map((n) => String(p.params[n] ?? '')),
    String(p.runs),
    String(p.runsWithFinding),
    p.rate.toFixed(2),
    `[${p.low.toFixed(2)}, ${p.high.toFixed(2)}]`,
    ...(base === null ? [] : [esc(versusCell(doc, p))]),
    p.firstFailingSeed === null ? '-' : String(p.firstFailingSeed),
    p.medianTimeToFindingMs === null ? '-' : p.medianTimeToFindingMs.toFixed(1),
    p.runsPerSecond.toFixed(1),
    p.storeOpsPerSecond.toFixed(0),
    p.trace ? `<a href="${href(p.trace)}" class="trace">trace</a>` : '',
  ]);
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}
