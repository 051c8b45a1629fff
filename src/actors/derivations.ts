/**
 * Content-addressed derivations and sources of a scenario: every thread computes
 * the same paths from the same spec, as two Nix evaluators do.
 */
import type { DerivationSpec, ScenarioRun, SourceSpec } from '../messages/scenario.js';
import { makeOutputPath, makeSourcePath, makeTextPath } from '../store/index.js';

export interface ResolvedSource {
  readonly spec: SourceSpec;
  readonly path: string;
}

export interface ResolvedDrv {
  readonly spec: DerivationSpec;
  readonly drvPath: string;
  /** The drv text (ATerm-like); its hash fixes the drv path. */
  readonly contents: string;
  /** inputSrcs paths plus input drv paths: the drv's store references. */
  readonly references: readonly string[];
  readonly outputs: ReadonlyMap<string, string>;
  readonly inputDrvs: readonly string[];
  readonly inputSrcs: readonly string[];
}

export interface Resolved {
  /** Every derivation with a fixed name, and each template instance made so far (`app-7`). */
  readonly drvs: ReadonlyMap<string, ResolvedDrv>;
  readonly srcs: ReadonlyMap<string, ResolvedSource>;
  /** `name` of derivation `app-{n}` at iteration n: made (and kept) on first use. */
  drvAt(name: string, n: number): ResolvedDrv;
}

const TEMPLATE = '{n}';

/** Whether `concrete` (`app-7`) is `name` (`app-{n}`) at some iteration. */
export function isIterationOf(name: string, concrete: string): boolean {
  if (!name.includes(TEMPLATE)) return false;
  const [head, tail] = name.split(TEMPLATE, 2) as [string, string];
  return concrete.startsWith(head) && concrete.endsWith(tail) && /^\d+$/.test(concrete.slice(head.length, concrete.length - tail.length));
}

const cache = new WeakMap<ScenarioRun, Resolved>();

export function resolve(s: ScenarioRun): Resolved {
  const hit = cache.get(s);
  if (hit) return hit;
  const srcs = new Map<string, ResolvedSource>();
  for (const spec of s.sources) srcs.set(spec.name, { spec, path: makeSourcePath(spec.name, spec.contents) });
  const specs = new Map(s.derivations.map((d) => [d.name, d]));
  const drvs = new Map<string, ResolvedDrv>();
  const visiting = new Set<string>();
  const visit = (name: string, n: number): ResolvedDrv => {
    const concrete = name.replaceAll(TEMPLATE, String(n));
    const done = drvs.get(concrete);
    if (done) return done;
    const key = specs.has(name) ? name : specs.has(concrete) ? concrete : templateOf(concrete);
    const tpl = key === undefined ? undefined : specs.get(key);
    if (!tpl) throw new RangeError(`unknown derivation '${name}'`);
    const spec: DerivationSpec = tpl.name.includes(TEMPLATE)
      ? { ...tpl, name: concrete, inputDrvs: tpl.inputDrvs.map((d) => d.replaceAll(TEMPLATE, String(n))), inputSrcs: tpl.inputSrcs }
      : tpl;
    if (visiting.has(concrete)) throw new RangeError(`derivation '${concrete}' depends on itself`);
    visiting.add(concrete);
    const inputDrvs = spec.inputDrvs.map((d) => visit(d, n).drvPath);
    const inputSrcs = spec.inputSrcs.map((x) => {
      const src = srcs.get(x);
      if (!src) throw new RangeError(`unknown source '${x}' in derivation '${concrete}'`);
      return src.path;
    });
    visiting.delete(concrete);
    // Output paths depend on the drv's inputs, not on the drv path (which depends on them): hash the inputs.
    const skeleton = `Derive(${JSON.stringify(concrete)},${JSON.stringify([...inputDrvs].sort())},${JSON.stringify([...inputSrcs].sort())},${JSON.stringify(spec.outputs)})`;
    const outputs = new Map(spec.outputs.map((o) => [o, makeOutputPath(skeleton, o, concrete)] as const));
    const contents = `${skeleton}:${JSON.stringify([...outputs])}`;
    const references = [...inputSrcs, ...inputDrvs];
    const r: ResolvedDrv = { spec, drvPath: makeTextPath(`${concrete}.drv`, contents, references), contents, references, outputs, inputDrvs, inputSrcs };
    drvs.set(concrete, r);
    return r;
  };
  /** `app-7` → the template `app-{n}` it is an instance of. */
  const templateOf = (concrete: string): string | undefined => [...specs.keys()].find((name) => isIterationOf(name, concrete));
  for (const d of s.derivations) if (!d.name.includes(TEMPLATE)) visit(d.name, 0);
  const out: Resolved = {
    drvs,
    srcs,
    drvAt: (name, n) => visit(name, n),
  };
  cache.set(s, out);
  return out;
}

/** The drv (at iteration n) and everything it depends on, inputs first (the order nix-instantiate writes them). */
export function closureInOrder(r: Resolved, name: string, n = 0): ResolvedDrv[] {
  const out: ResolvedDrv[] = [];
  const seen = new Set<string>();
  const walk = (d: ResolvedDrv): void => {
    if (seen.has(d.spec.name)) return;
    seen.add(d.spec.name);
    for (const i of d.spec.inputDrvs) walk(r.drvAt(i, n));
    out.push(d);
  };
  walk(r.drvAt(name, n));
  return out;
}

/**
 * Finds a resolved drv by its store path. A template instance another thread
 * made is made here too: its name is in the path (`<hash>-app-7.drv`).
 */
export function drvByPath(r: Resolved, path: string): ResolvedDrv | undefined {
  for (const d of r.drvs.values()) if (d.drvPath === path) return d;
  const name = /^\/nix\/store\/[0-9a-z]{32}-(.+)\.drv$/.exec(path)?.[1];
  if (name === undefined) return undefined;
  try {
    const d = r.drvAt(name, 0);
    return d.drvPath === path ? d : undefined;
  } catch {
    return undefined;
  }
}
