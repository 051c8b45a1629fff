/**
 * Random sequences of store operations against a plain in-memory model (Maps
 * and Sets): the validity DB (register, invalidate) and flock (open, try-lock,
 * unlock, close, process death). After every operation the store must agree
 * with the model on validity, edges, errors and lock holders, and keep its own
 * invariants (closure; no exclusive holder beside another holder).
 *
 * A failure prints the operation list; it replays with the printed seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Store, capacitiesFor, type FlockMode, type LockHolder } from '../../../src/store/index.js';
import { isRootraceError, type ErrorCode } from '../../../src/messages/errors.js';
import { mintPid, type OfdId, type PathId, type StorePath } from '../../../src/messages/ids.js';
import { textPath } from './helpers.js';

const POOL = 5;
const PIDS = [1, 2, 3] as const;
const MAX_EDGES = 8;
const MAX_OFDS = 6;

interface BatchEntry {
  readonly p: number;
  readonly refs: readonly number[];
}

type Op =
  | { readonly t: 'register'; readonly batch: readonly BatchEntry[] }
  | { readonly t: 'invalidate'; readonly p: number }
  | { readonly t: 'open'; readonly pid: number; readonly file: 0 | 1 }
  | { readonly t: 'tryLock'; readonly ofd: number; readonly mode: FlockMode }
  | { readonly t: 'unlock'; readonly ofd: number }
  | { readonly t: 'close'; readonly ofd: number }
  | { readonly t: 'kill'; readonly pid: number };

/** What an operation did: a value, or an error identified by its code and text. */
type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

interface Handle {
  readonly ofd: OfdId;
  readonly pid: number;
  readonly file: number;
  mode: FlockMode | null;
  open: boolean;
}

/** The reference model. Pool paths are named by their index. */
class Model {
  readonly valid = new Set<number>();
  readonly refs = new Map<number, Set<number>>();
  readonly handles: Handle[] = [];

  constructor(readonly names: readonly StorePath[]) {}

  refsOf(p: number): Set<number> {
    return this.refs.get(p) ?? new Set();
  }

  referrersOf(p: number): number[] {
    return [...this.valid].filter((q) => this.refsOf(q).has(p));
  }

  edgeCount(): number {
    let n = 0;
    for (const p of this.valid) n += this.refsOf(p).size;
    return n;
  }

  byName = (a: number, b: number): number => (this.names[a]! < this.names[b]! ? -1 : this.names[a]! > this.names[b]! ? 1 : 0);

  /** Predicts registerValidPaths; on an error, `check` says whether the store's message is acceptable. */
  register(batch: readonly BatchEntry[]): { outcome: 'ok' } | { outcome: ErrorCode; check: (message: string) => boolean } {
    const inBatch = new Set(batch.map((b) => b.p));
    for (const b of [...batch].sort((x, y) => this.byName(x.p, y.p))) {
      for (const r of [...b.refs].sort(this.byName)) {
        if (!inBatch.has(r) && !this.valid.has(r)) {
          const text = `path '${this.names[r]}' is not valid`;
          return { outcome: 'nix.InvalidPath', check: (m) => m === text };
        }
      }
    }
    if (this.hasCycle(batch)) {
      // The reported edge must be a real edge of the batch: parent refers to path.
      return {
        outcome: 'nix.Cycle',
        check: (m) => {
          const hit = /^cycle detected in the references of '(.+)' from '(.+)'$/.exec(m);
          if (!hit) return false;
          const path = this.names.indexOf(hit[1] as StorePath);
          const parent = batch.find((b) => this.names[b.p] === hit[2]);
          return path >= 0 && parent !== undefined && parent.refs.includes(path) && inBatch.has(path);
        },
      };
    }
    let need = 0;
    for (const b of batch) for (const r of new Set(b.refs)) if (!this.refsOf(b.p).has(r)) need++;
    if (this.edgeCount() + need > MAX_EDGES) {
      return { outcome: 'rootrace.capacity', check: (m) => m.startsWith('store capacity exceeded: reference edges') };
    }
    for (const b of batch) {
      this.valid.add(b.p);
      const set = this.refsOf(b.p);
      for (const r of b.refs) set.add(r);
      this.refs.set(b.p, set);
    }
    return { outcome: 'ok' };
  }

