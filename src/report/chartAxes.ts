/**
 * Axes for the sweep report's charts (issue #13 item 6): round tick values
 * (1, 2, 2.5 or 5 times a power of ten), and a log₂ axis for worker counts
 * and any parameter swept over powers of two, where doubling is the step a
 * reader thinks in.
 */

export interface Axis {
  readonly kind: 'linear' | 'log2';
  /** Domain ends (data units); a log₂ axis's are powers of two. */
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  /** A tick's label: as few decimals as the step needs. */
  label(v: number): string;
  /** Where `v` falls in [0, 1] along the axis. */
  at(v: number): number;
}

const isPowerOfTwo = (x: number): boolean => Number.isInteger(x) && x >= 1 && (x & (x - 1)) === 0;

/** The round step for about `count` intervals over `span`: 1, 2, 2.5 or 5 × 10^k. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

function decimals(step: number): number {
  for (let d = 0; d < 6; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-9) return d;
  return 6;
}

/** A value axis from 0: its top is the first round tick at or above `max` (or `fixedTop`, e.g. a rate's 1). */
export function valueAxis(max: number, fixedTop: number | null = null, count = 5): Axis {
  const top0 = fixedTop ?? (max > 0 ? max : 1);
  const step = niceStep(top0, count);
  const top = fixedTop ?? Math.ceil(top0 / step - 1e-9) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => round(i * step));
  const d = decimals(step);
  return { kind: 'linear', min: 0, max: top, ticks, label: (v) => v.toFixed(d), at: (v) => v / top };
}

const round = (x: number): number => Math.round(x * 1e9) / 1e9;

/**
 * A parameter axis over `values`: log₂ when it is `workers` or every value is
 * a power of two, and they span at least a factor of 4; else linear with
 * round ticks (whole numbers: every parameter is an integer).
 */
export function paramAxis(name: string, values: readonly number[]): Axis {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const log = lo >= 1 && hi / lo >= 4 && (name === 'workers' || values.every(isPowerOfTwo));
  if (log) {
    const a = Math.floor(Math.log2(lo));
    const b = Math.ceil(Math.log2(hi));
    // At most about 8 labels: every k-th power of two.
    const every = Math.max(1, Math.ceil((b - a) / 8));
    const ticks: number[] = [];
    for (let e = a; e <= b; e += every) ticks.push(2 ** e);
    return { kind: 'log2', min: 2 ** a, max: 2 ** b, ticks, label: (v) => String(v), at: (v) => (b === a ? 0.5 : (Math.log2(v) - a) / (b - a)) };
  }
  if (hi === lo) return { kind: 'linear', min: lo, max: hi, ticks: [lo], label: (v) => String(v), at: () => 0.5 };
  // Whole steps only (2.5 → 2): a parameter has no value between two integers.
  const step = Math.max(1, Math.floor(niceStep(hi - lo, 5)));
  const first = Math.ceil(lo / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + 1e-9; v += step) ticks.push(round(v));
  const d = decimals(step);
  return { kind: 'linear', min: lo, max: hi, ticks, label: (v) => v.toFixed(d), at: (v) => (v - lo) / (hi - lo) };
}
