/** savedRuns.ts: which folders are rootrace's, their order (oldest first), and the cap. */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { foreignEntries, listSaved, pruneSaved } from '../../../src/cli/savedRuns.js';

function root(names: readonly string[]): string {
  const r = mkdtempSync(join(tmpdir(), 'rootrace-saved-'));
  for (const n of names) {
    mkdirSync(join(r, n));
    writeFileSync(join(r, n, 'result.json'), '{}');
  }
  return r;
}

it('lists run and sweep folders oldest first by the time in their names; other entries are foreign', () => {
  const r = root(['b-seed2-20260102-000000', 'sweep-a-seed1-20260101-120000', 'a-seed1-20260101-000000-2', 'a-seed1-20260101-000000', 'schedules', 'mine', 'a-seed1-2026']);
  writeFileSync(join(r, 'notes.txt'), '');
  expect(listSaved(r).map((f) => f.name)).toEqual(['a-seed1-20260101-000000', 'a-seed1-20260101-000000-2', 'sweep-a-seed1-20260101-120000', 'b-seed2-20260102-000000']);
  expect(listSaved(r)[0]).toMatchObject({ files: 1, bytes: 2 });
  expect(foreignEntries(r)).toEqual(['a-seed1-2026', 'mine', 'notes.txt']);
});

it('the cap keeps the newest N, the current folder among them, and touches nothing else', () => {
  const r = root(['x-seed1-20260101-000001', 'x-seed1-20260101-000002', 'x-seed1-20260101-000003', 'x-seed1-20260101-000004', 'mine']);
  // The current folder is counted even if it is not the newest by name (a clock set back).
  const removed = pruneSaved(r, 2, join(r, 'x-seed1-20260101-000001'));
  expect(removed.map((f) => f.name)).toEqual(['x-seed1-20260101-000002', 'x-seed1-20260101-000003']);
  expect(readdirSync(r).sort()).toEqual(['mine', 'x-seed1-20260101-000001', 'x-seed1-20260101-000004']);
  expect(pruneSaved(r, 2, join(r, 'x-seed1-20260101-000004'))).toEqual([]);
});
