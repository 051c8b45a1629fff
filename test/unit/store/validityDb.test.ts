import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.js';
import { CapacityError, CycleError, InvalidPathError, PathInUseError, isRootraceError } from '../../../src/messages/errors.js';
import type { PathId, StorePath } from '../../../src/messages/ids.js';
import { newStore, sortedPaths, textPath, thrownBy } from './helpers.js';

/** Interns `paths` and returns their ids in the same order. */
function idsOf(s: Store, paths: readonly StorePath[]): PathId[] {
  return paths.map((p) => s.intern(p));
}

const sortIds = (xs: readonly PathId[]): PathId[] => [...xs].sort((a, b) => a - b);

describe('ValidityDb.registerValidPaths', () => {
  it('registers a path without references', () => {
    const s = newStore();
    const [a] = idsOf(s, [textPath('a')]);
    const gen = s.db.generation();
    s.db.registerValidPaths([{ path: a!, references: [], narSize: 123 }]);
    expect(s.db.isValid(a!)).toBe(true);
    expect(s.db.isValidName(textPath('a'))).toBe(true);
    expect(s.db.validCount()).toBe(1);
    expect(s.db.generation()).toBe(gen + 1);
    expect(s.db.queryPathInfo(a!)).toEqual({ path: textPath('a'), references: [], deriver: null, narSize: 123 });
  });

  it('refuses a reference to an invalid path with Nix\'s text, and rolls the whole batch back', () => {
    const s = newStore();
    const [a, b, x] = idsOf(s, [textPath('a'), textPath('b'), textPath('x')]);
    const gen = s.db.generation();
    const err = thrownBy(() =>
      s.db.registerValidPaths([
        { path: a!, references: [] },
        { path: b!, references: [a!, x!] },
      ]),
    );
    expect(err).toBeInstanceOf(InvalidPathError);
    expect(isRootraceError(err, 'nix.InvalidPath')).toBe(true);
    expect(err.message).toBe(`path '${textPath('x')}' is not valid`);
    for (const id of [a!, b!, x!]) {
      expect(s.db.isValid(id)).toBe(false);
      expect(s.db.references(id)).toEqual([]);
      expect(s.db.referrers(id)).toEqual([]);
    }
    expect(s.db.validCount()).toBe(0);
    expect(s.db.generation()).toBe(gen);
    expect(s.db.validPaths()).toEqual([]);
  });

  it('allows references to paths earlier or later in the same batch', () => {
    const s = newStore();
    const [a, b, c] = idsOf(s, [textPath('a'), textPath('b'), textPath('c')]);
    s.db.registerValidPaths([
      { path: c!, references: [b!] },
      { path: b!, references: [a!] },
      { path: a!, references: [] },
    ]);
    expect(s.db.validCount()).toBe(3);
    expect(s.db.references(c!)).toEqual([b]);
    expect(s.db.references(b!)).toEqual([a]);
    expect(s.db.referrers(a!)).toEqual([b]);
    expect(s.findClosureViolation()).toBeNull();
  });

  it('allows a self-reference, for a new path and for a valid one', () => {
    const s = newStore();
    const [a, b] = idsOf(s, [textPath('a'), textPath('b')]);
    s.db.registerValidPaths([{ path: a!, references: [a!] }]);
    expect(s.db.references(a!)).toEqual([a]);
    expect(s.db.referrers(a!)).toEqual([a]);
    expect(s.db.queryPathInfo(a!).references).toEqual([textPath('a')]);
    s.db.registerValidPaths([{ path: b!, references: [] }]);
    s.db.registerValidPaths([{ path: b!, references: [b!, a!] }]);
    expect(sortIds(s.db.references(b!))).toEqual(sortIds([a!, b!]));
  });

  it('reports a cycle the way Nix\'s topoSort does (sorted paths, path then parent), in any batch order', () => {
    const s = newStore();
    const [lo, hi] = sortedPaths('p', 'q');
    const [l, h] = idsOf(s, [lo!, hi!]);
    const expected = `cycle detected in the references of '${lo}' from '${hi}'`;
    for (const batch of [
      [
        { path: l!, references: [h!] },
        { path: h!, references: [l!] },
      ],
      [
        { path: h!, references: [l!] },
        { path: l!, references: [h!] },
      ],
    ]) {
      const err = thrownBy(() => s.db.registerValidPaths(batch));
      expect(err).toBeInstanceOf(CycleError);
      expect(isRootraceError(err, 'nix.Cycle')).toBe(true);
      expect(err.message).toBe(expected);
    }
  });

  it('rolls back a batch with a cycle, even when it also holds acyclic paths', () => {
    const s = newStore();
    const [a, b, c, d] = idsOf(s, ['a', 'b', 'c', 'd'].map(textPath));
    s.db.registerValidPaths([{ path: d!, references: [] }]);
    const gen = s.db.generation();
    const err = thrownBy(() =>
      s.db.registerValidPaths([
        { path: c!, references: [d!] },
        { path: a!, references: [b!] },
        { path: b!, references: [c!, a!] },
      ]),
    );
    expect(err).toBeInstanceOf(CycleError);
    expect(err.message).toMatch(/^cycle detected in the references of '\/nix\/store\/\S+' from '\/nix\/store\/\S+'$/);
    expect(s.db.validPaths()).toEqual([d]);
    expect(s.db.referrers(d!)).toEqual([]);
    expect(s.db.references(a!)).toEqual([]);
    expect(s.db.generation()).toBe(gen);
  });

  it('reports a cycle through an already valid path that the batch re-registers', () => {
    const s = newStore();
    const [a, b] = idsOf(s, [textPath('a'), textPath('b')]);
    s.db.registerValidPaths([{ path: a!, references: [] }]);
    const err = thrownBy(() =>
      s.db.registerValidPaths([
        { path: a!, references: [b!] },
        { path: b!, references: [a!] },
      ]),
    );
    expect(err).toBeInstanceOf(CycleError);
    expect(s.db.references(a!)).toEqual([]);
    expect(s.db.isValid(b!)).toBe(false);
  });

  it('checks references before cycles, as Nix inserts Refs rows before its topoSort', () => {
    const s = newStore();
    const [a, b, x] = idsOf(s, [textPath('a'), textPath('b'), textPath('x')]);
    const err = thrownBy(() =>
      s.db.registerValidPaths([
        { path: a!, references: [b!] },
        { path: b!, references: [a!, x!] },
      ]),
    );
    expect(err).toBeInstanceOf(InvalidPathError);
    expect(err.message).toBe(`path '${textPath('x')}' is not valid`);
  });

  it('names the first invalid reference in Nix\'s order (batch and references sorted by path)', () => {
    const s = newStore();
    const [p1, p2] = sortedPaths('p1', 'p2');
    const [i1, i2, i3] = sortedPaths('i1', 'i2', 'i3');
    const [P1, P2, I1, I2, I3] = idsOf(s, [p1!, p2!, i1!, i2!, i3!]);
    // One path: its references are a sorted set, so the smallest invalid one is named.
    expect(thrownBy(() => s.db.registerValidPaths([{ path: P1!, references: [I3!, I2!] }])).message).toBe(
      `path '${i2}' is not valid`,
    );
    // Two paths: Nix walks its batch (a map keyed by path) in sorted order.
    expect(
      thrownBy(() =>
        s.db.registerValidPaths([
          { path: P2!, references: [I1!] },
          { path: P1!, references: [I3!] },
        ]),
      ).message,
    ).toBe(`path '${i3}' is not valid`);
  });

  it('accumulates references when a valid path is registered again, counting it once', () => {
    const s = newStore();
    const [a, r1, r2] = idsOf(s, [textPath('a'), textPath('r1'), textPath('r2')]);
    s.db.registerValidPaths([
      { path: r1!, references: [] },
      { path: r2!, references: [] },
    ]);
    s.db.registerValidPaths([{ path: a!, references: [r1!] }]);
    s.db.registerValidPaths([{ path: a!, references: [r2!, r1!] }]);
    expect(sortIds(s.db.references(a!))).toEqual(sortIds([r1!, r2!]));
    expect(s.db.referrers(r1!)).toEqual([a]);
    expect(s.db.validCount()).toBe(3);
  });

  it('stores a reference given twice as one edge', () => {
    const s = storeWithEdges(1);
    const [a, r] = idsOf(s, [textPath('a'), textPath('r')]);
    s.db.registerValidPaths([{ path: r!, references: [] }]);
    s.db.registerValidPaths([{ path: a!, references: [r!, r!] }]);
    expect(s.db.references(a!)).toEqual([r]);
    expect(s.db.referrers(r!)).toEqual([a]);
  });

  it('records derivers and a derivation\'s outputs', () => {
    const s = newStore();
    const [drv, o1, o2, other] = idsOf(s, [textPath('x.drv'), textPath('x'), textPath('x-dev'), textPath('y')]);
    s.db.registerValidPaths([{ path: drv!, references: [], outputs: [o1!, o2!, o1!] }]);
    s.db.registerValidPaths([{ path: o1!, references: [], deriver: drv! }]);
    expect(s.db.outputs(drv!)).toEqual([o1, o2]);
    expect(s.db.deriver(o1!)).toBe(drv);
    expect(s.db.deriver(other!)).toBe(-1);
    expect(s.db.queryPathInfo(o1!).deriver).toBe(textPath('x.drv'));
    expect(s.db.validDerivers(o1!)).toEqual([drv]);
    // A deriver that is not valid is not a valid deriver.
    s.db.registerValidPaths([{ path: other!, references: [], deriver: o2! }]);
    expect(s.db.deriver(other!)).toBe(o2);
    expect(s.db.validDerivers(other!)).toEqual([]);
  });

  it('keeps each derivation\'s outputs when two derivations share an output path', () => {
    // Fixed-output derivations with the same hash and name have the same output
    // path; each derivation's output list must survive the other's registration
    // and invalidation (they are separate DerivationOutputs rows in Nix).
    const s = newStore();
    const [d1, d2, o, o2] = idsOf(s, [textPath('a.drv'), textPath('b.drv'), textPath('src'), textPath('other')]);
    s.db.registerValidPaths([{ path: d1!, references: [], outputs: [o!, o2!] }]);
    s.db.registerValidPaths([{ path: d2!, references: [], outputs: [o!] }]);
    expect(s.db.outputs(d2!)).toEqual([o]);
    expect(s.db.outputs(d1!)).toEqual([o, o2]);
    expect(s.db.invalidatePathChecked(d2!)).toBe(true);
    expect(s.db.outputs(d1!)).toEqual([o, o2]);
    expect(s.db.outputs(d2!)).toEqual([]);
  });
});

