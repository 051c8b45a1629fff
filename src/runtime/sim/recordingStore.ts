/**
 * A Store whose operations record their footprint (footprint.ts) as they run:
 * the same store (one buffer, the same methods), seen through proxies that
 * name the objects each operation reads and writes. Used by a sim run under
 * partial-order reduction only; the actors cannot tell the difference.
 *
 * Objects: `name:<base>` (is this name interned), `pathid:next` (the next path
 * id: ids order disk.list and the GC's deletion loop), `valid:<id>` (a path's
 * row: validity, references, deriver), `refs:<id>` (its referrers),
 * `drvout:<id>`, `disk:<id>`, `bytes:used` (incremented by create and remove,
 * read by freeSpace), `lock:<file>` (a flock word), `ofd:<id>`, `tr:<name>`
 * (a temproots/ entry), `trc:<file>` (a temp-roots file's contents),
 * `tslot:next` (file slot allocation: list() is in slot order), `root:*`,
 * `sock:gc`, `fetch:<id>`, `free:override`.
 *
 * Slot numbers that never reach behaviour (entries, edges, descriptions) are
 * not recorded: equivalent schedules may number them differently. An
 * operation missing from the tables writes every class of its part: sound,
 * only less reduction.
 */
import type { OfdId, PathId } from '../../messages/ids.js';
import type { ValidPathInfo } from '../../store/validityDb.js';
import type { Store } from '../../store/index.js';
import type { FootprintRecorder } from './footprint.js';

type Rec = FootprintRecorder;
/** Records an operation's footprint; `before` runs first (for what the operation itself destroys), `after` sees the result. */
interface Rule {
  readonly before?: (r: Rec, s: Store, args: readonly unknown[]) => void;
  readonly after?: (r: Rec, s: Store, args: readonly unknown[], result: unknown) => void;
}

const NONE: Rule = {};
const n = (x: unknown): number => x as number;
const baseOf = (name: unknown): string => {
  const s = String(name);
  return s.slice(s.lastIndexOf('/') + 1);
};

/** What an intern did: looked a name up, or added it (taking the next id). */
const internRule: Rule = {
  before: (r, s, [name]) => {
    if (s.paths.lookup(String(name)) === -1) {
      r.write(`name:${baseOf(name)}`);
      r.write('pathid:next');
    } else r.read(`name:${baseOf(name)}`);
  },
};

const lockOfOfd = (r: Rec, s: Store, ofd: unknown): void => {
  r.write(`ofd:${n(ofd)}`);
  r.write(`lock:${s.flock.fileOf(ofd as OfdId)}`);
};

const paths: Record<string, Rule> = {
  intern: internRule,
  lookup: { before: (r, _s, [name]) => r.read(`name:${baseOf(name)}`) },
  count: { before: (r) => r.read('pathid:next') },
  name: NONE,
  storePath: NONE,
  hashPart: NONE,
  isStorePathName: NONE,
  isDerivation: NONE,
};

const db: Record<string, Rule> = {
  isValid: { before: (r, _s, [id]) => r.read(`valid:${n(id)}`) },
  references: { before: (r, _s, [id]) => r.read(`valid:${n(id)}`) },
  deriver: { before: (r, _s, [id]) => r.read(`valid:${n(id)}`) },
  referrers: { before: (r, _s, [id]) => r.read(`refs:${n(id)}`) },
  outputs: { before: (r, _s, [id]) => r.read(`drvout:${n(id)}`) },
  validDerivers: { before: (r) => r.read('valid:*') },
  queryPathInfo: {
    before: (r, _s, [id]) => {
      r.read(`valid:${n(id)}`);
      r.read(`refs:${n(id)}`);
    },
  },
  registerValidPaths: {
    before: (r, _s, [batch]) => {
      for (const i of batch as readonly ValidPathInfo[]) {
        r.write(`valid:${i.path}`);
        for (const ref of i.references) r.write(`refs:${ref}`);
        if (i.deriver !== undefined) r.write(`drvout:${i.deriver}`);
        if (i.outputs) for (const o of i.outputs) r.write(`valid:${o}`);
      }
    },
  },
  invalidatePathChecked: {
    before: (r, s, [id]) => {
      r.write(`valid:${n(id)}`);
      r.write(`refs:${n(id)}`);
      for (const ref of s.db.references(id as PathId)) r.write(`refs:${ref}`);
      const d = s.db.deriver(id as PathId);
      if (d !== -1) r.write(`drvout:${d}`);
    },
  },
  isValidName: { before: (r) => r.read('valid:*') },
  validCount: { before: (r) => r.read('valid:*') },
  generation: { before: (r) => r.read('valid:*') },
  closureViolation: { before: (r) => (r.read('valid:*'), r.read('refs:*')) },
  validPaths: { before: (r) => (r.read('valid:*'), r.read('pathid:next')) },
};

