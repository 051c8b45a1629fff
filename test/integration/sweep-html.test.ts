/**
 * The sweep's HTML report opened in a real headless Chromium (Debian's
 * `chromium`, installed by .ci/run), read by its pixels as well as its DOM:
 * each legend swatch is drawn in its series' stroke colour, the plot holds
 * those colours, no legend pixel falls inside a plot, the evaluator axis is
 * log₂ with equally spaced doublings and the value axes have round ticks; the
 * trace links are relative and still open after the report's folder moved;
 * and the page makes no network request.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { decodePng, near, pixel, rgb, type Image } from './png.js';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

interface Box { x: number; y: number; w: number; h: number }
interface ChartGeometry {
  kind: string;
  scale: string;
  box: Box;
  plot: Box;
  points: { y: number; w: number; series: string }[];
  lines: { series: string; stroke: string }[];
  legend: { series: string; colour: string; swatch: Box; item: Box }[];
  xTicks: { v: number; cx: number }[];
  yTicks: number[];
}

/** Every chart's geometry in page pixels (the page is not scrolled: a full-page screenshot has the same coordinates). */
async function geometry(page: Page): Promise<ChartGeometry[]> {
  // Runs in the page (a string, so the Node-only type environment does not have to know the DOM).
  return page.evaluate<ChartGeometry[]>(`[...document.querySelectorAll('svg.chart')].map((s) => {
    const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height }; };
    return {
      kind: s.getAttribute('data-kind'),
      scale: s.getAttribute('data-x-scale'),
      box: box(s),
      plot: box(s.querySelector('.plot-area')),
      points: [...s.querySelectorAll('circle.point')].map((c) => ({ y: Number(c.getAttribute('data-y')), w: c.getBoundingClientRect().width, series: c.getAttribute('data-series') })),
      lines: [...s.querySelectorAll('polyline.line')].map((l) => ({ series: l.getAttribute('data-series'), stroke: l.getAttribute('stroke') })),
      legend: [...s.querySelectorAll('.legend-item')].map((g) => ({ series: g.getAttribute('data-series'), colour: g.getAttribute('data-colour'), swatch: box(g.querySelector('.swatch')), item: box(g) })),
      xTicks: [...s.querySelectorAll('text.tick[data-axis=x]')].map((t) => { const b = box(t); return { v: Number(t.textContent), cx: b.x + b.w / 2 }; }),
      yTicks: [...s.querySelectorAll('text.tick[data-axis=y]')].map((t) => Number(t.textContent)),
    };
  })`);
}

const inside = (b: Box, x: number, y: number): boolean => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h;

function countNear(img: Image, b: Box, colour: [number, number, number]): number {
  let n = 0;
  for (let y = Math.ceil(b.y); y < b.y + b.h; y++) for (let x = Math.ceil(b.x); x < b.x + b.w; x++) if (near(pixel(img, x, y), colour)) n++;
  return n;
}

