/** outputs.ts: atomic writes (no temporary left, the old file intact on failure) and the checks that refuse an unwritable path before any run. */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputDir, checkOutputFile, pendingTemporaries, writeFileAtomic, writeFileAtomicAsync } from '../../../src/cli/outputs.js';

const dir = mkdtempSync(join(tmpdir(), 'rootrace-outputs-'));

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary beside it', async () => {
    const f = join(dir, 'a.json');
    writeFileSync(f, 'old');
    writeFileAtomic(f, '{"new":1}');
    expect(readFileSync(f, 'utf8')).toBe('{"new":1}');
    await writeFileAtomicAsync(f, '{"new":2}');
    expect(readFileSync(f, 'utf8')).toBe('{"new":2}');
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(pendingTemporaries()).toBe(0);
  });

  it('a write that fails leaves the target as it was and no temporary', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    // A directory in the way: the rename over it fails after the temporary was written.
    mkdirSync(join(sub, 'x.csv'));
    expect(() => writeFileAtomic(join(sub, 'x.csv'), 'data')).toThrow(/EISDIR|ENOTDIR|EEXIST|ENOTEMPTY/);
    await expect(writeFileAtomicAsync(join(sub, 'x.csv'), 'data')).rejects.toThrow();
    expect(readdirSync(sub)).toEqual(['x.csv']);
    expect(() => writeFileAtomic(join(dir, 'missing', 'y.csv'), 'data')).toThrow(/ENOENT/);
    expect(pendingTemporaries()).toBe(0);
  });
});

describe('checkOutputFile and checkOutputDir', () => {
  it('refuse a missing folder, a directory and a path under a file, naming the option and path', () => {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, '');
    expect(() => checkOutputFile('--export-csv', join(dir, 'nope', 'x.csv'))).toThrow(`--export-csv '${join(dir, 'nope', 'x.csv')}': cannot write there: directory '${join(dir, 'nope')}' does not exist`);
    expect(() => checkOutputFile('--trace', dir)).toThrow(`--trace '${dir}': cannot write there: it is a directory`);
    expect(() => checkOutputFile('--events', join(file, 'e.ndjson'))).toThrow(/--events '.*plain\.txt\/e\.ndjson': cannot write there: '.*plain\.txt' is not a directory/);
    expect(() => checkOutputFile('--trace', join(dir, `${'x'.repeat(250)}.json`))).toThrow(/the file name is too long/);
    expect(() => checkOutputDir('--out', join(file, 'schedules'))).toThrow(/--out '.*plain\.txt\/schedules': cannot write there: '.*plain\.txt' is not a directory/);
  });

  it('accept a new file in a writable folder, and folders yet to be created under one', () => {
    expect(() => checkOutputFile('--export-csv', join(dir, 'new.csv'))).not.toThrow();
    expect(() => checkOutputDir('--out', join(dir, 'a', 'b', 'c'))).not.toThrow();
  });
});
