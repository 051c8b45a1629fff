/**
 * Golden tests: each recorded or hand-written stream in test/fixtures/events
 * renders to exactly the committed log, roots report (text and JSON) and
 * trace. Rendering is a pure function of the events, so any change to an
 * observer shows up here as a diff. `UPDATE_GOLDEN=1 npx vitest run
 * test/unit/report` rewrites the goldens after an intended change.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildRootsReport, parseEvents, renderNixLog, renderTrace, rootsReportJson, rootsReportText } from '../../../src/report/index.js';

const dir = fileURLToPath(new URL('../../fixtures/events/', import.meta.url));
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort();

function golden(name: string, actual: string): void {
  const path = `${dir}${name}`;
  if (process.env['UPDATE_GOLDEN'] || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe.each(fixtures)('%s', (fixture) => {
  const stem = fixture.replace(/\.ndjson$/, '');
  const events = parseEvents(readFileSync(`${dir}${fixture}`, 'utf8'), fixture);

  it('log at debug level', () => golden(`${stem}.log.golden`, renderNixLog(events, 'debug')));
  it('roots report (text)', () => golden(`${stem}.roots.txt.golden`, rootsReportText(buildRootsReport(events))));
  it('roots report (JSON)', () => golden(`${stem}.roots.json.golden`, rootsReportJson(buildRootsReport(events))));
  it('trace', () => golden(`${stem}.trace.json.golden`, renderTrace(events)));
});

it('finds the fixtures', () => {
  expect(fixtures).toEqual(expect.arrayContaining(['hand-written.ndjson', 'pr-15158-nix-2.33.ndjson', 'pr-15158-nix-2.34.ndjson', 'kill-worker-nix-2.35.ndjson']));
});
