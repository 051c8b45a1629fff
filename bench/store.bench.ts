/**
 * Store figures: gc.lock acquire+release beside a raw Atomics lock (1, 2 and
 * 4 threads), isValidPath by id and by name, registerValidPaths of one path
 * with four references, and the size of a store sized for a large run.
 */
import { Store, capacitiesFor, type ValidPathInfo } from '../src/store/index.js';
import type { PathId } from '../src/messages/ids.js';
import { LockPool } from './lockPool.js';
import { benchStorePath } from './names.js';
import { median, row, type BenchRow } from './row.js';
import type { LockKind } from './workers/storeLockProtocol.js';

const MiB = 1024 * 1024;
/** Odd, so `(i * STRIDE) & (2^k - 1)` visits every index of a 2^k table once per 2^k steps, scattered. */
const STRIDE = 7919;

export async function* storeBench(): AsyncGenerator<BenchRow> {
  yield* lockRows();
  yield isValidById();
  // A store of 65,536 names mostly misses the CPU caches on a random lookup; one of 4,096 mostly hits.
  yield isValidByName(1 << 16);
  yield isValidByName(1 << 12);
  yield registerOnePath();
  yield bigStoreSize();
}

/**
 * gc.lock through an open file description beside the raw lock, on the same
 * threads: the median of 7 trials each, alternating which goes first so that
 * drift in the machine's load hits both alike.
 */
async function* lockRows(): AsyncGenerator<BenchRow> {
  const store = Store.create(capacitiesFor({ paths: 64 }));
  const pool = new LockPool(new URL('./workers/storeLock.worker.js', import.meta.url), store.sab, 4);
  try {
    const cases: readonly { threads: number; kind: LockKind; name: string }[] = [
      { threads: 1, kind: 'store-try', name: 'store.gcLock.tryLock+unlock.uncontended' },
      { threads: 2, kind: 'store-sync', name: 'store.gcLock.lockSync+unlock.2threads' },
      { threads: 4, kind: 'store-sync', name: 'store.gcLock.lockSync+unlock.4threads' },
    ];
    for (const c of cases) {
      await pool.trial(c.kind, c.threads, 100); // warm-up (JIT), discarded
      await pool.trial('raw', c.threads, 100);
      const flock: number[] = [];
      const raw: number[] = [];
      for (let t = 0; t < 7; t++) {
        const order: LockKind[] = t % 2 ? ['raw', c.kind] : [c.kind, 'raw'];
        for (const k of order) (k === 'raw' ? raw : flock).push(await pool.trial(k, c.threads, 200));
      }
      yield row({ bench: c.name, value: median(flock), unit: 'ops/s', baseline: median(raw), target: 0.5 });
    }
  } finally {
    await pool.close();
  }
}

/** Median rate over `trials` runs of `f(n)`, which must do n operations. */
function rate(n: number, trials: number, f: (n: number) => number): number {
  const rates: number[] = [];
  let sink = 0;
  for (let t = 0; t < trials; t++) {
    const t0 = performance.now();
    sink += f(n);
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  if (sink < 0) throw new Error('unreachable'); // keeps the results alive
  return median(rates);
}

/** A store of `n` interned names, every other one valid. */
function halfValidStore(n: number): { store: Store; ids: PathId[]; names: string[] } {
  const store = Store.create(capacitiesFor({ paths: n, nameBytes: n * 48 }));
  const names = Array.from({ length: n }, (_, i) => benchStorePath(i));
  const ids = names.map((p) => store.intern(p));
  store.db.registerValidPaths(ids.filter((_, i) => i % 2 === 0).map((path) => ({ path, references: [] })));
  return { store, ids, names };
}

function isValidById(): BenchRow {
  const { store, ids } = halfValidStore(1 << 16);
  const { db } = store;
  const mask = ids.length - 1;
  const v = rate(20_000_000, 5, (n) => {
    let hits = 0;
    for (let i = 0; i < n; i++) if (db.isValid(ids[(i * STRIDE) & mask]!)) hits++;
    return hits;
  });
  return row({ bench: 'store.db.isValid(id)', value: v, unit: 'ops/s', target: 20_000_000 });
}

function isValidByName(paths: number): BenchRow {
  const { store, names } = halfValidStore(paths);
  const { db } = store;
  const mask = names.length - 1;
  const v = rate(2_000_000, 5, (n) => {
    let hits = 0;
    for (let i = 0; i < n; i++) if (db.isValidName(names[(i * STRIDE) & mask]!)) hits++;
    return hits;
  });
  return row({ bench: `store.db.isValidName(name).${paths}paths`, value: v, unit: 'ops/s', target: 2_000_000 });
}

/** registerValidPaths([one fresh path with 4 valid references]), a new path every op. */
function registerOnePath(): BenchRow {
  const REFS = 1024;
  const PER_TRIAL = 200_000;
  const TRIALS = 5;
  const fresh = PER_TRIAL * (TRIALS + 1); // +1: a warm-up trial
  const store = Store.create(capacitiesFor({ paths: REFS + fresh, edges: 4 * fresh, nameBytes: (REFS + fresh) * 48 }));
  const refs = Array.from({ length: REFS }, (_, i) => store.intern(benchStorePath(fresh + i)));
  store.db.registerValidPaths(refs.map((path) => ({ path, references: [] })));
  // 256 disjoint quadruples of distinct references, taken in turn.
  const quads = Array.from({ length: REFS / 4 }, (_, q) => refs.slice(4 * q, 4 * q + 4));
  const batches: ValidPathInfo[][] = Array.from({ length: fresh }, (_, i) => [
    { path: store.intern(benchStorePath(i)), references: quads[i % quads.length]! },
  ]);
  let next = 0;
  const one = (n: number): number => {
    for (let i = 0; i < n; i++) store.db.registerValidPaths(batches[next++]!);
    return n;
  };
  one(PER_TRIAL);
  const v = rate(PER_TRIAL, TRIALS, one);
  if (store.db.validCount() !== REFS + fresh) throw new Error('registerValidPaths bench: not every path became valid');
  return row({ bench: 'store.db.registerValidPaths(1 path, 4 refs)', value: v, unit: 'ops/s', target: 500_000 });
}

/** The shared memory of a store sized for 1 M paths, 8 M references and 10 k temp-roots files. */
function bigStoreSize(): BenchRow {
  const store = Store.create(capacitiesFor({ paths: 1_000_000, edges: 8_000_000, tempRootsFiles: 10_000, nameBytes: 48 * 1_000_000 }));
  // It works, not just allocates: a few names, a valid path with a reference.
  const a = store.intern(benchStorePath(1));
  const b = store.intern(benchStorePath(2));
  store.db.registerValidPaths([{ path: a, references: [] }, { path: b, references: [a] }]);
  if (store.findClosureViolation() !== null || store.paths.count() !== 2) throw new Error('big store does not work');
  return row({ bench: 'store.byteLength(1M paths, 8M refs, 10k temproots)', value: store.byteLength / MiB, unit: 'MiB', target: 256 });
}
