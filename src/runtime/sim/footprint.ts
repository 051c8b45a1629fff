/**
 * Footprints for partial-order reduction: what each scheduling decision read
 * and wrote of the state other actors share. A decision's step is everything
 * that runs between it and the next decision (the resumed fiber and any fiber
 * it woke). Objects are named `class:id` (`valid:12`, `lock:3`, `chan:7`);
 * `class:*` reads or writes every object of the class (a query over the whole
 * validity database, an operation the recording store does not know). Two
 * steps are dependent when one writes an object the other reads or writes.
 *
 * Soundness rests on the recording being complete: every shared object a step
 * touches must appear in its footprint. Unknown store operations are recorded
 * as writes of everything (recordingStore.ts), and every step writes its
 * process group (`group:<name>`), so actor-local state shared between the
 * fibers of one scenario process (a client, its daemon workers and GC threads)
 * never needs naming.
 */

/** Read, write, or increment: increments of one counter commute with each other, not with reads or writes. */
export type Access = 'r' | 'w' | 'i';

/** One step's footprint: object → its access (a read and an increment, or any write, make 'w'). */
export type Footprint = Map<string, Access>;

const classOf = (key: string): string => key.slice(0, key.indexOf(':'));
const isAll = (key: string): boolean => key.endsWith(':*');

/**
 * Collects the footprint of the step in progress. The kernel starts a new
 * step at each decision; recording is paused while the kernel evaluates
 * readiness (those reads belong to no step).
 */
export class FootprintRecorder {
  private current: Footprint | null = null;
  readonly steps: Footprint[] = [];

  begin(): void {
    this.current = new Map();
    this.steps.push(this.current);
  }

  /** Reads outside any step (the kernel polling readiness) are not recorded. */
  pause<T>(f: () => T): T {
    const saved = this.current;
    this.current = null;
    try {
      return f();
    } finally {
      this.current = saved;
    }
  }

  read(key: string): void {
    this.mark(key, 'r', 'i');
  }

  increment(key: string): void {
    this.mark(key, 'i', 'r');
  }

  /** A read and an increment of one object in one step make it a write. */
  private mark(key: string, access: 'r' | 'i', other: 'r' | 'i'): void {
    const c = this.current;
    if (!c) return;
    const had = c.get(key);
    if (had === undefined) c.set(key, access);
    else if (had === other) c.set(key, 'w');
  }

  write(key: string): void {
    this.current?.set(key, 'w');
  }
}

/** Do two footprints conflict (write/write or read/write on one object, or on a class one of them touches whole)? */
export function dependent(a: Footprint, b: Footprint): boolean {
  for (const [k, x] of a) {
    for (const [m, y] of b) {
      if (x === y && x !== 'w') continue; // two reads, or two increments, commute
      if (k === m || ((isAll(k) || isAll(m)) && classOf(k) === classOf(m))) return true;
    }
  }
  return false;
}

/** Per object (or class): the highest Foata level of a read, a write and an increment of it. */
interface Levels {
  r: number;
  w: number;
  i: number;
}

const bump = (m: Map<string, Levels>, key: string, level: number, a: Access): void => {
  let l = m.get(key);
  if (!l) m.set(key, (l = { r: 0, w: 0, i: 0 }));
  if (level > l[a]) l[a] = level;
};

/** The highest level among earlier accesses that conflict with an access `a`. */
const conflicting = (l: Levels | undefined, a: Access): number => {
  if (!l) return 0;
  if (a === 'r') return Math.max(l.w, l.i);
  if (a === 'i') return Math.max(l.w, l.r);
  return Math.max(l.w, l.r, l.i);
};

/**
 * A run's Mazurkiewicz trace, built one step at a time as its Foata normal
 * form: a step's level is one more than the highest level of an earlier step
 * it depends on. Two sequences of steps are equivalent (one becomes the other
 * by swapping adjacent independent steps) exactly when they have the same
 * steps at the same levels, so the key is an order-independent hash of
 * (step identity, footprint, level). Steps of one actor are told apart by
 * their park sequence number.
 */
export class TraceKey {
  private readonly objects = new Map<string, Levels>();
  /** Per class: levels of whole-class accesses, and of any access to one of its objects. */
  private readonly wholeClass = new Map<string, Levels>();
  private readonly anyInClass = new Map<string, Levels>();
  private h1 = 0;
  private h2 = 0;
  private h3 = 0;
  length = 0;

  /** Adds the next step: `id` names it (actor, label, sequence, fault). */
  add(id: string, f: Footprint): void {
    let level = 0;
    for (const [k, a] of f) {
      const c = classOf(k);
      level = Math.max(level, isAll(k) ? conflicting(this.anyInClass.get(c), a) : conflicting(this.objects.get(k), a), conflicting(this.wholeClass.get(c), a));
    }
    level++;
    for (const [k, a] of f) {
      const c = classOf(k);
      if (isAll(k)) bump(this.wholeClass, c, level, a);
      else bump(this.objects, k, level, a);
      bump(this.anyInClass, c, level, a);
    }
    // A step's hash: its level, identity and footprint (a sum over its entries: their order is not part of it).
    let fp1 = 0;
    let fp2 = 0;
    for (const [k, a] of f) {
      const [x, y] = hashOf(`${a}${k}`);
      fp1 = (fp1 + x) | 0;
      fp2 = (fp2 + y) | 0;
    }
    const [i1, i2] = hashOf(id);
    // Three 32-bit hashes summed over the steps: order-independent, about 2^-96 per collision.
    this.h1 = (this.h1 + mix(level, i1, fp1, 0x2545f491)) | 0;
    this.h2 = (this.h2 + mix(level, i2, fp2, 0x9e3779b9)) | 0;
    this.h3 = (this.h3 + mix(level, i1 ^ fp2, i2 ^ fp1, 0x85ebca6b)) | 0;
    this.length++;
  }

  get key(): string {
    return `${this.length}.${(this.h1 >>> 0).toString(36)}.${(this.h2 >>> 0).toString(36)}.${(this.h3 >>> 0).toString(36)}`;
  }

  /**
   * A 128-bit hash of this trace with `extra` (what else a search state
   * depends on), as four 32-bit words for a StateTable: equal for equal
   * (trace, extra), and different otherwise but with about 2^-96 chance.
   */
  stateWords(extra: string): readonly [number, number, number, number] {
    const e1 = fnv(extra, 0x811c9dc5);
    const e2 = fnv(extra, 0x01000193);
    return [
      mix(this.h1, e1, this.length, 0x2545f491),
      mix(this.h2, e2, this.length, 0x9e3779b9),
      mix(this.h3, e1 ^ e2, this.length, 0x85ebca6b),
      mix(this.h1 ^ this.h3, this.h2 ^ e2, e1 ^ this.length, 0xc2b2ae35),
    ];
  }
}

/** Two 32-bit hashes of each string seen (object keys and step identities repeat across runs). */
const hashes = new Map<string, readonly [number, number]>();

function hashOf(s: string): readonly [number, number] {
  let h = hashes.get(s);
  if (!h) {
    h = [fnv(s, 0x811c9dc5), fnv(s, 0x01000193)];
    if (hashes.size < 1 << 20) hashes.set(s, h);
  }
  return h;
}

/** murmur3's finaliser over three words. */
function mix(a: number, b: number, c: number, seed: number): number {
  let h = Math.imul(a ^ seed, 0xcc9e2d51);
  h = Math.imul((h << 15) | (h >>> 17), 0x1b873593) ^ b;
  h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  h ^= c;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function fnv(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
