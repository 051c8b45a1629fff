/**
 * What a scenario can ever ask of the shared store, as capacities: an upper
 * bound over every interleaving and every profile, derived from what the
 * actors in this folder do step by step. A run in a store of these
 * capacities never runs out (no CapacityError on a legal scenario); the
 * scenario layer refuses one whose store would be too large, before any run.
 *
 * The bounds count what is ever allocated, not what is live at once, where a
 * freeing depends on timing (a killed worker's temp-roots file lives until a
 * GC finds it stale): loops run in one process and keep appending to the same
 * file, so for temp-root entries the sum is also the real need.
 */
import type { DerivationSpec, ProcessSpec, ScenarioRun, Step } from '../messages/scenario.js';
import { layoutSize, type Capacities } from '../store/index.js';
import { isIterationOf } from './derivations.js';

export interface StoreNeeds {
  readonly caps: Capacities;
  /** Bytes of the SharedArrayBuffer these capacities lay out to (Infinity past the layout's 31-bit indices). */
  readonly bytes: number;
  /** For the capacities processes drive, the process that contributes most (the rest come from the derivations and the initial store). */
  readonly heaviest: Readonly<Partial<Record<keyof Capacities, string>>>;
  /** The realise step that unfolds into the most build goals, over all its passes. */
  readonly goals: { readonly process: string; readonly step: number; readonly count: number } | null;
}

/** Files and descriptions a LocalStore may hold (temproots, its `_state` lock file, a re-create in flight; gc.lock and lock fds of its threads). */
const FILES_PER_STORE = 3;
const OFDS_PER_STORE = 8;

/** Beyond this a count is "too many" for every purpose (and stays exact in a double). */
const SATURATED = 2 ** 50;
const add = (a: number, b: number): number => Math.min(SATURATED, a + b);
const mul = (a: number, b: number): number => Math.min(SATURATED, a * b);

/**
 * Derivations by name: a template (`app-{n}`) stands for the concrete names of
 * its iterations, and a step's `job-{n}` for each defined `job-<number>`.
 */
class Specs {
  private readonly byName: ReadonlyMap<string, DerivationSpec>;
  private readonly templates: readonly DerivationSpec[];
  private readonly matches = new Map<string, readonly DerivationSpec[]>();
  private readonly closures = new Map<string, number>();
  private readonly goals = new Map<string, number>();
  /** Temp roots one build goal takes: the drv and its outputs (the widest drv bounds them all). */
  readonly rootsPerGoal: number;

  constructor(list: readonly DerivationSpec[]) {
    this.byName = new Map(list.map((d) => [d.name, d]));
    this.templates = list.filter((d) => d.name.includes('{n}'));
    this.rootsPerGoal = 1 + list.reduce((m, d) => Math.max(m, d.outputs.length), 0);
  }

  get(name: string): DerivationSpec {
    const d = this.byName.get(name) ?? this.templates.find((t) => isIterationOf(t.name, name));
    if (!d) throw new RangeError(`unknown derivation '${name}'`);
    return d;
  }

  /** What a step's name may stand for: one derivation, or every `job-<number>` for `job-{n}`. */
  named(name: string): readonly DerivationSpec[] {
    const d = this.byName.get(name) ?? this.templates.find((t) => isIterationOf(t.name, name));
    if (d) return [d];
    let hit = this.matches.get(name);
    if (!hit) this.matches.set(name, (hit = [...this.byName.values()].filter((x) => isIterationOf(name, x.name))));
    if (hit.length === 0) throw new RangeError(`unknown derivation '${name}'`);
    return hit;
  }

  /** The most `cost` of anything `name` stands for. */
  most(name: string, cost: (d: DerivationSpec) => number): number {
    return this.named(name).reduce((m, d) => Math.max(m, cost(d)), 0);
  }

  /**
   * Temp roots that writing one drv can take: writeDerivation rooting the drv
   * and its references (rootReferencesInWriteDerivation), addToStore rooting
   * the destination and again the references (rootReferencesInAddToStore), and
   * fetchToStore of each input source (a cache-hit root, then addToStore's).
   */
  write(d: DerivationSpec): number {
    const refs = d.inputDrvs.length + d.inputSrcs.length;
    return 2 + 2 * refs + 2 * d.inputSrcs.length;
  }

