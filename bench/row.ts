/**
 * The bench output format: one JSON object per line. A bench module is an
 * async generator of rows, so run.ts can print each figure as soon as it exists.
 */

export interface BenchRow {
  readonly bench: string;
  readonly value: number;
  readonly unit: string;
  /** The same operation done the raw way, measured in the same run in the same way. */
  readonly baseline?: number;
  /** value / baseline. */
  readonly ratio?: number;
  /**
   * What the figure should reach: a bound on `ratio` when the row has a
   * baseline, otherwise on `value`; a maximum for sizes (MiB), a minimum for rates.
   */
  readonly target?: number;
  /** Whether `target` was reached. */
  readonly met?: boolean;
}

export type BenchModule = () => AsyncIterable<BenchRow>;

interface RowSpec {
  readonly bench: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  readonly target?: number;
}

const round = (x: number): number => Number(x.toPrecision(4));

/** A row with ratio and `met` filled in, figures rounded to 4 significant digits. */
export function row(s: RowSpec): BenchRow {
  const ratio = s.baseline === undefined ? undefined : s.value / s.baseline;
  const measured = ratio ?? s.value;
  const met = s.target === undefined ? undefined : s.unit === 'MiB' ? measured <= s.target : measured >= s.target;
  return {
    bench: s.bench,
    value: round(s.value),
    unit: s.unit,
    ...(s.baseline === undefined ? {} : { baseline: round(s.baseline) }),
    ...(ratio === undefined ? {} : { ratio: Number(ratio.toFixed(3)) }),
    ...(s.target === undefined ? {} : { target: s.target }),
    ...(met === undefined ? {} : { met }),
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
