/**
 * Lays out a scenario's initial store: derivations already written (and built),
 * sources, permanent roots and junk, plus the settings' free-space figures.
 */
import type { ScenarioRun } from '../messages/scenario.js';
import { Store } from '../store/index.js';
import { resolve } from './derivations.js';
import { storeNeeds } from './storeNeeds.js';

/** A store sized for everything a run of the scenario can ask of it (storeNeeds.ts), so it never runs out. */
export function createStoreFor(s: ScenarioRun): Store {
  const store = Store.create(storeNeeds(s).caps, s.settings.totalBytes);
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
