/**
 * The sweep's HTML report opened in a real headless Chromium (Debian's
 * `chromium`, installed by .ci/run): the charts render with their data points,
 * and the page makes no network request.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

it('the HTML report renders its charts in Chromium without touching the network', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rootrace-html-'));
  const html = join(dir, 'sweep.html');
  const code = await new Promise<number>((resolve) =>
    execFile(process.execPath, [cli, 'sweep', 'pr-15158', '--runtime', 'sim', '--param', 'evaluators=1,2', '--profile', 'nix-2.33,nix-2.35', '--runs', '2', '--seed', '4', '--export-html', html], { timeout: 300_000 }, (err) =>
      resolve(err ? (typeof err.code === 'number' ? err.code : 99) : 0),
    ),
  );
  expect(code).toBe(1); // nix-2.33 fails
  expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(html).href);
    // Runs in the page (a string, so the Node-only type environment does not have to know the DOM).
    const charts = await page.evaluate<{ kind: string; width: number; height: number; points: { y: number; w: number }[] }[]>(`[...document.querySelectorAll('svg.chart')].map((s) => {
      const box = s.getBoundingClientRect();
      const points = [...s.querySelectorAll('circle.point')].map((c) => ({ y: Number(c.getAttribute('data-y')), w: c.getBoundingClientRect().width }));
      return { kind: s.getAttribute('data-kind'), width: box.width, height: box.height, points };
    })`);
    expect(charts.map((c) => c.kind)).toEqual(['rate', 'throughput']);
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(100);
      expect(c.height).toBeGreaterThan(100);
      expect(c.points).toHaveLength(4); // 2 profiles × 2 evaluator counts
      for (const p of c.points) expect(p.w).toBeGreaterThan(0); // drawn, not just present
    }
    const rates = charts[0]!.points.map((p) => p.y).sort((a, b) => a - b);
    expect(rates).toEqual([0, 0, 1, 1]);
    expect(await page.evaluate(`document.querySelectorAll('table tbody tr').length`)).toBe(4);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  } finally {
    await browser.close();
  }
});
