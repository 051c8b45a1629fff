/**
 * Fixtures shared by the store's unit tests: small stores, distinct store paths
 * and a way to look at a thrown error as a value.
 */
import { Store, capacitiesFor, makeTextPath, type StoreSizing } from '../../../src/store/index.js';
import type { StorePath } from '../../../src/messages/ids.js';

/** A fresh store; `paths` defaults to 64 and everything else to capacitiesFor's derivation. */
export function newStore(sizing: Partial<StoreSizing> = {}): Store {
  return Store.create(capacitiesFor({ paths: 64, ...sizing }));
}

/** A content-addressed text path whose content is unique to `name`. */
export function textPath(name: string): StorePath {
  return makeTextPath(name, `contents of ${name}`, []);
}

/** Distinct store paths, sorted the way Nix's StorePathSet orders them (by base name). */
export function sortedPaths(...names: string[]): StorePath[] {
  return names.map(textPath).sort();
}

/** The error `f` throws; fails the test if it returns normally. */
export function thrownBy(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`threw a non-Error: ${String(e)}`, { cause: e });
  }
  throw new Error('expected a throw, but the call returned normally');
}
