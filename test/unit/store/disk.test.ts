import { describe, expect, it } from 'vitest';
import { Store, capacitiesFor } from '../../../src/store/index.js';
import { newStore, textPath } from './helpers.js';

function storeOf(totalBytes: number): Store {
  return Store.create(capacitiesFor({ paths: 16 }), totalBytes);
}

describe('Disk', () => {
  it('creates entries and accounts their bytes', () => {
    const s = storeOf(1000);
    const [a, b] = [s.intern(textPath('a')), s.intern(textPath('b'))];
    expect(s.disk.exists(a)).toBe(false);
    s.disk.create(a, 100);
    s.disk.create(b, 250);
    expect(s.disk.exists(a)).toBe(true);
    expect(s.disk.sizeOf(b)).toBe(250);
    expect(s.disk.usedBytes()).toBe(350);
    expect(s.disk.totalBytes()).toBe(1000);
    expect(s.disk.freeSpace()).toBe(650);
  });

  it('ignores a second create of an entry that exists (no double count, size unchanged)', () => {
    const s = storeOf(1000);
    const a = s.intern(textPath('a'));
    s.disk.create(a, 100);
    s.disk.create(a, 999);
    expect(s.disk.sizeOf(a)).toBe(100);
    expect(s.disk.usedBytes()).toBe(100);
  });

  it('removes an entry, returning its bytes the first time and 0 after', () => {
    const s = storeOf(1000);
    const a = s.intern(textPath('a'));
    s.disk.create(a, 100);
    expect(s.disk.remove(a)).toBe(100);
    expect(s.disk.exists(a)).toBe(false);
    expect(s.disk.usedBytes()).toBe(0);
    expect(s.disk.remove(a)).toBe(0);
    expect(s.disk.usedBytes()).toBe(0);
    const never = s.intern(textPath('never'));
    expect(s.disk.remove(never)).toBe(0);
  });

  it('lets a removed entry be created again with a new size', () => {
    const s = storeOf(1000);
    const a = s.intern(textPath('a'));
    s.disk.create(a, 100);
    s.disk.remove(a);
    s.disk.create(a, 40);
    expect(s.disk.usedBytes()).toBe(40);
    expect(s.disk.remove(a)).toBe(40);
  });

  it('is independent of validity: valid paths can be absent and invalid ones present', () => {
    const s = storeOf(1000);
    const [a, b] = [s.intern(textPath('a')), s.intern(textPath('b'))];
    s.db.registerValidPaths([{ path: a, references: [] }]);
    s.disk.create(b, 5);
    expect(s.disk.exists(a)).toBe(false);
    expect(s.disk.exists(b)).toBe(true);
    expect(s.db.isValid(b)).toBe(false);
  });

  it('lists every entry on disk, junk included, in the order the names were first interned', () => {
    const s = storeOf(1000);
    const p = textPath('x');
    const x = s.intern(p);
    const lock = s.intern(`${p}.lock`);
    const tmp = s.intern('tmp-1');
    const y = s.intern(textPath('y'));
    const never = s.intern(textPath('not-on-disk'));
    for (const id of [x, lock, tmp, y]) s.disk.create(id, 1);
    expect(s.disk.list()).toEqual([x, lock, tmp, y]);
    expect(s.disk.list()).not.toContain(never);
    s.disk.remove(lock);
    expect(s.disk.list()).toEqual([x, tmp, y]);
  });

  it('orders the listing by first intern, not by creation: a name interned early lists early', () => {
    // A path is often interned (as a reference or a temp root) before its files
    // are written; the GC's readdir order follows the intern order, and an
    // entry deleted and written again keeps its place.
    const s = storeOf(1000);
    const early = s.intern(textPath('early'));
    const late = s.intern(textPath('late'));
    s.disk.create(late, 1);
    s.disk.create(early, 1);
    expect(s.disk.list()).toEqual([early, late]);
    s.disk.remove(early);
    s.disk.create(early, 1);
    expect(s.disk.list()).toEqual([early, late]);
  });

  it('keeps a BigInt count: used bytes may pass 2^31', () => {
    const s = storeOf(2 ** 40);
    const [a, b] = [s.intern(textPath('a')), s.intern(textPath('b'))];
    s.disk.create(a, 0x7fff_ffff);
    s.disk.create(b, 0x7fff_ffff);
    expect(s.disk.usedBytes()).toBe(2 * 0x7fff_ffff);
    expect(s.disk.freeSpace()).toBe(2 ** 40 - 2 * 0x7fff_ffff);
  });

  it('refuses sizes that are negative, fractional or above 2^31 - 1', () => {
    const s = storeOf(1000);
    const a = s.intern(textPath('a'));
    for (const bad of [-1, 1.5, 2 ** 31, Number.NaN]) expect(() => s.disk.create(a, bad)).toThrow(RangeError);
    expect(s.disk.exists(a)).toBe(false);
    expect(s.disk.usedBytes()).toBe(0);
  });

  it('reports free space as total − used, never below 0', () => {
    const s = storeOf(100);
    const a = s.intern(textPath('a'));
    s.disk.create(a, 150);
    expect(s.disk.freeSpace()).toBe(0);
    s.disk.setTotalBytes(1000);
    expect(s.disk.totalBytes()).toBe(1000);
    expect(s.disk.freeSpace()).toBe(850);
  });

  it('reports the override while one is set (like _NIX_TEST_FREE_SPACE_FILE), and total − used after', () => {
    const s = storeOf(1000);
    const a = s.intern(textPath('a'));
    s.disk.create(a, 100);
    s.disk.setFreeSpaceOverride(42);
    expect(s.disk.freeSpace()).toBe(42);
    s.disk.remove(a);
    expect(s.disk.freeSpace()).toBe(42);
    s.disk.setFreeSpaceOverride(0);
    expect(s.disk.freeSpace()).toBe(0);
    s.disk.setFreeSpaceOverride(null);
    expect(s.disk.freeSpace()).toBe(1000);
  });

  it('defaults the filesystem to 1 GiB', () => {
    expect(newStore().disk.totalBytes()).toBe(1 << 30);
  });
});