  /** instantiate: every drv of the closure written once (closureInOrder), inputs first. */
  instantiate(d: DerivationSpec): number {
    const hit = this.closures.get(d.name);
    if (hit !== undefined) return hit;
    let sum = 0;
    const seen = new Set<string>();
    const stack = [d];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (seen.has(x.name)) continue;
      seen.add(x.name);
      sum = add(sum, this.write(x));
      for (const i of x.inputDrvs) stack.push(this.get(i));
    }
    this.closures.set(d.name, sum);
    return sum;
  }

  /**
   * realise: a build goal roots the drv and its outputs, then builds each
   * input's goal in turn — one goal per dependency path, as StoreOps.build
   * recurses (Nix's Worker shares one goal per drv; the model does not).
   */
  buildGoals(d: DerivationSpec): number {
    const goals = (x: DerivationSpec): number => {
      const hit = this.goals.get(x.name);
      if (hit !== undefined) return hit;
      const n = x.inputDrvs.reduce((s, i) => add(s, goals(this.get(i))), 1);
      this.goals.set(x.name, n);
      return n;
    };
    return goals(d);
  }
}

/** Temp-root appends one execution of `step` can make (in its own store or its daemon worker's). */
function appendsOf(step: Step, specs: Specs): number {
  switch (step.op) {
    case 'instantiate':
      return add(specs.most(step.drv, (d) => specs.instantiate(d)), step.addRoot === undefined ? 0 : 1);
    case 'writeDerivation':
    case 'rewriteAggregate':
      return specs.most(step.drv, (d) => specs.write(d));
    case 'fetchToStore':
      return 2;
    case 'realise':
      return mul(specs.most(step.drv, (d) => specs.buildGoals(d)), specs.rootsPerGoal);
    case 'addRoot':
      return 1; // addPermRoot's addTempRoot
    case 'removeRoot':
    case 'ensurePath':
    case 'collectGarbage':
    case 'awaitExit':
    case 'barrier':
    case 'sleep':
    case 'dropConnection':
    case 'killDaemonWorker':
    case 'spawn':
    case 'evalJobs':
    case 'plainRoot':
      return 0;
  }
}

/** How often each process's program runs in all (`passes`) and in how many processes (`instances`). */
interface Runs {
  passes: number;
  instances: number;
}

/**
 * Top-level processes run once, or once per loop iteration in the same
 * process; a `spawn` step starts a fresh process per pass of its spawner; an
 * `evalJobs` step starts a worker (and a builder) per batch of `restartEvery`
 * jobs, each running its program once per job of its batch.
 */
function runsOf(s: ScenarioRun): Map<string, Runs> {
  const byName = new Map(s.processes.map((p) => [p.name, p]));
  const runs = new Map<string, Runs>(s.processes.map((p) => [p.name, { passes: 0, instances: 0 }]));
  const visit = (p: ProcessSpec, passes: number, instances: number, path: ReadonlySet<string>): void => {
    // A spawn cycle would start processes forever: the scenario layer refuses it; count it once here.
    if (path.has(p.name)) return;
    const r = runs.get(p.name)!;
    r.passes = add(r.passes, passes);
    r.instances = add(r.instances, instances);
    const inner = new Set(path).add(p.name);
    for (const step of p.steps) {
      if (step.op === 'spawn') visit(byName.get(step.process)!, passes, passes, inner);
      if (step.op === 'evalJobs') {
        const batches = mul(passes, Math.ceil(step.jobs / Math.max(1, step.restartEvery)));
        visit(byName.get(step.worker)!, mul(passes, step.jobs), batches, inner);
        if (step.build !== undefined) visit(byName.get(step.build)!, mul(passes, step.jobs), batches, inner);
      }
    }
  };
  for (const p of s.processes) if (!p.spawned) visit(p, p.loop?.times ?? 1, 1, new Set());
  return runs;
}

/** The largest `{n}` any step can see: loop iterations and eval-jobs job numbers. */
function iterationsOf(s: ScenarioRun): number {
  let n = 1;
  for (const p of s.processes) {
    if (p.loop) n = Math.max(n, p.loop.times);
    for (const step of p.steps) if (step.op === 'evalJobs') n = Math.max(n, step.jobs);
  }
  return n;
}

const cache = new WeakMap<ScenarioRun, StoreNeeds>();

/** Bounds every capacity of the store a run of `s` needs (once per scenario object: every run of a sweep or an explore shares it). */
export function storeNeeds(s: ScenarioRun): StoreNeeds {
  let hit = cache.get(s);
  if (!hit) cache.set(s, (hit = computeNeeds(s)));
  return hit;
}

