/** Terminal tables keep to a width: the first column wraps, the least needed columns go (and are named), --wide keeps all. */
import { describe, expect, it } from 'vitest';
import { fitTable, hiddenNote, wrap, type TableColumn } from '../../../src/report/table.js';

const cols: TableColumn[] = [
  { head: 'profile', align: 'left' },
  { head: 'runs', align: 'right' },
  { head: 'rate', align: 'right' },
  { head: 'runs/s', align: 'right', drop: 1 },
  { head: 'store ops/s', align: 'right', drop: 2 },
];
const V = 'nix-2.33+rootReferencesInWriteDerivation=true+rootReferencesInAddToStore=true';
const rows = [
  ['nix-2.33', '20', '1.00', '44.9', '1567'],
  [V, '20', '0.00', '19.3', '1201'],
];

describe('fitTable', () => {
  it('without a width: one line per row, every column, cells aligned', () => {
    const t = fitTable(cols, rows, null);
    expect(t.hidden).toEqual([]);
    expect(t.lines).toHaveLength(3);
    expect(t.lines[2]).toMatch(new RegExp(`^${V.replace(/\+/g, '\\+')} +20  0\\.00 +19\\.3 +1201$`));
    expect(hiddenNote(t, null)).toEqual([]);
  });

  it.each([100, 80, 60, 40])('at %i columns: no line is wider, the first column wraps before its parts are lost', (width) => {
    const t = fitTable(cols, rows, width);
    for (const l of t.lines) expect(l.length).toBeLessThanOrEqual(width);
    // The wrapped name, its pieces joined, is the name: nothing is cut off.
    const i = t.lines.findIndex((l) => l.includes('0.00'));
    const pieces = [t.lines[i]!.split(/ {2,}/)[0]!, ...t.lines.slice(i + 1).filter((l) => l.startsWith('  ')).map((l) => l.trim())];
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(V);
  });

  it('drops the highest drop first, then the next, and names them in table order', () => {
    const narrow = fitTable(cols, [['a', '1', '1.00', '44.9', '1567']], 30);
    expect(narrow.hidden).toEqual(['store ops/s']);
    const narrower = fitTable(cols, [['a', '1', '1.00', '44.9', '1567']], 14);
    expect(narrower.hidden).toEqual(['runs/s', 'store ops/s']);
    expect(hiddenNote(narrower, 14)).toEqual(['(left out to fit 14 columns: runs/s, store ops/s; --wide shows them)']);
    // A column without drop stays, even when the table cannot fit.
    expect(fitTable(cols, [['a', '1', '1.00', '44.9', '1567']], 5).lines[0]).toContain('rate');
  });

  it('keeps a table that fits as it is', () => {
    const t = fitTable(cols, [['a', '1', '1.00', '44.9', '1567']], 100);
    expect(t.hidden).toEqual([]);
    expect(t.lines).toEqual(fitTable(cols, [['a', '1', '1.00', '44.9', '1567']], null).lines);
  });
});

describe('wrap', () => {
  it('breaks before + and after , or a space; continuation pieces are indented and may use `more`', () => {
    expect(wrap('nix-2.33+x=true', 10)).toEqual(['nix-2.33', '  +x=true']);
    expect(wrap('profile=a, evaluators=2', 12)).toEqual(['profile=a,', '  evaluators', '  =2']);
    expect(wrap('profile=a, evaluators=2', 12, 14)).toEqual(['profile=a,', '  evaluators=2']);
    expect(wrap('nix-2.33+rootReferencesInWriteDerivation=true', 12, 60)).toEqual(['nix-2.33', '  +rootReferencesInWriteDerivation=true']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', '  ef', '  gh', '  ij']);
  });
});
