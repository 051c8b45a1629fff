/**
 * Realistic store path names without hashing each one: a 32-character
 * Nix base-32 hash part drawn from a counter, then a package-like name. Base
 * names average about 48 bytes, as in a real store.
 */
import { nixBase32 } from '../src/store/index.js';

const NAMES = ['glibc-2.39-52', 'bash-5.2p32', 'python3-3.12.7', 'openssl-3.0.15-dev', 'source', 'hello-2.12.1.drv'];

/** The i-th name (distinct i, distinct hash part; i < 2^32). */
export function benchStorePath(i: number): string {
  const bytes = new Uint8Array(20);
  // The last 4 bytes (printed first) are i itself, scrambled by a bijection: distinct i, distinct hash.
  new DataView(bytes.buffer).setUint32(16, Math.imul(i, 0x9e3779b1) ^ 0x5bd1e995);
  let x = i | 0;
  for (let k = 0; k < 16; k++) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6b43a9b5;
    bytes[k] = x >>> 24;
  }
  return `/nix/store/${nixBase32(bytes)}-${NAMES[i % NAMES.length]!}`;
}
