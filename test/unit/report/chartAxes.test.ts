/** The sweep charts' axes: round ticks, and log₂ for worker counts and powers of two. */
import { describe, expect, it } from 'vitest';
import { niceStep, paramAxis, valueAxis } from '../../../src/report/chartAxes.js';

/** 1, 2, 2.5 or 5 times a power of ten. */
const isRound = (x: number): boolean => {
  if (x === 0) return true;
  const p = 10 ** Math.floor(Math.log10(Math.abs(x)));
  return [1, 2, 2.5, 5].some((m) => Math.abs(Math.abs(x) / p - m) < 1e-9);
};

describe('valueAxis', () => {
  it.each([1567, 0.37, 12, 98_765, 3, 0])('max %d: evenly spaced round ticks from 0 to a top at or above it', (max) => {
    const a = valueAxis(max);
    expect(a.ticks[0]).toBe(0);
    expect(a.max).toBeGreaterThanOrEqual(max);
    expect(a.ticks.at(-1)).toBeCloseTo(a.max, 9);
    const step = a.ticks[1]! - a.ticks[0]!;
    expect(isRound(step)).toBe(true);
    for (let i = 1; i < a.ticks.length; i++) expect(a.ticks[i]! - a.ticks[i - 1]!).toBeCloseTo(step, 9);
    expect(a.ticks.length).toBeGreaterThanOrEqual(3);
    expect(a.ticks.length).toBeLessThanOrEqual(11);
  });

  it('a rate axis is 0 … 1 in steps of 0.2, labelled with one decimal', () => {
    const a = valueAxis(0.4, 1);
    expect(a.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(a.ticks.map((v) => a.label(v))).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(valueAxis(1567).ticks.map((v) => valueAxis(1567).label(v))).toEqual(['0', '500', '1000', '1500', '2000']);
  });

  it('niceStep', () => {
    expect([niceStep(10, 5), niceStep(1, 5), niceStep(1567, 5), niceStep(12, 5)]).toEqual([2, 0.2, 500, 2.5]);
  });
});

describe('paramAxis', () => {
  it('workers 1, 2, 4, 8: log₂, ticks at each power of two, equally spaced', () => {
    const a = paramAxis('workers', [1, 2, 4, 8]);
    expect(a.kind).toBe('log2');
    expect(a.ticks).toEqual([1, 2, 4, 8]);
    const at = a.ticks.map((v) => a.at(v));
    expect(at[0]).toBe(0);
    expect(at[3]).toBe(1);
    expect(at[1]! - at[0]!).toBeCloseTo(at[2]! - at[1]!, 9);
    expect(at[2]! - at[1]!).toBeCloseTo(at[3]! - at[2]!, 9);
  });

  it('any parameter over powers of two is log₂; workers over other counts too, once they span 4×', () => {
    expect(paramAxis('evaluators', [1, 2, 8]).kind).toBe('log2');
    expect(paramAxis('workers', [1, 3, 6, 12]).kind).toBe('log2');
    expect(paramAxis('workers', [1, 3, 6, 12]).ticks).toEqual([1, 2, 4, 8, 16]);
    expect(paramAxis('evaluators', [1, 2]).kind).toBe('linear'); // two values: no scale to read
    expect(paramAxis('evaluators', [1, 3, 6]).kind).toBe('linear');
    expect(paramAxis('pressure', [0, 1024, 4096]).kind).toBe('linear'); // 0 has no log
  });

  it('a long log₂ axis labels every k-th power, at most about 8', () => {
    const a = paramAxis('workers', [1, 65_536]);
    expect(a.ticks.length).toBeLessThanOrEqual(9);
    for (const t of a.ticks) expect(Math.log2(t) % 1).toBe(0);
  });

  it('linear: whole round steps (a parameter is an integer)', () => {
    const a = paramAxis('evaluators', [1, 3, 6]);
    expect(a.ticks).toEqual([1, 2, 3, 4, 5, 6]);
    expect(paramAxis('n', [0, 10, 25]).ticks).toEqual([0, 5, 10, 15, 20, 25]);
    expect(paramAxis('n', [3, 3]).ticks).toEqual([3]);
  });
});
