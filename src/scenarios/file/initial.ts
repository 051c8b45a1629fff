/**
 * A file's `settings` (Nix's option names) and `store` (the initial state) in
 * the engine's terms. Names are checked against the scenario's derivations and
 * sources; junk names come from object references (refs.ts).
 */
import type { Resolved } from '../../actors/derivations.js';
import { DEFAULT_SETTINGS, type NixSettings } from '../../messages/profile.js';
import type { InitialStore } from '../../messages/scenario.js';
import { baseNameOf } from '../../store/index.js';
import type { RawSettings, RawStore } from './format.js';
import { evalInt, type Params } from './params.js';
import { resolveRef, unknownName } from './refs.js';
import type { JsonPath, Locator } from './where.js';

export function settingsOf(at: Locator, raw: RawSettings | undefined, params: Params): NixSettings {
  const s = raw ?? {};
  const int = (key: keyof RawSettings, dflt: number): number => {
    const v = s[key];
    return v === undefined || typeof v === 'boolean' || v === null ? dflt : evalInt(at, ['settings', key], v, params);
  };
  const free = s['free-space'];
  return {
    minFree: int('min-free', DEFAULT_SETTINGS.minFree),
    maxFree: int('max-free', DEFAULT_SETTINGS.maxFree),
    minFreeCheckInterval: int('min-free-check-interval', DEFAULT_SETTINGS.minFreeCheckInterval),
    keepDerivations: s['keep-derivations'] ?? DEFAULT_SETTINGS.keepDerivations,
    keepOutputs: s['keep-outputs'] ?? DEFAULT_SETTINGS.keepOutputs,
    freeSpace: free === undefined || free === null ? DEFAULT_SETTINGS.freeSpace : evalInt(at, ['settings', 'free-space'], free, params),
    totalBytes: int('total-bytes', DEFAULT_SETTINGS.totalBytes),
  };
}

export function initialStore(at: Locator, raw: RawStore | undefined, params: Params, r: Resolved): InitialStore {
  const s = raw ?? {};
  const fail = (path: JsonPath) => (why: string): never => {
    throw at.error(path, why);
  };
  const drvs = (s.drvs ?? []).map((d, k) => {
    if (!r.drvs.has(d.drv)) fail(['store', 'drvs', k, 'drv'])(unknownName('derivation', d.drv, r.drvs.keys()));
    return { drv: d.drv, built: d.built ?? false };
  });
  const srcs = (s.srcs ?? []).map((name, k) => (r.srcs.has(name) ? name : fail(['store', 'srcs', k])(unknownName('source', name, r.srcs.keys()))));
  const roots = (s.roots ?? []).map((root, k) => {
    const path = ['store', 'roots', k, 'target'];
    const [kind, name = '', output, ...more] = root.target.split(':');
    const d = r.drvs.get(name);
    if (!d) return fail(path)(unknownName('derivation', name, r.drvs.keys()));
    const first = [...d.outputs.keys()][0];
    // The engine roots a drv path or the drv's first output (InitialStore.roots).
    if (more.length > 0 || (kind === 'drv' && output !== undefined) || (output !== undefined && output !== first)) {
      return fail(path)(`a root targets drv:NAME or out:NAME (its first output, '${first}'), got '${root.target}'`);
    }
    return { link: root.link, drv: name, output: kind === 'out', indirect: root.indirect ?? false };
  });
  const junk = new Map<string, number>();
  for (const [k, j] of (s.junk ?? []).entries()) {
    const size = j.size === undefined ? 0 : evalInt(at, ['store', 'junk', k, 'size'], j.size, params, 0, 'entryBytes');
    const name = 'name' in j ? j.name : `${resolveRef(j.of, r, fail(['store', 'junk', k, 'of']))}${j.suffix}`;
    junk.set(name, size);
  }
  for (const suffix of s.junkForAll ?? []) {
    for (const entry of entriesOf(r, srcs, drvs)) if (!junk.has(`${entry}${suffix}`)) junk.set(`${entry}${suffix}`, 0);
  }
  return { drvs, srcs, roots, junk: [...junk].map(([name, size]) => ({ name, size })) };
}

/** Base names of every store entry the initial store creates (as actors/setup.ts lays it out). */
function entriesOf(r: Resolved, srcs: readonly string[], drvs: readonly { drv: string; built: boolean }[]): Set<string> {
  const out = new Set<string>();
  for (const name of srcs) out.add(baseNameOf(r.srcs.get(name)!.path));
  const write = (name: string, built: boolean): void => {
    const d = r.drvs.get(name)!;
    for (const i of d.spec.inputDrvs) write(i, built);
    for (const src of d.inputSrcs) out.add(baseNameOf(src));
    out.add(baseNameOf(d.drvPath));
    if (built) for (const o of d.outputs.values()) out.add(baseNameOf(o));
  };
  for (const d of drvs) write(d.drv, d.built);
  return out;
}
