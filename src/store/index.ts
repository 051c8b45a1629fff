export { Store, capacitiesFor, type StoreSizing } from './store.js';
export type { Capacities } from './layout.js';
export { layoutSize } from './layout.js';
export type { ValidPathInfo, PathInfo } from './validityDb.js';
export type { FlockMode, LockHolder } from './flock.js';
export type { PermRoot } from './permRoots.js';
export type { TempRootsFileInfo } from './tempRootsDir.js';
export { tempRootsFileName, uniqueTempRootsName, isPidName } from './tempRootsDir.js';
export { makeStorePath, makeTextPath, makeSourcePath, makeOutputPath, hashPartOf, baseNameOf, nixBase32 } from './paths.js';
