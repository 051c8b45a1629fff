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

/** Access codes in the recorder's arrays. */
const R = 0;
const I = 1;
const W = 2;
const CODE: Readonly<Record<Access, number>> = { r: R, i: I, w: W };
const ACCESS: readonly Access[] = ['r', 'i', 'w'];

/**
 * Object keys interned once per process (#14: a Map of strings per step and a
 * string hash per entry were a third of a DFS run): an id per key, its class's
 * id, whether it names the whole class, and the two hashes of each of its
 * three accesses (the same values as hashing `${access}${key}`).
 */
const keyIds = new Map<string, number>();
/** Per key id: its name (for step(), which tests and diagnostics read). */
const keyNames: string[] = [];
const keyClass: number[] = [];
const keyAll: boolean[] = [];
/** Per key: 6 words, [r1, r2, i1, i2, w1, w2]. */
const keyHash: number[] = [];
const classIds = new Map<string, number>();

function internKey(key: string): number {
  let id = keyIds.get(key);
  if (id !== undefined) return id;
  id = keyClass.length;
  const c = classOf(key);
  let cid = classIds.get(c);
  if (cid === undefined) classIds.set(c, (cid = classIds.size));
  keyClass.push(cid);
  keyAll.push(isAll(key));
  for (const a of ACCESS) {
    const [x, y] = hashOf(`${a}${key}`);
    keyHash.push(x, y);
  }
  keyIds.set(key, id);
  keyNames.push(key);
  return id;
}

/**
 * Collects the footprint of the step in progress. The kernel starts a new
 * step at each decision; recording is paused while the kernel evaluates
 * readiness (those reads belong to no step). Steps are kept flat: step k's
 * entries are ids[starts[k] .. starts[k+1]), each with its access code.
 */
export class FootprintRecorder {
  private recording = false;
  private readonly ids: number[] = [];
  private readonly acc: number[] = [];
  private readonly starts: number[] = [];
  /** Per key id: 1 + the step it was last recorded in, and its entry there. */
  private stamp: Int32Array = new Int32Array(256);
  private pos: Int32Array = new Int32Array(256);

  begin(): void {
    this.starts.push(this.ids.length);
    this.recording = true;
  }

  /** Steps begun so far. */
  get stepCount(): number {
    return this.starts.length;
  }

  /** Step k's entries as [first, end) into entries(). */
  range(k: number): readonly [number, number] {
    return [this.starts[k]!, k + 1 < this.starts.length ? this.starts[k + 1]! : this.ids.length];
  }

  /** The flat entries: key ids and access codes. */
  entries(): { readonly ids: readonly number[]; readonly acc: readonly number[] } {
    return { ids: this.ids, acc: this.acc };
  }

  /** Step k's footprint as a map (tests and diagnostics). */
  step(k: number): Footprint {
    const [a, b] = this.range(k);
    const f: Footprint = new Map();
    for (let j = a; j < b; j++) f.set(keyNames[this.ids[j]!]!, ACCESS[this.acc[j]!]!);
    return f;
  }

  /** Reads outside any step (the kernel polling readiness) are not recorded. */
  pause<T>(f: () => T): T {
    const saved = this.recording;
    this.recording = false;
    try {
      return f();
    } finally {
      this.recording = saved;
    }
  }

  read(key: string): void {
    if (this.recording) this.mark(internKey(key), R, I);
  }

  increment(key: string): void {
    if (this.recording) this.mark(internKey(key), I, R);
  }

  write(key: string): void {
    if (!this.recording) return;
    const id = internKey(key);
    const j = this.entryOf(id);
    if (j < 0) this.push(id, W);
    else this.acc[j] = W;
  }

  /** A read and an increment of one object in one step make it a write. */
  private mark(id: number, access: number, other: number): void {
    const j = this.entryOf(id);
    if (j < 0) this.push(id, access);
    else if (this.acc[j] === other) this.acc[j] = W;
  }

  /** The entry of key `id` in the current step, or -1. */
  private entryOf(id: number): number {
    if (id >= this.stamp.length) {
      const n = Math.max(id + 1, this.stamp.length * 2);
      const s = new Int32Array(n);
      s.set(this.stamp);
      const p = new Int32Array(n);
      p.set(this.pos);
      this.stamp = s;
      this.pos = p;
    }
    return this.stamp[id] === this.starts.length ? this.pos[id]! : -1;
  }