const disk: Record<string, Rule> = {
  exists: { before: (r, _s, [id]) => r.read(`disk:${n(id)}`) },
  sizeOf: { before: (r, _s, [id]) => r.read(`disk:${n(id)}`) },
  create: { before: (r, _s, [id]) => (r.write(`disk:${n(id)}`), r.increment('bytes:used')) },
  remove: { before: (r, _s, [id]) => (r.write(`disk:${n(id)}`), r.increment('bytes:used')) },
  list: { before: (r) => (r.read('disk:*'), r.read('pathid:next')) },
  usedBytes: { before: (r) => r.read('bytes:used') },
  totalBytes: { before: (r) => r.read('bytes:total') },
  setTotalBytes: { before: (r) => r.write('bytes:total') },
  freeSpace: { before: (r) => (r.read('bytes:used'), r.read('bytes:total'), r.read('free:override')) },
  setFreeSpaceOverride: { before: (r) => r.write('free:override') },
};

const flock: Record<string, Rule> = {
  open: {
    before: (r, _s, [, file]) => r.write(`trc:${n(file)}`), // the open count decides whether an unlink frees the file
    after: (r, _s, _a, ofd) => r.write(`ofd:${n(ofd)}`),
  },
  fileOf: NONE,
  ownerOf: NONE,
  isOpen: { before: (r, _s, [ofd]) => r.read(`ofd:${n(ofd)}`) },
  heldMode: { before: (r, _s, [ofd]) => r.read(`ofd:${n(ofd)}`) },
  tryLock: { before: (r, s, [ofd]) => lockOfOfd(r, s, ofd) },
  unlock: { before: (r, s, [ofd]) => lockOfOfd(r, s, ofd) },
  close: {
    before: (r, s, [ofd]) => {
      lockOfOfd(r, s, ofd);
      r.write(`trc:${s.flock.fileOf(ofd as OfdId)}`);
      r.write('tslot:next'); // a last close frees an unlinked file's slot
    },
  },
  lockState: { before: (r, _s, [file]) => r.read(`lock:${n(file)}`) },
  holders: { before: (r, _s, [file]) => (r.read(file === undefined ? 'lock:*' : `lock:${n(file)}`), r.read('ofd:*')) },
  ofdsOf: { before: (r) => r.read('ofd:*') },
  releaseAllLocksOf: { before: (r) => (r.write('lock:*'), r.write('ofd:*'), r.write('trc:*'), r.write('tslot:next')) },
};

/** A temproots/ entry by name; opening or creating it, or unlinking it, may take or free a file slot. */
const entry = (r: Rec, name: unknown, write: boolean): void => (write ? r.write(`tr:${n(name)}`) : r.read(`tr:${n(name)}`));

const tempRoots: Record<string, Rule> = {
  exists: { before: (r, _s, [name]) => entry(r, name, false) },
  openOrCreate: {
    before: (r, _s, [, name]) => (entry(r, name, true), r.write('tslot:next')),
    after: (r, s, _a, ofd) => (r.write(`ofd:${n(ofd)}`), r.write(`trc:${s.flock.fileOf(ofd as OfdId)}`)),
  },
  openExisting: {
    before: (r, _s, [, name]) => entry(r, name, false),
    after: (r, s, _a, ofd) => {
      if (ofd === null) return;
      r.write(`ofd:${n(ofd)}`);
      r.write(`trc:${s.flock.fileOf(ofd as OfdId)}`);
    },
  },
  openAnonymous: { before: (r) => r.write('tslot:next'), after: (r, s, _a, ofd) => (r.write(`ofd:${n(ofd)}`), r.write(`trc:${s.flock.fileOf(ofd as OfdId)}`)) },
  unlink: { before: (r, _s, [name]) => (entry(r, name, true), r.write('tslot:next'), r.write('trc:*')) },
  append: { before: (r, s, [ofd]) => r.write(`trc:${s.flock.fileOf(ofd as OfdId)}`) },
  writeDMarker: { before: (r, s, [ofd]) => r.write(`trc:${s.flock.fileOf(ofd as OfdId)}`) },
  isEmpty: { before: (r, s, [ofd]) => r.read(`trc:${s.flock.fileOf(ofd as OfdId)}`) },
  read: { before: (r, s, [ofd]) => r.read(`trc:${s.flock.fileOf(ofd as OfdId)}`) },
  readFile: { before: (r, _s, [f]) => r.read(`trc:${n(f)}`) },
  readLinked: { before: (r, _s, [f]) => (r.read(`trc:${n(f)}`), r.read('tr:*')) },
  list: { before: (r) => (r.read('tr:*'), r.read('trc:*'), r.read('tslot:next')) },
  nameOf: { before: (r, _s, [f]) => r.read(`trc:${n(f)}`) },
  describe: { before: (r, _s, [f]) => r.read(`trc:${n(f)}`) },
};

