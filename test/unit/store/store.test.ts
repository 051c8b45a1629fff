import { describe, expect, it } from 'vitest';
import { Store, capacitiesFor, layoutSize } from '../../../src/store/index.js';
import { PF, PathField, mapLayout, readCapacities } from '../../../src/store/layout.js';
import { mintPid } from '../../../src/messages/ids.js';
import { newStore, textPath } from './helpers.js';

describe('capacitiesFor', () => {
  it('derives every capacity from the path count, with gc.lock\'s file slot added', () => {
    expect(capacitiesFor({ paths: 10 })).toEqual({
      maxPaths: 10,
      maxEdges: 80,
      maxNameBytes: 640,
      maxFiles: 257,
      maxTempEntries: 1024,
      maxOfds: 1088,
      maxRoots: 1024,
    });
  });

  it('takes explicit figures over derived ones', () => {
    expect(
      capacitiesFor({ paths: 1000, edges: 5, nameBytes: 6, tempRootsFiles: 7, tempEntries: 8, ofds: 9, roots: 10 }),
    ).toEqual({ maxPaths: 1000, maxEdges: 5, maxNameBytes: 6, maxFiles: 8, maxTempEntries: 8, maxOfds: 9, maxRoots: 10 });
  });
});

describe('Store', () => {
  it('refuses capacities that are not positive int32 integers', () => {
    const ok = capacitiesFor({ paths: 4 });
    for (const bad of [0, -1, 1.5, 2 ** 31]) {
      expect(() => Store.create({ ...ok, maxEdges: bad })).toThrow(/^capacity maxEdges must be a positive integer/);
    }
  });

  it('writes its capacities into the buffer, so another thread can attach', () => {
    const caps = capacitiesFor({ paths: 12, tempRootsFiles: 3 });
    const s = Store.create(caps);
    expect(readCapacities(s.sab)).toEqual(caps);
    expect(s.capacities).toEqual(caps);
    expect(s.byteLength).toBe(layoutSize(caps));
    const t = Store.attach(s.sab);
    expect(t.capacities).toEqual(caps);
  });

  it('refuses to attach to a buffer that is not a store', () => {
    expect(() => Store.attach(new SharedArrayBuffer(4096))).toThrow('not a rootrace store buffer');
  });

  it('shares every part of the state between handles on one buffer', () => {
    const s = newStore();
    const t = Store.attach(s.sab);
    const a = s.intern(textPath('a'));
    s.db.registerValidPaths([{ path: a, references: [] }]);
    s.disk.create(a, 10);
    const o = s.tempRoots.openOrCreate(mintPid(3), 3);
    s.tempRoots.append(o, a);
    s.flock.tryLock(o, 'exclusive');
    s.roots.addDirect('r', a);
    s.setGcSocketExists(true);
    expect(t.db.isValid(a)).toBe(true);
    expect(t.disk.usedBytes()).toBe(10);
    expect(t.tempRoots.list()).toEqual(s.tempRoots.list());
    expect(t.flock.holders()).toEqual(s.flock.holders());
    expect(t.roots.list()).toEqual(s.roots.list());
    expect(t.gcSocketExists()).toBe(true);
    // A dead pid's last close through the other handle still frees the unlinked file.
    t.tempRoots.unlink(3);
    t.releaseAllLocksOf(3);
    expect(s.tempRoots.list()).toEqual([]);
  });

  it('hands out one global sequence of event numbers', () => {
    const s = newStore();
    const t = Store.attach(s.sab);
    expect([s.nextSeq(), t.nextSeq(), s.nextSeq()]).toEqual([0, 1, 2]);
  });

  it('remembers that the roots socket file exists, and that it can go', () => {
    const s = newStore();
    expect(s.gcSocketExists()).toBe(false);
    s.setGcSocketExists(true);
    expect(s.gcSocketExists()).toBe(true);
    s.setGcSocketExists(false);
    expect(s.gcSocketExists()).toBe(false);
  });
});

describe('Store.findClosureViolation', () => {
  it('finds none in a store built and pruned through the DB', () => {
    const s = newStore();
    const [a, b, c] = ['a', 'b', 'c'].map((n) => s.intern(textPath(n)));
    expect(s.findClosureViolation()).toBeNull();
    s.db.registerValidPaths([
      { path: a!, references: [a!] },
      { path: b!, references: [a!] },
      { path: c!, references: [a!, b!, c!] },
    ]);
    expect(s.findClosureViolation()).toBeNull();
    s.db.invalidatePathChecked(c!);
    expect(s.findClosureViolation()).toBeNull();
  });

  it('reports a valid path whose reference lost its validity behind the DB\'s back', () => {
    const s = newStore();
    const [a, b] = ['a', 'b'].map((n) => s.intern(textPath(n)));
    s.db.registerValidPaths([
      { path: a!, references: [] },
      { path: b!, references: [a!] },
    ]);
    // Corrupt the flag directly: the checker must notice what the DB would refuse.
    const L = mapLayout(s.sab, s.capacities);
    Atomics.and(L.paths[PathField.flags]!, a!, ~PF.valid);
    expect(s.findClosureViolation()).toEqual({ path: textPath('b'), reference: textPath('a') });
  });
});