it('the HTML report: swatches in the series colours, the legend outside the plots, log₂ and round ticks, relative trace links that survive a move', async () => {
  const work = mkdtempSync(join(tmpdir(), 'rootrace-html-'));
  const made = join(work, 'ci', 'report');
  mkdirSync(made, { recursive: true });
  const code = await new Promise<number>((resolve) =>
    execFile(
      process.execPath,
      [cli, 'sweep', 'pr-15158', '--runtime', 'sim', '--param', 'evaluators=1,2,4', '--profile', 'nix-2.33,nix-2.35', '--runs', '2', '--seed', '4', '--export-html', join(made, 'sweep.html')],
      { timeout: 300_000, env: { ...process.env, ROOTRACE_DIR: join(work, '.rootrace') } },
      (err) => resolve(err ? (typeof err.code === 'number' ? err.code : 99) : 0),
    ),
  );
  expect(code).toBe(1); // nix-2.33 fails
  // The folder moves (a CI artifact downloaded elsewhere): the report and its traces go together.
  const moved = join(work, 'elsewhere', 'sweep-report');
  mkdirSync(join(work, 'elsewhere'));
  renameSync(made, moved);
  const html = join(moved, 'sweep.html');
  expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--force-color-profile=srgb'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(html).href);
    const charts = await geometry(page);
    expect(charts.map((c) => c.kind)).toEqual(['rate', 'throughput']);
    for (const c of charts) {
      expect(c.box.w).toBeGreaterThan(100);
      expect(c.box.h).toBeGreaterThan(100);
      expect(c.points).toHaveLength(6); // 2 profiles × 3 evaluator counts
      for (const p of c.points) expect(p.w).toBeGreaterThan(0); // drawn, not just present
      // evaluators 1, 2, 4 are powers of two: a log₂ axis, each doubling the same distance.
      expect(c.scale).toBe('log2');
      expect(c.xTicks.map((t) => t.v)).toEqual([1, 2, 4]);
      expect(c.xTicks[1]!.cx - c.xTicks[0]!.cx).toBeCloseTo(c.xTicks[2]!.cx - c.xTicks[1]!.cx, 0);
      // Round value ticks: from 0, one step of 1, 2, 2.5 or 5 × 10^k.
      const step = c.yTicks[1]! - c.yTicks[0]!;
      expect(c.yTicks[0]).toBe(0);
      c.yTicks.forEach((v, i) => expect(v).toBeCloseTo(i * step, 6));
      const mant = step / 10 ** Math.floor(Math.log10(step));
      expect([1, 2, 2.5, 5].some((m) => Math.abs(m - mant) < 1e-6)).toBe(true);
      // One legend entry per line, in that line's colour; entries outside the plot area.
      expect(c.legend.map((l) => [l.series, l.colour])).toEqual(c.lines.map((l) => [l.series, l.stroke]));
      for (const l of c.legend) {
        const disjoint = l.item.y >= c.plot.y + c.plot.h || l.item.y + l.item.h <= c.plot.y || l.item.x >= c.plot.x + c.plot.w || l.item.x + l.item.w <= c.plot.x;
        expect(disjoint).toBe(true);
      }
    }
    expect(charts[0]!.yTicks.at(-1)).toBe(1);
    expect(charts[0]!.points.map((p) => p.y).sort((a, b) => a - b)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(await page.evaluate(`document.querySelectorAll('table tbody tr').length`)).toBe(6);

    // Pixels. The legend's own pixels: those that change when the legend alone is hidden.
    const shown = decodePng(await page.screenshot({ fullPage: true }));
    await page.addStyleTag({ content: '.legend{visibility:hidden}' });
    const hidden = decodePng(await page.screenshot({ fullPage: true }));
    expect([hidden.width, hidden.height]).toEqual([shown.width, shown.height]);
    let legendPixels = 0;
    for (let y = 0; y < shown.height; y++) {
      for (let x = 0; x < shown.width; x++) {
        if (near(pixel(shown, x, y), pixel(hidden, x, y), 0)) continue;
        legendPixels++;
        for (const c of charts) expect(inside(c.plot, x, y), `legend pixel at ${x},${y} inside a plot`).toBe(false);
      }
    }
    expect(legendPixels).toBeGreaterThan(100);
    for (const c of charts) {
      for (const l of c.legend) {
        const colour = rgb(l.colour);
        // The swatch's middle is its series' stroke colour (a stylesheet overriding it would show here).
        expect(pixel(shown, l.swatch.x + l.swatch.w / 2, l.swatch.y + l.swatch.h / 2)).toEqual(colour);
        expect(countNear(shown, l.swatch, colour)).toBeGreaterThanOrEqual((l.swatch.w - 2) * (l.swatch.h - 2));
        // The plot area holds that colour: its line and points are drawn.
        expect(countNear(shown, c.plot, colour)).toBeGreaterThan(100);
      }
    }

    // Trace links: relative, into the folder beside the report, and they open from where the report now is.
    const links = await page.evaluate<string[]>(`[...document.querySelectorAll('a.trace')].map((a) => a.getAttribute('href'))`);
    expect(links.length).toBeGreaterThanOrEqual(3); // the failing points, in the charts and the table
    for (const href of links) {
      expect(href).toMatch(/^sweep\.traces\/[^/]+\.trace\.json$/);
      const target = new URL(href, pathToFileURL(html));
      expect(existsSync(fileURLToPath(target))).toBe(true);
      const trace = await browser.newPage();
      await trace.goto(target.href);
      const body = await trace.evaluate<string>('document.body.innerText');
      expect(JSON.parse(body)).toHaveProperty('traceEvents');
      await trace.close();
    }
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  } finally {
    await browser.close();
  }
});
