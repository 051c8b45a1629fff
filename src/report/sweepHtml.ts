/**
 * One self-contained HTML file for a sweep: inline SVG charts of the failure
 * rate (with its 95% interval band) and of throughput against each swept
 * parameter, one line per profile, then the table. No script, no network.
 */
import type { SweepDocument, SweepPointSummary } from '../messages/sweep.js';
import { baselineProfile, versusCell, versusLines } from './sweepVersus.js';

const W = 520;
const H = 260;
const PAD = { l: 56, r: 16, t: 28, b: 40 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Series {
  readonly name: string;
  readonly pts: readonly { x: number; y: number; lo?: number; hi?: number; p: SweepPointSummary }[];
}

function chart(title: string, xName: string, yName: string, series: readonly Series[], yMax: number | null, kind: string): string {
  const xs = series.flatMap((s) => s.pts.map((p) => p.x));
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const top = yMax ?? Math.max(1e-9, ...series.flatMap((s) => s.pts.map((p) => p.hi ?? p.y))) * 1.1;
  const sx = (x: number): number => PAD.l + (xMax === xMin ? 0.5 : (x - xMin) / (xMax - xMin)) * (W - PAD.l - PAD.r);
  const sy = (y: number): number => H - PAD.b - (y / top) * (H - PAD.t - PAD.b);
  const parts: string[] = [];
  parts.push(`<text x="${W / 2}" y="16" text-anchor="middle" class="title">${esc(title)}</text>`);
  parts.push(`<line x1="${PAD.l}" y1="${H - PAD.b}" x2="${W - PAD.r}" y2="${H - PAD.b}" class="axis"/>`);
  parts.push(`<line x1="${PAD.l}" y1="${PAD.t}" x2="${PAD.l}" y2="${H - PAD.b}" class="axis"/>`);
  for (const x of [...new Set(xs)]) parts.push(`<text x="${sx(x)}" y="${H - PAD.b + 16}" text-anchor="middle">${x}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    parts.push(`<text x="${PAD.l - 6}" y="${sy(v) + 4}" text-anchor="end">${v >= 100 ? v.toFixed(0) : v.toFixed(2)}</text>`);
  }
  parts.push(`<text x="${W / 2}" y="${H - 6}" text-anchor="middle">${esc(xName)}</text>`);
  parts.push(`<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">${esc(yName)}</text>`);
  series.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length]!;
    const pts = s.pts.slice().sort((a, b) => a.x - b.x);
    if (pts.every((p) => p.lo !== undefined)) {
      const band = [...pts.map((p) => `${sx(p.x)},${sy(p.hi!)}`), ...pts.slice().reverse().map((p) => `${sx(p.x)},${sy(p.lo!)}`)].join(' ');
      parts.push(`<polygon points="${band}" fill="${c}" fill-opacity="0.15" class="band" data-series="${esc(s.name)}"/>`);
    }
    parts.push(`<polyline points="${pts.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')}" fill="none" stroke="${c}" stroke-width="2"/>`);
    for (const p of pts) {
      const tip = `${s.name} ${xName}=${p.x}: ${yName} ${p.y.toFixed(3)}${p.lo !== undefined ? ` [${p.lo.toFixed(2)}, ${p.hi!.toFixed(2)}]` : ''}`;
      const dot = `<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="4" fill="${c}" class="point" data-kind="${kind}" data-x="${p.x}" data-y="${p.y}"><title>${esc(tip)}</title></circle>`;
      parts.push(p.p.trace ? `<a href="${esc(p.p.trace)}">${dot}</a>` : dot);
    }
    parts.push(`<text x="${W - PAD.r - 4}" y="${PAD.t + 14 * (i + 1)}" text-anchor="end" fill="${c}">${esc(s.name)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" class="chart" data-kind="${kind}" data-x="${esc(xName)}">${parts.join('')}</svg>`;
}

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
.chart{margin:8px 16px 8px 0;border:1px solid #ddd}.chart text{font-size:11px;fill:#333}.chart .title{font-size:13px;font-weight:600}
.axis{stroke:#888}table{border-collapse:collapse;margin-top:16px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}
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
    p.trace ? `<a href="${esc(p.trace)}">trace</a>` : '',
  ]);
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}