function computeNeeds(s: ScenarioRun): StoreNeeds {
  const specs = new Specs(s.derivations);
  const iterations = iterationsOf(s);
  const digits = String(iterations).length;
  // Concrete derivations: fixed ones, and each template once per iteration (and at 0, as a fixed drv's input).
  const copies = (d: DerivationSpec): number => (d.name.includes('{n}') ? iterations + 1 : 1);
  const nameLength = (name: string): number => name.replaceAll('{n}', '').length + (name.includes('{n}') ? digits : 0);

  let paths = 0;
  let nameBytes = 0;
  let edges = 0;
  for (const d of s.derivations) {
    const c = copies(d);
    const k = d.outputs.length;
    // drv, drv.lock, each output and output.lock; `<32 hash>-<name>` plus suffixes.
    paths = add(paths, mul(c, 2 + 2 * k));
    const base = 33 + nameLength(d.name);
    nameBytes = add(nameBytes, mul(c, base + 4 + base + 9 + d.outputs.reduce((sum, o) => sum + 2 * (base + 1 + o.length) + 5, 0)));
    const inputOutputs = d.inputDrvs.reduce((sum, i) => sum + specs.get(i).outputs.length, 0);
    // The drv's references and output edges, then each output's references.
    edges = add(edges, mul(c, d.inputDrvs.length + d.inputSrcs.length + k + k * (inputOutputs + d.inputSrcs.length)));
  }
  for (const src of s.sources) {
    paths = add(paths, 2);
    nameBytes = add(nameBytes, 2 * (33 + src.name.length) + 5);
  }
  for (const j of s.initial.junk) {
    paths = add(paths, 1);
    nameBytes = add(nameBytes, j.name.length);
  }

  // Links: a permanent root each, and the interned `link:<link>` name.
  const links = new Map<string, number>();
  const link = (l: string): void => void links.set(l, l.includes('{n}') ? iterations : 1);
  for (const r of s.initial.roots) link(r.link);
  for (const p of s.processes) {
    for (const st of p.steps) {
      if (st.op === 'addRoot' || st.op === 'plainRoot' || st.op === 'removeRoot') link(st.link);
      if (st.op === 'instantiate' && st.addRoot !== undefined) link(st.addRoot);
    }
  }
  let roots = 0;
  for (const [l, c] of links) {
    roots = add(roots, c);
    paths = add(paths, c);
    nameBytes = add(nameBytes, mul(c, 5 + nameLength(l)));
  }

  const runs = runsOf(s);
  let entries = 0;
  let stores = 0;
  let heaviestEntries: [string | null, number] = [null, 0];
  let heaviestStores: [string | null, number] = [null, 0];
  let goals: StoreNeeds['goals'] = null;
  for (const p of s.processes) {
    const r = runs.get(p.name)!;
    if (r.instances === 0) continue;
    const perPass = p.steps.reduce((sum, st) => add(sum, appendsOf(st, specs)), 0);
    const mine = mul(r.passes, perPass);
    entries = add(entries, mine);
    if (mine > heaviestEntries[1]) heaviestEntries = [p.name, mine];
    for (const [k, st] of p.steps.entries()) {
      if (st.op !== 'realise') continue;
      const count = mul(r.passes, specs.most(st.drv, (d) => specs.buildGoals(d)));
      if (count > (goals?.count ?? 0)) goals = { process: p.name, step: k, count };
    }
    // A daemon client gets a fresh worker (a fresh LocalStore) after each drop, kill and failed pass.
    const reconnects = p.steps.filter((st) => st.op === 'dropConnection' || st.op === 'killDaemonWorker').length + 1;
    const own = p.kind === 'nix-collect-garbage' || p.store === 'local';
    const main = own ? r.instances : add(r.instances, mul(r.passes, reconnects));
    const evalStore = p.evalStore === 'local' ? r.instances : p.evalStore === 'daemon' ? add(r.instances, mul(r.passes, reconnects)) : 0;
    const mineStores = add(main, evalStore);
    stores = add(stores, mineStores);
    if (mineStores > heaviestStores[1]) heaviestStores = [p.name, mineStores];
  }

  const files = add(mul(stores, FILES_PER_STORE), 16);
  const ofds = add(add(mul(stores, OFDS_PER_STORE), files), 64);
  const caps: Capacities = {
    maxPaths: clamp(add(paths, 256)),
    maxEdges: clamp(add(edges, 1024)),
    maxNameBytes: clamp(add(nameBytes, 4096)),
    maxFiles: clamp(add(files, 1)), // slot 0 is gc.lock
    maxTempEntries: clamp(add(entries, 1024)),
    maxOfds: clamp(ofds),
    maxRoots: clamp(add(roots, 64)),
  };
  const byStores = heaviestStores[0] === null ? {} : { maxFiles: heaviestStores[0], maxOfds: heaviestStores[0] };
  return {
    caps,
    bytes: fits(caps) ? layoutSize(caps) : Infinity,
    heaviest: { ...byStores, ...(heaviestEntries[0] === null ? {} : { maxTempEntries: heaviestEntries[0] }) },
    goals,
  };
}

/** Capacities are Int32 indices in the layout. */
const MAX_CAPACITY = 0x7fff_ffff;
const clamp = (n: number): number => Math.min(n, SATURATED);
const fits = (caps: Capacities): boolean => Object.values(caps).every((v) => v <= MAX_CAPACITY);
