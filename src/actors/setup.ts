/**
 * Lays out a scenario's initial store: derivations already written (and built),
 * sources, permanent roots and junk, plus the settings' free-space figures.
 */
import type { ProcessSpec, ScenarioRun } from '../messages/scenario.js';
import { capacitiesFor, Store } from '../store/index.js';
import { resolve } from './derivations.js';

/**
 * How many process instances a run can start: each top-level process once per
 * pass of its loop, and each spawn (a `spawn` step, or an `evalJobs` worker and
 * builder per batch) a fresh instance with instances of its own.
 */
export function processInstances(s: ScenarioRun): number {
  const byName = new Map(s.processes.map((p) => [p.name, p]));
  const seen = new Set<string>();
  const of = (p: ProcessSpec, passes: number): number => {
    if (seen.has(p.name)) return passes; // a cycle of spawns: counted once
    seen.add(p.name);
    let child = 0;
    for (const step of p.steps) {
      if (step.op === 'spawn') child += of(byName.get(step.process)!, 1);
      if (step.op === 'evalJobs') {
        const batches = Math.ceil(step.jobs / step.restartEvery);
        child += batches * of(byName.get(step.worker)!, 1) + (step.build ? batches * of(byName.get(step.build)!, 1) : 0);
      }
    }
    seen.delete(p.name);
    return passes * (1 + child);
  };
  return s.processes.filter((p) => !p.spawned).reduce((n, p) => n + of(p, p.loop?.times ?? 1), 0);
}

/** A store sized for the scenario with headroom for every process's temp roots. */
export function createStoreFor(s: ScenarioRun): Store {
  const r = resolve(s);
  const processes = processInstances(s);
  const templates = s.derivations.filter((d) => d.name.includes('{n}')).length;
  const iterations = Math.max(1, ...s.processes.map((p) => p.loop?.times ?? 1), ...s.processes.flatMap((p) => p.steps.map((st) => (st.op === 'evalJobs' ? st.jobs : 1))));
  const names = ((r.drvs.size + templates * iterations) * 3 + r.srcs.size) * 3 + s.initial.junk.length + s.initial.roots.length + 64;
  const store = Store.create(
    capacitiesFor({
      paths: names * 2 + 256,
      edges: names * 16 + 1024,
      tempRootsFiles: processes * 4 + 16,
      // Entries are freed with their file: what must fit is the live processes' roots, not every instance's.
      tempEntries: Math.max(4096, names * Math.min(processes, 64) * 4),
      roots: s.initial.roots.length + processes * 4 + 16,
    }),
    s.settings.totalBytes,
  );
  store.disk.setFreeSpaceOverride(s.settings.freeSpace);
  populate(store, s);
  return store;
}

function populate(store: Store, s: ScenarioRun): void {
  const r = resolve(s);
  for (const name of s.initial.srcs) {
    const src = r.srcs.get(name);
    if (!src) throw new RangeError(`initial store names unknown source '${name}'`);
    const id = store.intern(src.path);
    store.disk.create(id, src.spec.size);
    store.db.registerValidPaths([{ path: id, references: [], narSize: src.spec.size }]);
    store.fetcherCacheAdd(id);
  }
  const written = new Set<string>();
  const write = (name: string, built: boolean): void => {
    const d = r.drvs.get(name);
    if (!d) throw new RangeError(`initial store names unknown derivation '${name}'`);
    for (const i of d.spec.inputDrvs) write(i, built);
    if (!written.has(`${name}:drv`)) {
      written.add(`${name}:drv`);
      for (const src of d.inputSrcs) {
        const id = store.intern(src);
        if (!store.db.isValid(id)) {
          store.disk.create(id, 1024);
          store.db.registerValidPaths([{ path: id, references: [], narSize: 1024 }]);
        }
      }
      const id = store.intern(d.drvPath);
      store.disk.create(id, 1024);
      store.db.registerValidPaths([{ path: id, references: d.references.map((x) => store.intern(x)), outputs: [...d.outputs.values()].map((o) => store.intern(o)), narSize: 1024 }]);
    }
    if (built && !written.has(`${name}:out`)) {
      written.add(`${name}:out`);
      const refs = [
        ...d.inputDrvs.flatMap((p) => [...(([...r.drvs.values()].find((x) => x.drvPath === p)?.outputs.values()) ?? [])]),
        ...d.inputSrcs,
      ].map((x) => store.intern(x));
      for (const o of d.outputs.values()) {
        const id = store.intern(o);
        store.disk.create(id, d.spec.outputSize);
        store.db.registerValidPaths([{ path: id, references: refs, deriver: store.intern(d.drvPath), narSize: d.spec.outputSize }]);
      }
    }
  };
  for (const d of s.initial.drvs) write(d.drv, d.built);
  for (const root of s.initial.roots) {
    const d = r.drvs.get(root.drv);
    if (!d) throw new RangeError(`root '${root.link}' names unknown derivation '${root.drv}'`);
    const target = root.output ? [...d.outputs.values()][0]! : d.drvPath;
    const id = store.intern(target);
    if (root.indirect) store.roots.addIndirect(root.link, id);
    else store.roots.addDirect(root.link, id);
  }
  for (const j of s.initial.junk) store.disk.create(store.intern(j.name), j.size);
}
