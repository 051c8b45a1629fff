/**
 * The DFS reduction's table of visited states (strategies/dfs.ts seenBefore):
 * a 128-bit state hash → the fewest preemptions spent on reaching it, in
 * typed arrays with open addressing, so millions of states cost ~36 bytes each
 * and nothing for the garbage collector to trace. A Map of string keys held
 * ~150 bytes per state and ran pr-15158 with 3 evaluators out of V8's 4 GB
 * heap after 7 minutes (measured, #14).
 *
 * Bounded: past `maxStates` no new state is remembered (lookups and updates go
 * on). That only prunes less — a run is stopped solely at a state found here —
 * so the search stays sound and complete; `full` says it happened.
 */
const EMPTY = -1;
/** States kept at most by default: 8 M, 320 MB at the largest table (16 M slots). */
export const DEFAULT_MAX_STATES = 1 << 23;

export class StateTable {
  private keys: Int32Array;
  private values: Int32Array;
  private mask: number;
  size = 0;
  /** A state was not remembered because the table was at `maxStates`. */
  full = false;

  constructor(
    readonly maxStates = DEFAULT_MAX_STATES,
    initialSlots = 1 << 12,
  ) {
    this.keys = new Int32Array(initialSlots * 4);
    this.values = new Int32Array(initialSlots).fill(EMPTY);
    this.mask = initialSlots - 1;
  }

  /** The value stored for the state (a, b, c, d), or undefined. */
  get(a: number, b: number, c: number, d: number): number | undefined {
    const s = this.find(a, b, c, d);
    const v = this.values[s]!;
    return v === EMPTY ? undefined : v;
  }

  /** Stores `value` (≥ 0) for the state; a new state past `maxStates` is dropped (and `full` set). */
  set(a: number, b: number, c: number, d: number, value: number): void {
    let s = this.find(a, b, c, d);
    if (this.values[s] !== EMPTY) {
      this.values[s] = value;
      return;
    }
    if (this.size >= this.maxStates) {
      this.full = true;
      return;
    }
    if ((this.size + 1) * 2 > this.values.length) {
      this.grow();
      s = this.find(a, b, c, d);
    }
    this.put(s, a, b, c, d, value);
    this.size++;
  }

  private put(s: number, a: number, b: number, c: number, d: number, value: number): void {
    const k = s * 4;
    this.keys[k] = a;
    this.keys[k + 1] = b;
    this.keys[k + 2] = c;
    this.keys[k + 3] = d;
    this.values[s] = value;
  }

  /** The slot holding (a, b, c, d), or the empty slot where it would go (linear probing). */
  private find(a: number, b: number, c: number, d: number): number {
    const keys = this.keys;
    const values = this.values;
    let s = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask;
    for (;;) {
      if (values[s] === EMPTY) return s;
      const k = s * 4;
      if (keys[k] === a && keys[k + 1] === b && keys[k + 2] === c && keys[k + 3] === d) return s;
      s = (s + 1) & this.mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const slots = oldValues.length * 2;
    this.keys = new Int32Array(slots * 4);
    this.values = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
    for (let s = 0; s < oldValues.length; s++) {
      const v = oldValues[s]!;
      if (v === EMPTY) continue;
      const k = s * 4;
      const a = oldKeys[k]!;
      const b = oldKeys[k + 1]!;
      const c = oldKeys[k + 2]!;
      const d = oldKeys[k + 3]!;
      this.put(this.find(a, b, c, d), a, b, c, d, v);
    }
  }
}
