import { describe, expect, it } from 'vitest';
import { Store, capacitiesFor, hashPartOf, baseNameOf } from '../../../src/store/index.js';
import { CapacityError, isRootraceError } from '../../../src/messages/errors.js';
import { mintPathId } from '../../../src/messages/ids.js';
import { newStore, textPath, thrownBy } from './helpers.js';

describe('PathTable', () => {
  it('interns the same name twice to the same id, by full path or base name', () => {
    const s = newStore();
    const p = textPath('hello');
    const id = s.paths.intern(p);
    expect(s.paths.intern(p)).toBe(id);
    expect(s.paths.intern(baseNameOf(p))).toBe(id);
    expect(s.paths.count()).toBe(1);
  });

  it('gives different names different, dense ids', () => {
    const s = newStore();
    const ids = ['a', 'b', 'c'].map((n) => s.paths.intern(textPath(n)));
    expect(ids).toEqual([0, 1, 2]);
    expect(s.paths.count()).toBe(3);
  });

  it('looks up an unknown name as -1 without interning it', () => {
    const s = newStore();
    expect(s.paths.lookup(textPath('nope'))).toBe(-1);
    expect(s.paths.count()).toBe(0);
    const id = s.paths.intern(textPath('yes'));
    expect(s.paths.lookup(textPath('yes'))).toBe(id);
    expect(s.paths.lookup(baseNameOf(textPath('yes')))).toBe(id);
    expect(s.paths.lookup(textPath('nope'))).toBe(-1);
  });

  it('round-trips name and storePath', () => {
    const s = newStore();
    const p = textPath('round');
    const id = s.paths.intern(p);
    expect(s.paths.storePath(id)).toBe(p);
    expect(s.paths.name(id)).toBe(baseNameOf(p));
    expect(s.storePath(s.intern(p))).toBe(p);
    const junk = s.paths.intern('tmp-1');
    expect(s.paths.name(junk)).toBe('tmp-1');
    expect(s.paths.storePath(junk)).toBe('/nix/store/tmp-1');
  });

  it('gives the hash part of store path names and "" for junk', () => {
    const s = newStore();
    const p = textPath('x');
    const id = s.paths.intern(p);
    expect(s.paths.hashPart(id)).toBe(hashPartOf(baseNameOf(p)));
    expect(s.paths.hashPart(id)).toHaveLength(32);
    expect(s.paths.isStorePathName(id)).toBe(true);
    const tmp = s.paths.intern('tmp-1');
    expect(s.paths.hashPart(tmp)).toBe('');
    expect(s.paths.isStorePathName(tmp)).toBe(false);
  });

  it('gives X.lock its own id but the hash part of X (temp roots match on it)', () => {
    const s = newStore();
    const p = textPath('x');
    const x = s.paths.intern(p);
    const lock = s.paths.intern(`${p}.lock`);
    expect(lock).not.toBe(x);
    expect(s.paths.hashPart(lock)).toBe(s.paths.hashPart(x));
    expect(s.paths.isStorePathName(lock)).toBe(true);
  });

  it('flags names ending in .drv as derivations', () => {
    const s = newStore();
    expect(s.paths.isDerivation(s.paths.intern(textPath('a.drv')))).toBe(true);
    expect(s.paths.isDerivation(s.paths.intern(textPath('a')))).toBe(false);
  });

  it('is shared by every handle on the buffer (another thread sees the same ids)', () => {
    const s = newStore();
    const id = s.paths.intern(textPath('shared'));
    const other = Store.attach(s.sab);
    expect(other.paths.lookup(textPath('shared'))).toBe(id);
    const id2 = other.paths.intern(textPath('second'));
    expect(s.paths.lookup(textPath('second'))).toBe(id2);
    expect(s.paths.name(id2)).toBe(baseNameOf(textPath('second')));
  });

  it('throws RangeError for an id that was never handed out', () => {
    const s = newStore();
    s.paths.intern(textPath('only'));
    expect(() => s.paths.name(mintPathId(5))).toThrow(RangeError);
  });

  it('refuses names that are not printable ASCII', () => {
    const s = newStore();
    expect(() => s.paths.intern('tmp-\n')).toThrow(RangeError);
    expect(() => s.paths.intern('tmp-é')).toThrow(RangeError);
    expect(s.paths.count()).toBe(0);
  });

  it('throws CapacityError when the path table is full, and stays usable', () => {
    const s = Store.create(capacitiesFor({ paths: 4 }));
    const ids = ['a', 'b', 'c', 'd'].map((n) => s.paths.intern(textPath(n)));
    const err = thrownBy(() => s.paths.intern(textPath('e')));
    expect(err).toBeInstanceOf(CapacityError);
    expect(isRootraceError(err, 'rootrace.capacity')).toBe(true);
    expect(err.message).toBe('store capacity exceeded: paths (capacity 4); size the run for more');
    expect(s.paths.count()).toBe(4);
    expect(s.paths.lookup(textPath('e'))).toBe(-1);
    // Names already interned still resolve without needing room.
    expect(s.paths.intern(textPath('c'))).toBe(ids[2]);
  });

  it('throws CapacityError when the name bytes run out', () => {
    const s = Store.create({ ...capacitiesFor({ paths: 8 }), maxNameBytes: 12 });
    s.paths.intern('tmp-12345678'); // exactly 12 bytes
    const err = thrownBy(() => s.paths.intern('tmp-2'));
    expect(err).toBeInstanceOf(CapacityError);
    expect(err.message).toBe('store capacity exceeded: name bytes (capacity 12); size the run for more');
    expect(s.paths.count()).toBe(1);
    expect(s.paths.lookup('tmp-2')).toBe(-1);
  });
});