describe('ValidityDb.queryPathInfo', () => {
  it('throws path \'…\' is not valid for a path that was never registered', () => {
    const s = newStore();
    const x = s.intern(textPath('x'));
    const err = thrownBy(() => s.db.queryPathInfo(x));
    expect(err).toBeInstanceOf(InvalidPathError);
    expect(err).toMatchObject({ code: 'nix.InvalidPath', message: `path '${textPath('x')}' is not valid` });
  });

  it('throws the same once the path was invalidated', () => {
    const s = newStore();
    const x = s.intern(textPath('x'));
    s.db.registerValidPaths([{ path: x, references: [] }]);
    s.db.invalidatePathChecked(x);
    expect(thrownBy(() => s.db.queryPathInfo(x)).message).toBe(`path '${textPath('x')}' is not valid`);
  });
});

describe('ValidityDb.invalidatePathChecked', () => {
  it('refuses while a valid referrer exists, with Nix\'s text, and changes nothing', () => {
    const s = newStore();
    const [a, b] = idsOf(s, [textPath('a'), textPath('b')]);
    s.db.registerValidPaths([
      { path: a!, references: [] },
      { path: b!, references: [a!] },
    ]);
    const gen = s.db.generation();
    const err = thrownBy(() => s.db.invalidatePathChecked(a!));
    expect(err).toBeInstanceOf(PathInUseError);
    expect(isRootraceError(err, 'nix.PathInUse')).toBe(true);
    expect(err.message).toBe(`cannot delete path '${textPath('a')}' because it is in use by '${textPath('b')}'`);
    expect(s.db.isValid(a!)).toBe(true);
    expect(s.db.referrers(a!)).toEqual([b]);
    expect(s.db.generation()).toBe(gen);
  });

  it('lists several referrers sorted and comma-separated, as Nix\'s showPaths does', () => {
    const s = newStore();
    const [r1, r2, r3] = sortedPaths('r1', 'r2', 'r3');
    const [a, R1, R2, R3] = idsOf(s, [textPath('a'), r1!, r2!, r3!]);
    s.db.registerValidPaths([{ path: a!, references: [a!] }]);
    // Registered out of order, so the edge lists are not sorted.
    for (const r of [R2!, R1!, R3!]) s.db.registerValidPaths([{ path: r, references: [a!] }]);
    expect(thrownBy(() => s.db.invalidatePathChecked(a!)).message).toBe(
      `cannot delete path '${textPath('a')}' because it is in use by '${r1}', '${r2}', '${r3}'`,
    );
  });

  it('succeeds when the only referrer is the path itself', () => {
    const s = newStore();
    const a = s.intern(textPath('a'));
    s.db.registerValidPaths([{ path: a, references: [a] }]);
    expect(s.db.invalidatePathChecked(a)).toBe(true);
    expect(s.db.isValid(a)).toBe(false);
    expect(s.db.references(a)).toEqual([]);
    expect(s.db.referrers(a)).toEqual([]);
    expect(s.db.validCount()).toBe(0);
  });

  it('returns false for a path that is not valid, and changes nothing', () => {
    const s = newStore();
    const [a, b] = idsOf(s, [textPath('a'), textPath('b')]);
    s.db.registerValidPaths([{ path: a!, references: [] }]);
    const gen = s.db.generation();
    expect(s.db.invalidatePathChecked(b!)).toBe(false);
    expect(s.db.invalidatePathChecked(a!)).toBe(true);
    expect(s.db.invalidatePathChecked(a!)).toBe(false);
    expect(s.db.generation()).toBe(gen + 1);
    expect(s.db.validCount()).toBe(0);
  });

  it('drops the path\'s edges, so its references lose it as a referrer', () => {
    const s = newStore();
    const [a, b, c] = idsOf(s, [textPath('a'), textPath('b'), textPath('c')]);
    s.db.registerValidPaths([
      { path: a!, references: [] },
      { path: b!, references: [a!] },
      { path: c!, references: [a!, b!] },
    ]);
    expect(sortIds(s.db.referrers(a!))).toEqual(sortIds([b!, c!]));
    expect(s.db.invalidatePathChecked(c!)).toBe(true);
    expect(s.db.referrers(a!)).toEqual([b]);
    expect(s.db.referrers(b!)).toEqual([]);
    expect(s.db.references(c!)).toEqual([]);
    // Now b is the only referrer of a, and b has none.
    expect(() => s.db.invalidatePathChecked(a!)).toThrow(PathInUseError);
    expect(s.db.invalidatePathChecked(b!)).toBe(true);
    expect(s.db.invalidatePathChecked(a!)).toBe(true);
    expect(s.db.validCount()).toBe(0);
    expect(s.findClosureViolation()).toBeNull();
  });

  it('forgets the derivation outputs of an invalidated derivation', () => {
    const s = newStore();
    const [drv, o1, o3] = idsOf(s, [textPath('x.drv'), textPath('x'), textPath('x-3')]);
    s.db.registerValidPaths([{ path: drv!, references: [], outputs: [o1!] }]);
    s.db.registerValidPaths([{ path: o1!, references: [], deriver: drv! }]);
    s.db.invalidatePathChecked(drv!);
    expect(s.db.outputs(drv!)).toEqual([]);
    expect(s.db.validDerivers(o1!)).toEqual([]);
    s.db.registerValidPaths([{ path: drv!, references: [], outputs: [o3!] }]);
    expect(s.db.outputs(drv!)).toEqual([o3]);
  });

  it('forgets the deriver with the row: a re-registered path has only the deriver it is given', () => {
    const s = newStore();
    const [drv, out] = idsOf(s, [textPath('x.drv'), textPath('x')]);
    s.db.registerValidPaths([{ path: drv!, references: [] }]);
    s.db.registerValidPaths([{ path: out!, references: [], deriver: drv! }]);
    s.db.invalidatePathChecked(out!);
    expect(s.db.deriver(out!)).toBe(-1);
    s.db.registerValidPaths([{ path: out!, references: [] }]);
    expect(s.db.queryPathInfo(out!).deriver).toBeNull();
    expect(s.db.validDerivers(out!)).toEqual([]);
  });

  it('reuses freed edges: fill the table, invalidate, register again, many times', () => {
    const s = storeWithEdges(4);
    const r = s.intern(textPath('r'));
    s.db.registerValidPaths([{ path: r, references: [] }]);
    for (let round = 0; round < 5; round++) {
      const xs = idsOf(s, [0, 1, 2, 3].map((i) => textPath(`x${round}-${i}`)));
      s.db.registerValidPaths(xs.map((x) => ({ path: x, references: [r] })));
      expect(s.db.referrers(r)).toHaveLength(4);
      expect(() => s.db.registerValidPaths([{ path: s.intern(textPath(`y${round}`)), references: [r] }])).toThrow(CapacityError);
      for (const x of xs) expect(s.db.invalidatePathChecked(x)).toBe(true);
      expect(s.db.referrers(r)).toEqual([]);
    }
  });

  it('refuses a batch needing more edges than are free, with CapacityError, registering nothing', () => {
    const s = storeWithEdges(3);
    const [r, a, b] = idsOf(s, [textPath('r'), textPath('a'), textPath('b')]);
    s.db.registerValidPaths([{ path: r!, references: [r!] }]);
    const gen = s.db.generation();
    const err = thrownBy(() =>
      s.db.registerValidPaths([
        { path: a!, references: [r!] },
        { path: b!, references: [r!, a!] },
      ]),
    );
    expect(err).toBeInstanceOf(CapacityError);
    expect(isRootraceError(err, 'rootrace.capacity')).toBe(true);
    expect(err.message).toBe('store capacity exceeded: reference edges (capacity 3); size the run for more');
    expect(s.db.isValid(a!)).toBe(false);
    expect(s.db.isValid(b!)).toBe(false);
    expect(s.db.referrers(r!)).toEqual([r]);
    expect(s.db.validCount()).toBe(1);
    expect(s.db.generation()).toBe(gen);
    // Exactly the free edges is fine, and a re-registration adding no new edge needs no room.
    s.db.registerValidPaths([{ path: a!, references: [r!, a!] }]);
    s.db.registerValidPaths([{ path: a!, references: [r!] }]);
    expect(s.db.validCount()).toBe(2);
  });
});

describe('ValidityDb listings', () => {
  it('lists valid paths in id order and keeps validCount in step', () => {
    const s = newStore();
    const [a, b, c] = idsOf(s, [textPath('a'), textPath('b'), textPath('c')]);
    s.db.registerValidPaths([{ path: c!, references: [] }]);
    s.db.registerValidPaths([{ path: a!, references: [] }]);
    expect(s.db.validPaths()).toEqual([a, c]);
    expect(s.db.validCount()).toBe(2);
    expect(s.db.isValid(b!)).toBe(false);
    expect(s.db.isValidName(textPath('never-interned'))).toBe(false);
  });
});

function storeWithEdges(edges: number): Store {
  return newStore({ paths: 64, edges });
}