  private hasCycle(batch: readonly BatchEntry[]): boolean {
    const inBatch = new Set(batch.map((b) => b.p));
    const edges = new Map(batch.map((b) => [b.p, b.refs.filter((r) => r !== b.p && inBatch.has(r))]));
    const state = new Map<number, 'open' | 'done'>();
    const visit = (p: number): boolean => {
      if (state.get(p) === 'open') return true;
      if (state.get(p) === 'done') return false;
      state.set(p, 'open');
      for (const r of edges.get(p) ?? []) if (visit(r)) return true;
      state.set(p, 'done');
      return false;
    };
    return batch.some((b) => visit(b.p));
  }

  invalidate(p: number): Outcome {
    if (!this.valid.has(p)) return { ok: true, value: false };
    const others = this.referrersOf(p).filter((q) => q !== p);
    if (others.length > 0) {
      const shown = others.map((q) => `'${this.names[q]}'`).sort().join(', ');
      return { ok: false, code: 'nix.PathInUse', message: `cannot delete path '${this.names[p]}' because it is in use by ${shown}` };
    }
    this.valid.delete(p);
    this.refs.delete(p);
    return { ok: true, value: true };
  }

  openHandles(): Handle[] {
    return this.handles.filter((h) => h.open);
  }

  tryLock(h: Handle, mode: FlockMode): boolean {
    if (h.mode === mode) return true;
    h.mode = null; // flock(2) drops the old lock before converting
    const others = this.openHandles().filter((o) => o !== h && o.file === h.file && o.mode !== null);
    const granted = mode === 'exclusive' ? others.length === 0 : others.every((o) => o.mode !== 'exclusive');
    if (granted) h.mode = mode;
    return granted;
  }

  holders(): LockHolder[] {
    return this.openHandles()
      .filter((h) => h.mode !== null)
      .map((h) => ({ ofd: h.ofd, owner: mintPid(h.pid), file: h.file, mode: h.mode! }))
      .sort((a, b) => a.ofd - b.ofd);
  }
}

