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
  readonly drvs: ReadonlyMap<string, ResolvedDrv>;
  readonly srcs: ReadonlyMap<string, ResolvedSource>;
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
  const visit = (name: string): ResolvedDrv => {
    const done = drvs.get(name);
    if (done) return done;
    const spec = specs.get(name);
    if (!spec) throw new RangeError(`unknown derivation '${name}'`);
    if (visiting.has(name)) throw new RangeError(`derivation '${name}' depends on itself`);
    visiting.add(name);
    const inputDrvs = spec.inputDrvs.map((d) => visit(d).drvPath);
    const inputSrcs = spec.inputSrcs.map((n) => {
      const src = srcs.get(n);
      if (!src) throw new RangeError(`unknown source '${n}' in derivation '${name}'`);
      return src.path;
    });
    visiting.delete(name);
    // Output paths depend on the drv's inputs, not on the drv path (which depends on them): hash the inputs.
    const skeleton = `Derive(${JSON.stringify(name)},${JSON.stringify([...inputDrvs].sort())},${JSON.stringify([...inputSrcs].sort())},${JSON.stringify(spec.outputs)})`;
    const outputs = new Map(spec.outputs.map((o) => [o, makeOutputPath(skeleton, o, name)] as const));
    const contents = `${skeleton}:${JSON.stringify([...outputs])}`;
    const references = [...inputSrcs, ...inputDrvs];
    const r: ResolvedDrv = { spec, drvPath: makeTextPath(`${name}.drv`, contents, references), contents, references, outputs, inputDrvs, inputSrcs };
    drvs.set(name, r);
    return r;
  };
  for (const d of s.derivations) visit(d.name);
  const out = { drvs, srcs };
  cache.set(s, out);
  return out;
}

/** The drv and everything it depends on, inputs first (the order nix-instantiate writes them). */
export function closureInOrder(r: Resolved, name: string): ResolvedDrv[] {
  const out: ResolvedDrv[] = [];
  const seen = new Set<string>();
  const walk = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const d = r.drvs.get(n);
    if (!d) throw new RangeError(`unknown derivation '${n}'`);
    for (const i of d.spec.inputDrvs) walk(i);
    out.push(d);
  };
  walk(name);
  return out;
}

/** Finds a resolved drv by its store path. */
export function drvByPath(r: Resolved, path: string): ResolvedDrv | undefined {
  for (const d of r.drvs.values()) if (d.drvPath === path) return d;
  return undefined;
}
