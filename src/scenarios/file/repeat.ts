/**
 * `repeat` and `{i}`: an entry with `repeat: N` stands for N copies, `{i}` = 1..N
 * in each of its strings. Each copy remembers where it was written, so later
 * errors point at the entry in the file and name the copy.
 */
import type { IntExpr } from './format.js';
import { atMost, LIMITS, type LimitName } from './limits.js';
import { evalInt, type Params } from './params.js';
import type { JsonPath, Locator } from './where.js';

export interface Instance<T> {
  readonly value: T;
  /** The entry in the file: `['derivations', 3]`. */
  readonly path: JsonPath;
  /** Which copy (1-based), or null for an entry without `repeat`. */
  readonly i: number | null;
}

/**
 * The copies of every entry of `list` (the file's `key` list), in file order.
 * `total` bounds the copies of the whole list, checked before they are made.
 */
export function instances<T extends { readonly repeat?: IntExpr }>(at: Locator, list: readonly T[] | undefined, key: string, params: Params, total?: LimitName): Instance<Omit<T, 'repeat'>>[] {
  const out: Instance<Omit<T, 'repeat'>>[] = [];
  const max = total === undefined ? Infinity : LIMITS[total].value;
  for (const [k, entry] of (list ?? []).entries()) {
    const path = [key, k];
    const { repeat, ...rest } = entry;
    if (repeat === undefined) {
      const bad = findTemplate(rest, path);
      if (bad) throw at.error(bad, `'{i}' is only replaced in an entry with "repeat"`);
      if (out.length + 1 > max) throw at.error(path, `more than ${max} ${key}; ${atMost(total!)}`);
      out.push({ value: rest, path, i: null });
      continue;
    }
    const n = evalInt(at, [...path, 'repeat'], repeat, params);
    if (n > LIMITS.repeat.value) throw at.error([...path, 'repeat'], `${n} copies; ${atMost('repeat')}`);
    if (out.length + n > max) throw at.error([...path, 'repeat'], `${out.length + n} ${key} with this entry's ${n} copies; ${atMost(total!)}`);
    for (let i = 1; i <= n; i++) out.push({ value: substitute(rest, i) as Omit<T, 'repeat'>, path, i });
  }
  return out;
}

function substitute(v: unknown, i: number): unknown {
  if (typeof v === 'string') return v.replaceAll('{i}', String(i));
  if (Array.isArray(v)) return v.map((x) => substitute(x, i));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, i)]));
  return v;
}

function findTemplate(v: unknown, path: JsonPath): JsonPath | null {
  if (typeof v === 'string') return v.includes('{i}') ? path : null;
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
      const hit = findTemplate(x, [...path, k]);
      if (hit) return hit;
    }
  }
  return null;
}

/** An error at a field of a copy, naming the copy when the entry is repeated. */
export function errorAt(at: Locator, inst: Instance<unknown>, sub: JsonPath, what: string): Error {
  return at.error([...inst.path, ...sub], inst.i === null ? what : `${what} (in copy {i}=${inst.i})`);
}
