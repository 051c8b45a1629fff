/**
 * Content-addressed store path names, computed the way Nix computes them
 * (`Store::makeStorePath`): sha256 over `<type>:sha256:<hex>:/nix/store:<name>`,
 * folded to 160 bits (`compressHash`) and printed in Nix's base-32.
 */
import { createHash } from 'node:crypto';
import { STORE_DIR, mintStorePath, type StorePath } from '../messages/ids.js';

const BASE32 = '0123456789abcdfghijklmnpqrsvwxyz';
export const HASH_PART_LEN = 32;

/** Nix's `printHash32`: least significant 5-bit groups last. */
export function nixBase32(bytes: Uint8Array): string {
  const len = Math.floor((bytes.length * 8 - 1) / 5) + 1;
  let s = '';
  for (let n = len - 1; n >= 0; n--) {
    const b = n * 5;
    const i = b >> 3;
    const j = b & 7;
    const lo = bytes[i]! >> j;
    const hi = i >= bytes.length - 1 ? 0 : bytes[i + 1]! << (8 - j);
    s += BASE32[(lo | hi) & 0x1f];
  }
  return s;
}

/** Nix's `compressHash`: XOR-fold a digest into `size` bytes. */
export function compressHash(digest: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < digest.length; i++) out[i % size]! ^= digest[i]!;
  return out;
}

function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Entries kept per path cache before it starts over. */
const PATH_CACHE = 1 << 16;

/**
 * `make` memoized by `key` in `cache`: the path functions are pure, and a sim
 * run recomputes the same few paths (a daemon's AddToStore) run after run.
 */
function memoized(cache: Map<string, StorePath>, key: string, make: () => StorePath): StorePath {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const path = make();
  if (cache.size >= PATH_CACHE) cache.clear();
  cache.set(key, path);
  return path;
}

const storePaths = new Map<string, StorePath>();

/** `Store::makeStorePath(type, hash, name)`. */
export function makeStorePath(type: string, hashHex: string, name: string): StorePath {
  const fingerprint = `${type}:sha256:${hashHex}:${STORE_DIR}:${name}`;
  return memoized(storePaths, fingerprint, () => {
    const digest = createHash('sha256').update(fingerprint).digest();
    return mintStorePath(`${STORE_DIR}/${nixBase32(compressHash(digest, 20))}-${name}`);
  });
}

const textPaths = new Map<string, StorePath>();

/** `makeTextPath`: a text file (such as a `.drv`) with its references in the type. */
export function makeTextPath(name: string, contents: string, references: readonly string[]): StorePath {
  const key = `${name}\u0000${references.join('\u0000')}\u0000\u0000${contents}`;
  return memoized(textPaths, key, () => makeStorePath(['text', ...[...references].sort()].join(':'), sha256Hex(contents), name));
}

/** A source added by path (`source` type, recursive sha256 of the contents). */
export function makeSourcePath(name: string, contents: string, references: readonly string[] = []): StorePath {
  const type = ['source', ...[...references].sort()].join(':');
  return makeStorePath(type, sha256Hex(contents), name);
}

/** An input-addressed output path of a derivation. */
export function makeOutputPath(drvPath: string, outputName: string, drvName: string): StorePath {
  const name = outputName === 'out' ? drvName : `${drvName}-${outputName}`;
  return makeStorePath(`output:${outputName}`, sha256Hex(drvPath), name);
}

/** Base name (`<hash>-<name>`) of a full store path. */
export function baseNameOf(path: string): string {
  return path.startsWith(`${STORE_DIR}/`) ? path.slice(STORE_DIR.length + 1) : path;
}

const hashPartRe = /^[0-9a-df-np-sv-z]{32}-/;

/** The hash part of a base name, or '' when the name does not parse as a store path (e.g. `tmp-*`). */
export function hashPartOf(baseName: string): string {
  return hashPartRe.test(baseName) ? baseName.slice(0, HASH_PART_LEN) : '';
}
