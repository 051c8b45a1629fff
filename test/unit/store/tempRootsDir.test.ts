import { describe, expect, it } from 'vitest';
import { Store, capacitiesFor } from '../../../src/store/index.js';
import { CapacityError } from '../../../src/messages/errors.js';
import { mintPid } from '../../../src/messages/ids.js';
import { newStore, textPath, thrownBy } from './helpers.js';

const owner = mintPid(7);
const gcPid = mintPid(100);

describe('TempRootsDir files', () => {
  it('creates temproots/<pid> on first open, and opens the same file the second time', () => {
    const s = newStore();
    expect(s.tempRoots.exists(7)).toBe(false);
    const a = s.tempRoots.openOrCreate(owner, 7);
    expect(s.tempRoots.exists(7)).toBe(true);
    const f = s.flock.fileOf(a);
    expect(f).not.toBe(s.gcLockFile);
    expect(s.tempRoots.nameOf(f)).toBe(7);
    expect(s.tempRoots.list()).toEqual([{ file: f, name: 7, creator: 7, count: 0 }]);
    const b = s.tempRoots.openOrCreate(mintPid(8), 7);
    expect(b).not.toBe(a);
    expect(s.flock.fileOf(b)).toBe(f);
    expect(s.tempRoots.list()).toHaveLength(1);
  });

  it('opens an existing file with openExisting, or returns null (ENOENT)', () => {
    const s = newStore();
    expect(s.tempRoots.openExisting(gcPid, 7)).toBeNull();
    const a = s.tempRoots.openOrCreate(owner, 7);
    const g = s.tempRoots.openExisting(gcPid, 7);
    expect(g).not.toBeNull();
    expect(s.flock.fileOf(g!)).toBe(s.flock.fileOf(a));
    expect(s.flock.ownerOf(g!)).toBe(gcPid);
    expect(s.tempRoots.list()).toHaveLength(1);
  });

  it('keeps files of different pids apart and lists them', () => {
    const s = newStore();
    const a = s.tempRoots.openOrCreate(mintPid(1), 1);
    const b = s.tempRoots.openOrCreate(mintPid(2), 2);
    expect(s.flock.fileOf(a)).not.toBe(s.flock.fileOf(b));
    s.tempRoots.append(a, s.intern(textPath('x')));
    expect(s.tempRoots.list().map((i) => [i.name, i.count])).toEqual([
      [1, 1],
      [2, 0],
    ]);
  });

  it('appends roots and reads them back in order, duplicates kept', () => {
    const s = newStore();
    const o = s.tempRoots.openOrCreate(owner, 7);
    const [x, y] = [s.intern(textPath('x')), s.intern(textPath('y'))];
    expect(s.tempRoots.read(o)).toEqual([]);
    s.tempRoots.append(o, x);
    s.tempRoots.append(o, y);
    s.tempRoots.append(o, x);
    expect(s.tempRoots.read(o)).toEqual([x, y, x]);
    expect(s.tempRoots.readFile(s.flock.fileOf(o))).toEqual([x, y, x]);
    // Another description on the same file reads the same content.
    const g = s.tempRoots.openExisting(gcPid, 7)!;
    expect(s.tempRoots.read(g)).toEqual([x, y, x]);
  });

  it('is empty until a root or the GC\'s d marker is written', () => {
    const s = newStore();
    const o = s.tempRoots.openOrCreate(owner, 7);
    expect(s.tempRoots.isEmpty(o)).toBe(true);
    s.tempRoots.writeDMarker(o);
    expect(s.tempRoots.isEmpty(o)).toBe(false);
    expect(s.tempRoots.read(o)).toEqual([]); // `d` is not a root
    const p = s.tempRoots.openOrCreate(mintPid(8), 8);
    s.tempRoots.append(p, s.intern(textPath('x')));
    expect(s.tempRoots.isEmpty(p)).toBe(false);
  });

  it('unlinks: the name is gone, but open descriptions still read the content', () => {
    const s = newStore();
    const o = s.tempRoots.openOrCreate(owner, 7);
    const x = s.intern(textPath('x'));
    s.tempRoots.append(o, x);
    expect(s.tempRoots.unlink(7)).toBe(true);
    expect(s.tempRoots.exists(7)).toBe(false);
    expect(s.tempRoots.list()).toEqual([]);
    expect(s.tempRoots.openExisting(gcPid, 7)).toBeNull();
    expect(s.tempRoots.unlink(7)).toBe(false);
    expect(s.tempRoots.read(o)).toEqual([x]);
  });

  it('creates a fresh, empty file under the same name after an unlink', () => {
    const s = newStore();
    const old = s.tempRoots.openOrCreate(owner, 7);
    s.tempRoots.append(old, s.intern(textPath('x')));
    s.tempRoots.unlink(7);
    const fresh = s.tempRoots.openOrCreate(owner, 7);
    expect(s.flock.fileOf(fresh)).not.toBe(s.flock.fileOf(old));
    expect(s.tempRoots.isEmpty(fresh)).toBe(true);
    expect(s.tempRoots.list()).toEqual([{ file: s.flock.fileOf(fresh), name: 7, creator: 7, count: 0 }]);
  });

  it('frees a file slot after unlink and the close of its last OFD, and reuses it', () => {
    const s = Store.create(capacitiesFor({ paths: 16, tempRootsFiles: 2 }));
    const a = s.tempRoots.openOrCreate(mintPid(1), 1);
    const a2 = s.tempRoots.openExisting(mintPid(50), 1)!;
    const slot1 = s.flock.fileOf(a);
    s.tempRoots.openOrCreate(mintPid(2), 2);
    const err = thrownBy(() => s.tempRoots.openOrCreate(mintPid(3), 3));
    expect(err).toBeInstanceOf(CapacityError);
    expect(err.message).toBe('store capacity exceeded: temp-roots files (capacity 2); size the run for more');
    expect(s.tempRoots.exists(3)).toBe(false);
    // Unlinked but still open: the slot is still taken.
    s.tempRoots.unlink(1);
    s.flock.close(a);
    expect(() => s.tempRoots.openOrCreate(mintPid(3), 3)).toThrow(CapacityError);
    s.flock.close(a2);
    const c = s.tempRoots.openOrCreate(mintPid(3), 3);
    expect(s.flock.fileOf(c)).toBe(slot1);
    expect(s.tempRoots.isEmpty(c)).toBe(true);
    expect(s.tempRoots.read(c)).toEqual([]);
    expect(s.tempRoots.list().map((i) => i.name)).toEqual([3, 2]);
  });

  it('frees a file at once when it is unlinked with nobody holding it open', () => {
    const s = Store.create(capacitiesFor({ paths: 16, tempRootsFiles: 1 }));
    const a = s.tempRoots.openOrCreate(mintPid(1), 1);
    s.flock.close(a); // a crashed owner: the file stays on disk, closed
    expect(s.tempRoots.exists(1)).toBe(true);
    expect(() => s.tempRoots.openOrCreate(mintPid(2), 2)).toThrow(CapacityError);
    s.tempRoots.unlink(1);
    expect(() => s.tempRoots.openOrCreate(mintPid(2), 2)).not.toThrow();
  });

  it('closing the last OFD of a file that is still linked keeps it (a crashed owner\'s file stays)', () => {
    const s = newStore();
    const o = s.tempRoots.openOrCreate(owner, 7);
    const x = s.intern(textPath('x'));
    s.tempRoots.append(o, x);
    s.flock.close(o);
    expect(s.tempRoots.exists(7)).toBe(true);
    const g = s.tempRoots.openExisting(gcPid, 7)!;
    expect(s.tempRoots.read(g)).toEqual([x]);
  });

  it('returns entries of a freed file to the pool (entry capacity is reusable)', () => {
    const s = Store.create(capacitiesFor({ paths: 16, tempEntries: 3 }));
    const x = s.intern(textPath('x'));
    const a = s.tempRoots.openOrCreate(mintPid(1), 1);
    for (let i = 0; i < 3; i++) s.tempRoots.append(a, x);
    const err = thrownBy(() => s.tempRoots.append(a, x));
    expect(err).toBeInstanceOf(CapacityError);
    expect(err.message).toBe('store capacity exceeded: temp-root entries (capacity 3); size the run for more');
    expect(s.tempRoots.read(a)).toEqual([x, x, x]);
    s.tempRoots.unlink(1);
    s.flock.close(a);
    const b = s.tempRoots.openOrCreate(mintPid(2), 2);
    for (let i = 0; i < 3; i++) s.tempRoots.append(b, x);
    expect(s.tempRoots.read(b)).toEqual([x, x, x]);
  });
});

