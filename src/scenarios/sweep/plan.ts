/**
 * A sweep's plan: the grid of points, each point's seed (derived from the root
 * seed and the point's parameters, so any point reruns alone), each run's seed,
 * and which runs a shard owns.
 */
import { UsageError } from '../../messages/errors.js';
import { deriveSeed } from '../../runtime/index.js';

export interface Axis {
  readonly name: string;
  readonly values: readonly (string | number)[];
}

export interface Point {
  /** `profile=nix-2.33,evaluators=4,workers=2`: stable, and the seed's input. */
  readonly key: string;
  readonly profile: string;
  readonly params: Readonly<Record<string, number>>;
}

export interface PlannedRun {
  readonly point: Point;
  readonly run: number;
  readonly seed: number;
}

/** `--param name=v1,v2,…` → an axis of integers. */
export function parseAxis(arg: string): Axis {
  const eq = arg.indexOf('=');
  if (eq < 1) throw new UsageError(`--param expects name=v1,v2,…, got '${arg}'`);
  const name = arg.slice(0, eq);
  const values = arg.slice(eq + 1).split(',').map((v) => {
    const n = Number(v);
    if (v === '' || !Number.isInteger(n) || n < 0) throw new UsageError(`--param ${name} expects non-negative integers, got '${v}'`);
    return n;
  });
  if (new Set(values).size !== values.length) throw new UsageError(`--param ${name} lists a value twice`);
  return { name, values };
}

export function expandGrid(profiles: readonly string[], axes: readonly Axis[]): Point[] {
  const names = axes.map((a) => a.name);
  if (new Set(names).size !== names.length) throw new UsageError('a parameter is swept twice');
  let combos: Record<string, number>[] = [{}];
  for (const a of axes) combos = combos.flatMap((c) => a.values.map((v) => ({ ...c, [a.name]: Number(v) })));
  return profiles.flatMap((profile) =>
    combos.map((params) => ({ profile, params, key: [`profile=${profile}`, ...names.map((n) => `${n}=${params[n]}`)].join(',') })),
  );
}

export function pointSeed(rootSeed: number, p: Point): number {
  return deriveSeed(rootSeed, p.key);
}

/** Every run of the sweep in a fixed order; a shard `i/n` takes every n-th, starting at i−1. */
export function planRuns(points: readonly Point[], runs: number, rootSeed: number, shard?: { i: number; n: number }): PlannedRun[] {
  const out: PlannedRun[] = [];
  let k = 0;
  for (const point of points) {
    const ps = pointSeed(rootSeed, point);
    for (let r = 0; r < runs; r++, k++) {
      if (shard && k % shard.n !== shard.i - 1) continue;
      out.push({ point, run: r, seed: deriveSeed(ps, `run#${r}`) });
    }
  }
  return out;
}

export function parseShard(s: string): { i: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || i < 1 || i > n) throw new UsageError(`--shard expects i/n with 1 ≤ i ≤ n, got '${s}'`);
  return { i, n };
}