const roots: Record<string, Rule> = {
  addDirect: { before: (r) => r.write('root:*') },
  addIndirect: { before: (r) => r.write('root:*') },
  removeLink: { before: (r) => r.write('root:*') },
  removeSlot: { before: (r) => r.write('root:*') },
  list: { before: (r) => r.read('root:*') },
};

const top: Record<string, Rule> = {
  intern: internRule,
  storePath: NONE,
  nextSeq: NONE, // the event order: observation, not behaviour
  highWater: NONE,
  gcSocketExists: { before: (r) => r.read('sock:gc') },
  setGcSocketExists: { before: (r) => r.write('sock:gc') },
  fetcherCacheHas: { before: (r, _s, [id]) => r.read(`fetch:${n(id)}`) },
  fetcherCacheAdd: { before: (r, _s, [id]) => r.write(`fetch:${n(id)}`) },
  findClosureViolation: { before: (r) => (r.read('valid:*'), r.read('refs:*')) },
  releaseAllLocksOf: flock.releaseAllLocksOf!,
};

/** Every class a part of the store holds: what an operation missing from its table is taken to write. */
const CLASSES: Record<string, readonly string[]> = {
  paths: ['name', 'pathid'],
  db: ['valid', 'refs', 'drvout'],
  disk: ['disk', 'bytes', 'free'],
  flock: ['lock', 'ofd', 'trc'],
  tempRoots: ['tr', 'trc', 'tslot', 'ofd', 'lock'],
  roots: ['root'],
  top: ['name', 'pathid', 'valid', 'refs', 'drvout', 'disk', 'bytes', 'free', 'lock', 'ofd', 'tr', 'trc', 'tslot', 'root', 'sock', 'fetch'],
};

function recorded<T extends object>(target: T, part: string, rules: Record<string, Rule>, rec: Rec, store: Store): T {
  const wrapped = new Map<PropertyKey, unknown>();
  const unknown: Rule = { before: (r) => CLASSES[part]!.forEach((c) => r.write(`${c}:*`)) };
  return new Proxy(target, {
    get(t, key) {
      const v: unknown = Reflect.get(t, key, t);
      if (typeof v !== 'function') return v;
      let w = wrapped.get(key);
      if (!w) {
        const rule = (typeof key === 'string' ? rules[key] : undefined) ?? unknown;
        const f = v as (...a: unknown[]) => unknown;
        w =
          rule === NONE
            ? f.bind(t)
            : (...args: unknown[]): unknown => {
                rule.before?.(rec, store, args);
                const result = f.apply(t, args);
                rule.after?.(rec, store, args, result);
                return result;
              };
        wrapped.set(key, w);
      }
      return w;
    },
  });
}

/** `store` seen through recording proxies: operations record into `rec`; reads made by the rules themselves go to the real store. */
export function recordingStore(store: Store, rec: Rec): Store {
  const parts = {
    paths: recorded(store.paths, 'paths', paths, rec, store),
    db: recorded(store.db, 'db', db, rec, store),
    disk: recorded(store.disk, 'disk', disk, rec, store),
    flock: recorded(store.flock, 'flock', flock, rec, store),
    tempRoots: recorded(store.tempRoots, 'tempRoots', tempRoots, rec, store),
    roots: recorded(store.roots, 'roots', roots, rec, store),
  };
  const outer = recorded(store, 'top', top, rec, store);
  return new Proxy(outer, {
    get(t, key) {
      if (typeof key === 'string' && key in parts) return parts[key as keyof typeof parts];
      return Reflect.get(t, key, t) as unknown;
    },
  });
}