describe('createTempRootsFile against a GC removing it as stale', () => {
  it('makes the owner see a non-empty file and create a new, empty one in another slot', () => {
    const s = newStore();
    const root = s.intern(textPath('root'));

    // Owner, steps 1–2: no file yet, so open (create) temproots/7.
    const first = s.tempRoots.openOrCreate(owner, 7);
    // The GC's findTempRoots opens the same file before the owner locks it…
    const g = s.tempRoots.openExisting(gcPid, 7)!;
    // …and its non-blocking LOCK_EX succeeds, so it judges the owner dead:
    expect(s.flock.tryLock(g, 'exclusive')).toBe(true);
    expect(s.tempRoots.unlink(7)).toBe(true);
    s.tempRoots.writeDMarker(g);
    s.flock.close(g);

    // Owner, step 3: LOCK_EX is granted (the GC let go) on the unlinked file.
    expect(s.flock.tryLock(first, 'exclusive')).toBe(true);
    // Step 4: the file is not empty, so it lost the race and loops back.
    expect(s.tempRoots.isEmpty(first)).toBe(false);
    expect(s.tempRoots.exists(7)).toBe(false);
    // Loop: open a new file (the old fd is replaced only after the new open).
    const second = s.tempRoots.openOrCreate(owner, 7);
    s.flock.close(first);
    expect(s.flock.tryLock(second, 'exclusive')).toBe(true);
    expect(s.tempRoots.isEmpty(second)).toBe(true);
    expect(s.flock.fileOf(second)).not.toBe(s.flock.fileOf(first));

    // Only the new file is listed, and a root written now is what a GC reads.
    s.tempRoots.append(second, root);
    expect(s.tempRoots.list()).toEqual([{ file: s.flock.fileOf(second), name: 7, creator: 7, count: 1 }]);
    const g2 = s.tempRoots.openExisting(gcPid, 7)!;
    expect(s.flock.tryLock(g2, 'exclusive')).toBe(false); // the owner is alive
    expect(s.tempRoots.read(g2)).toEqual([root]);
  });

  it('a file its owner unlinked and closed reads as empty, and readLinked refuses it (and a reuse of its slot)', () => {
    // The GC-safety check lists temproots/ and then reads a holder's file; the owner's destructor may
    // unlink it in between. A freed slot's `first` is the free list's link, so reading it by the old
    // count gave another file's entries: a false "deleted although it is in temproots/N" (seen on threads).
    const s = newStore();
    const other = s.tempRoots.openOrCreate(mintPid(1), 1);
    s.tempRoots.append(other, s.intern(textPath('x')));
    // A file freed earlier: the free list is not empty when 7's slot joins it.
    const gone = s.tempRoots.openOrCreate(mintPid(2), 2);
    s.tempRoots.unlink(2);
    s.flock.close(gone);
    const a = s.tempRoots.openOrCreate(owner, 7);
    s.tempRoots.append(a, s.intern(textPath('a')));
    s.tempRoots.append(a, s.intern(textPath('b')));
    const f = s.flock.fileOf(a);
    expect(s.tempRoots.readLinked(f, 7)).toHaveLength(2);
    expect(s.tempRoots.readLinked(f, 8)).toBeNull();
    s.tempRoots.unlink(7);
    s.flock.close(a);
    expect(s.tempRoots.readFile(f)).toEqual([]);
    expect(s.tempRoots.readLinked(f, 7)).toBeNull();
    // The slot goes to the next new file: still not the file the list saw.
    const c = s.tempRoots.openOrCreate(mintPid(9), 9);
    expect(s.flock.fileOf(c)).toBe(f);
    expect(s.tempRoots.readLinked(f, 7)).toBeNull();
    expect(s.tempRoots.readLinked(f, 9)).toEqual([]);
  });
});