function attempt(f: () => unknown): Outcome {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (isRootraceError(e)) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

const sortNums = <T extends number>(xs: readonly T[]): T[] => [...xs].sort((a, b) => a - b);

function runOps(ops: readonly Op[]): void {
  const s = Store.create(capacitiesFor({ paths: 16, edges: MAX_EDGES, tempRootsFiles: 2, ofds: MAX_OFDS }));
  const names = Array.from({ length: POOL }, (_, i) => textPath(`p${i}`));
  const ids: PathId[] = names.map((n) => s.intern(n));
  const created = s.tempRoots.openOrCreate(mintPid(99), 99);
  const files = [s.gcLockFile, s.flock.fileOf(created)] as const;
  s.flock.close(created);
  const m = new Model(names);

  for (const op of ops) {
    const gen = s.db.generation();
    let mutated = false;
    switch (op.t) {
      case 'register': {
        const want = m.register(op.batch);
        const got = attempt(() =>
          s.db.registerValidPaths(op.batch.map((b) => ({ path: ids[b.p]!, references: b.refs.map((r) => ids[r]!) }))),
        );
        if (want.outcome === 'ok') {
          expect(got).toEqual({ ok: true, value: undefined });
          mutated = true;
        } else {
          expect(got.ok ? 'ok' : got.code).toBe(want.outcome);
          if (!got.ok) expect(want.check(got.message), got.message).toBe(true);
        }
        break;
      }
      case 'invalidate': {
        const want = m.invalidate(op.p);
        expect(attempt(() => s.db.invalidatePathChecked(ids[op.p]!))).toEqual(want);
        mutated = want.ok && want.value === true;
        break;
      }
      case 'open': {
        const got = attempt(() => s.flock.open(mintPid(op.pid), files[op.file]));
        if (m.openHandles().length >= MAX_OFDS) {
          expect(got.ok ? 'ok' : got.code).toBe('rootrace.capacity');
        } else {
          expect(got.ok).toBe(true);
          if (got.ok) m.handles.push({ ofd: got.value as OfdId, pid: op.pid, file: files[op.file], mode: null, open: true });
        }
        break;
      }
      case 'tryLock':
      case 'unlock':
      case 'close': {
        const open = m.openHandles();
        const h = open[op.ofd % Math.max(1, open.length)];
        if (!h) break;
        if (op.t === 'tryLock') {
          expect(s.flock.tryLock(h.ofd, op.mode)).toBe(m.tryLock(h, op.mode));
        } else if (op.t === 'unlock') {
          s.flock.unlock(h.ofd);
          h.mode = null;
        } else {
          s.flock.close(h.ofd);
          h.mode = null;
          h.open = false;
        }
        break;
      }
      case 'kill': {
        const mine = m.openHandles().filter((h) => h.pid === op.pid);
        const want = m.holders().filter((h) => h.owner === op.pid);
        expect(s.releaseAllLocksOf(op.pid)).toEqual(want);
        for (const h of mine) {
          h.mode = null;
          h.open = false;
        }
        break;
      }
    }
    expect(s.db.generation()).toBe(mutated ? gen + 1 : gen);
    checkAgainstModel(s, m, ids, files);
  }
}

function checkAgainstModel(s: Store, m: Model, ids: readonly PathId[], files: readonly number[]): void {
  // Validity DB.
  for (let i = 0; i < POOL; i++) {
    const id = ids[i]!;
    expect(s.db.isValid(id)).toBe(m.valid.has(i));
    expect(sortNums(s.db.references(id))).toEqual(sortNums([...m.refsOf(i)].map((r) => ids[r]!)));
    expect(sortNums(s.db.referrers(id))).toEqual(sortNums(m.referrersOf(i).map((r) => ids[r]!)));
  }
  expect(s.db.validCount()).toBe(m.valid.size);
  expect(s.findClosureViolation()).toBeNull();

  // Locks: the model's holders, each file's lock word, and flock's own rule.
  const holders = s.flock.holders();
  expect(holders).toEqual(m.holders());
  for (const f of files) {
    const onFile = holders.filter((h) => h.file === f);
    const excl = onFile.filter((h) => h.mode === 'exclusive');
    expect(excl.length === 0 || onFile.length === 1).toBe(true);
    expect(s.flock.lockState(f)).toBe(excl.length > 0 ? -1 : onFile.length);
  }
  for (const pid of PIDS) {
    const want = m.openHandles().filter((h) => h.pid === pid).map((h) => h.ofd);
    expect(sortNums(s.flock.ofdsOf(mintPid(pid)))).toEqual(sortNums(want));
  }
  for (const h of m.openHandles()) expect(s.flock.heldMode(h.ofd)).toBe(h.mode);
}

const idx = fc.nat({ max: POOL - 1 });
const pid = fc.constantFrom(...PIDS);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('register' as const),
      batch: fc.uniqueArray(fc.record({ p: idx, refs: fc.uniqueArray(idx, { maxLength: 2 }) }), {
        minLength: 1,
        maxLength: 3,
        selector: (b) => b.p,
      }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('invalidate' as const), p: idx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('open' as const), pid, file: fc.constantFrom(0 as const, 1 as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('tryLock' as const), ofd: fc.nat(7), mode: fc.constantFrom<FlockMode>('shared', 'exclusive') }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('unlock' as const), ofd: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('close' as const), ofd: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('kill' as const), pid }) },
);

describe('store against a reference model', () => {
  it('agrees on validity, edges, errors and lock holders after every operation', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60, size: 'max' }), (ops) => {
        runOps(ops);
      }),
      { numRuns: 200 },
    );
  });
});
