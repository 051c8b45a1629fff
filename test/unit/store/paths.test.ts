import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  baseNameOf,
  hashPartOf,
  makeOutputPath,
  makeSourcePath,
  makeStorePath,
  makeTextPath,
  nixBase32,
} from '../../../src/store/index.js';
import { compressHash } from '../../../src/store/paths.js';

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();
const NIX32 = '0123456789abcdfghijklmnpqrsvwxyz';
const storePathShape = /^\/nix\/store\/[0123456789abcdfghijklmnpqrsvwxyz]{32}-[A-Za-z0-9+\-._?=]+$/;

/**
 * An independent statement of Nix's printHash32: the bytes are one little-endian
 * number, printed in base 32 most significant digit first, with
 * ceil(bits / 5) digits.
 */
function oracleBase32(bytes: Uint8Array): string {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  const len = Math.floor((bytes.length * 8 - 1) / 5) + 1;
  let s = '';
  for (let n = len - 1; n >= 0; n--) s += NIX32[Number((v >> BigInt(n * 5)) & 31n)];
  return s;
}

describe('nixBase32 (printHash32)', () => {
  it('prints 20 zero bytes as 32 zeros', () => {
    expect(nixBase32(new Uint8Array(20))).toBe('0'.repeat(32));
  });

  it('prints 20 0xff bytes as 32 z (the last character of the alphabet)', () => {
    expect(nixBase32(new Uint8Array(20).fill(0xff))).toBe('z'.repeat(32));
  });

  it('prints the least significant 5-bit group last', () => {
    const b = new Uint8Array(20);
    b[0] = 1;
    expect(nixBase32(b)).toBe(`${'0'.repeat(31)}1`);
    const c = new Uint8Array(20);
    c[19] = 0x80; // bit 159 is the top bit of the first digit: 16 = 'h'
    expect(nixBase32(c)).toBe(`h${'0'.repeat(31)}`);
  });

  it('matches the sha256("abc") value Nix prints (nix hash convert --to nix32)', () => {
    expect(nixBase32(sha256('abc'))).toBe('1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s');
  });

  it('agrees with a big-integer statement of the algorithm on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        expect(nixBase32(bytes)).toBe(oracleBase32(bytes));
      }),
      { numRuns: 300 },
    );
  });
});

describe('compressHash', () => {
  it('XOR-folds a digest into the requested size', () => {
    const d = new Uint8Array(32).map((_, i) => i + 1);
    const out = compressHash(d, 20);
    expect(out).toHaveLength(20);
    for (let i = 0; i < 20; i++) expect(out[i]).toBe(i < 12 ? (i + 1) ^ (i + 21) : i + 1);
  });
});

describe('makeStorePath', () => {
  it('reproduces a path Nix computes (source type, sha256("abc"), name foo)', () => {
    expect(makeStorePath('source', sha256('abc').toString('hex'), 'foo')).toBe(
      '/nix/store/8nz4xrxpk6mgia8bb9jxncpcikkm2xxv-foo',
    );
  });

  it('refuses a name that is not a valid store path name', () => {
    expect(() => makeStorePath('text', sha256('x').toString('hex'), 'has space')).toThrow(RangeError);
  });
});

describe('makeTextPath', () => {
  const a = makeTextPath('a', 'A', []);
  const b = makeTextPath('b', 'B', []);

  it('reproduces the path Nix gives builtins.toFile "file1" "important data"', () => {
    // Value from tweag/organist's to_file test (a text path without references).
    expect(makeTextPath('file1', 'important data', [])).toBe('/nix/store/ypiiqm7ig0fzqfz3v4j05g54ffk8svg9-file1');
  });

  it('has the shape /nix/store/<32 nix32 chars>-<name>', () => {
    const p = makeTextPath('hello.drv', 'Derive(...)', [a, b]);
    expect(p).toMatch(storePathShape);
    expect(p.endsWith('-hello.drv')).toBe(true);
  });

  it('is deterministic: same name and content give the same path', () => {
    expect(makeTextPath('x', 'content', [a])).toBe(makeTextPath('x', 'content', [a]));
  });

  it('changes with the content, the name and the references', () => {
    const base = makeTextPath('x', 'content', [a]);
    expect(makeTextPath('x', 'content2', [a])).not.toBe(base);
    expect(makeTextPath('y', 'content', [a])).not.toBe(base);
    expect(makeTextPath('x', 'content', [b])).not.toBe(base);
    expect(makeTextPath('x', 'content', [a, b])).not.toBe(base);
    expect(makeTextPath('x', 'content', [])).not.toBe(base);
  });

  it('does not depend on the order references are given in (Nix sorts them into the type)', () => {
    const [lo, hi] = [a, b].sort();
    const hex = createHash('sha256').update('c').digest('hex');
    const expected = makeStorePath(`text:${lo}:${hi}`, hex, 'n');
    expect(makeTextPath('n', 'c', [hi!, lo!])).toBe(expected);
    expect(makeTextPath('n', 'c', [lo!, hi!])).toBe(expected);
  });

  it('differs from a source path with the same name and content (the type is hashed)', () => {
    expect(makeSourcePath('x', 'content')).not.toBe(makeTextPath('x', 'content', []));
    expect(makeSourcePath('x', 'content')).toMatch(storePathShape);
  });
});

describe('makeOutputPath', () => {
  const drv = makeTextPath('hello.drv', 'Derive()', []);

  it("names the 'out' output after the derivation and other outputs <name>-<output>", () => {
    expect(makeOutputPath(drv, 'out', 'hello').endsWith('-hello')).toBe(true);
    expect(makeOutputPath(drv, 'dev', 'hello').endsWith('-hello-dev')).toBe(true);
  });

  it('depends on the derivation path and the output name', () => {
    const other = makeTextPath('hello.drv', 'Derive(other)', []);
    expect(makeOutputPath(drv, 'out', 'hello')).not.toBe(makeOutputPath(other, 'out', 'hello'));
    expect(makeOutputPath(drv, 'out', 'hello')).toBe(makeOutputPath(drv, 'out', 'hello'));
    expect(makeOutputPath(drv, 'out', 'hello')).toMatch(storePathShape);
  });
});

describe('hashPartOf and baseNameOf', () => {
  const p = makeTextPath('foo', 'foo', []);
  const base = baseNameOf(p);

  it('strips the store directory, and leaves a base name alone', () => {
    expect(base).toBe(p.slice('/nix/store/'.length));
    expect(baseNameOf(base)).toBe(base);
    expect(baseNameOf('tmp-1')).toBe('tmp-1');
  });

  it('returns the 32-character hash part of a store path name', () => {
    expect(hashPartOf(base)).toBe(base.slice(0, 32));
    expect(hashPartOf(base)).toHaveLength(32);
  });

  it('gives X.lock, X.chroot and X.check the hash part of X', () => {
    for (const junk of ['.lock', '.chroot', '.check']) expect(hashPartOf(base + junk)).toBe(hashPartOf(base));
  });

  it("returns '' for names that do not parse as store paths", () => {
    expect(hashPartOf('tmp-1')).toBe('');
    expect(hashPartOf('.links')).toBe('');
    expect(hashPartOf(`${'e'.repeat(32)}-foo`)).toBe(''); // 'e' is not in Nix's base-32 alphabet
    expect(hashPartOf(`${'0'.repeat(31)}-foo`)).toBe('');
    expect(hashPartOf('0'.repeat(32))).toBe(''); // no '-' after the hash
  });
});