  private push(id: number, access: number): void {
    this.stamp[id] = this.starts.length;
    this.pos[id] = this.ids.length;
    this.ids.push(id);
    this.acc.push(access);
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

/** The highest level among earlier accesses (levels at l[o], l[o+1], l[o+2] for r, i, w) that conflict with access `a`. */
function conflicting(l: Int32Array, o: number, a: number): number {
  const r = l[o]!;
  const i = l[o + 1]!;
  const w = l[o + 2]!;
  if (a === R) return w > i ? w : i;
  if (a === I) return w > r ? w : r;
  return Math.max(r, i, w);
}

function bump(l: Int32Array, o: number, level: number): void {
  if (level > l[o]!) l[o] = level;
}

/** Grows a per-id level table (3 words per id) to hold id `n - 1`. */
function grown(l: Int32Array, n: number): Int32Array {
  if (n * 3 <= l.length) return l;
  const g = new Int32Array(Math.max(n * 3, l.length * 2));
  g.set(l);
  return g;
}

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
  /** Per object id: the highest Foata level of a read, an increment and a write of it. */
  private objects: Int32Array = new Int32Array(3 * 256);
  /** Per class id: levels of whole-class accesses, and of any access to one of its objects. */
  private wholeClass: Int32Array = new Int32Array(3 * 32);
  private anyInClass: Int32Array = new Int32Array(3 * 32);
  private h1 = 0;
  private h2 = 0;
  private h3 = 0;
  length = 0;

  /** Adds the next step: `id` names it (actor, label, sequence, fault). */
  add(id: string, f: Footprint): void {
    const ids: number[] = [];
    const acc: number[] = [];
    for (const [k, a] of f) {
      ids.push(internKey(k));
      acc.push(CODE[a]);
    }
    const [i1, i2] = hashOf(id);
    this.addEntries(i1, i2, ids, acc, 0, ids.length);
  }

  /** Adds step k of a recorder: `actor`'s park number `seq` at `label`, crashed with `fault` if not null. */
  addStep(actor: string, seq: number, label: string, fault: string | null, rec: FootprintRecorder, k: number): void {
    const [a, b] = rec.range(k);
    const { ids, acc } = rec.entries();
    const [a1, a2] = hashOf(actor);
    const [l1, l2] = hashOf(label);
    const [f1, f2] = fault === null ? NONE : hashOf(fault);
    this.addEntries(mix(a1, l1, mix(seq, f1, 0, 0x27d4eb2f), 0x165667b1), mix(a2, l2, mix(seq, f2, 1, 0x27d4eb2f), 0xd3a2646c), ids, acc, a, b);
  }

  private addEntries(i1: number, i2: number, ids: readonly number[], acc: readonly number[], from: number, to: number): void {
    this.objects = grown(this.objects, keyClass.length);
    this.wholeClass = grown(this.wholeClass, classIds.size);
    this.anyInClass = grown(this.anyInClass, classIds.size);
    const { objects, wholeClass, anyInClass } = this;
    let level = 0;
    for (let j = from; j < to; j++) {
      const k = ids[j]!;
      const a = acc[j]!;
      const c = 3 * keyClass[k]!;
      const own = keyAll[k] ? conflicting(anyInClass, c, a) : conflicting(objects, 3 * k, a);
      const whole = conflicting(wholeClass, c, a);
      if (own > level) level = own;
      if (whole > level) level = whole;
    }
    level++;
    // A step's hash: its level, identity and footprint (a sum over its entries: their order is not part of it).
    let fp1 = 0;
    let fp2 = 0;
    for (let j = from; j < to; j++) {
      const k = ids[j]!;
      const a = acc[j]!;
      const c = 3 * keyClass[k]!;
      if (keyAll[k]) bump(wholeClass, c + a, level);
      else bump(objects, 3 * k + a, level);
      bump(anyInClass, c + a, level);
      fp1 = (fp1 + keyHash[6 * k + 2 * a]!) | 0;
      fp2 = (fp2 + keyHash[6 * k + 2 * a + 1]!) | 0;
    }
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
    return this.stateWordsOf(fnv(extra, 0x811c9dc5), fnv(extra, 0x01000193));
  }

  /**
   * The state words for a search state at virtual time `nowUs` with `crashes`
   * spent and, when `previous` is given (a finite preemption bound), the last
   * actor and process: what a bounded search from there depends on.
   */
  searchState(nowUs: number, crashes: number, previous: { readonly actor: string | null; readonly group: string | null } | null): readonly [number, number, number, number] {
    const lo = nowUs | 0;
    const hi = (nowUs / 0x1_0000_0000) | 0;
    let e1 = mix(lo, hi, crashes, 0x811c9dc5);
    let e2 = mix(lo, crashes, hi, 0x01000193);
    if (previous) {
      const [p1, p2] = previous.actor === null ? NONE : hashOf(previous.actor);
      const [g1, g2] = previous.group === null ? NONE : hashOf(previous.group);
      e1 = mix(e1, p1, g1, 0x2545f491);
      e2 = mix(e2, g2, p2, 0x9e3779b9);
    } else e1 = mix(e1, 0, 1, 0x2545f491);
    return this.stateWordsOf(e1, e2);
  }

  private stateWordsOf(e1: number, e2: number): readonly [number, number, number, number] {
    return [
      mix(this.h1, e1, this.length, 0x2545f491),
      mix(this.h2, e2, this.length, 0x9e3779b9),
      mix(this.h3, e1 ^ e2, this.length, 0x85ebca6b),
      mix(this.h1 ^ this.h3, this.h2 ^ e2, e1 ^ this.length, 0xc2b2ae35),
    ];
  }
}

/** The hash pair standing for "none" (no fault, no previous actor or process): no string hashes to it but by chance. */
const NONE: readonly [number, number] = [0x3c6ef372, 0x7f4a7c15];

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
