/**
 * Branded identifiers. Each brand is minted in exactly one function below, so a
 * raw number or string can only become an id through a place that checks it.
 */
import { nanoid } from 'nanoid';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A simulated process id, allocated by the coordinator. */
export type Pid = Brand<number, 'Pid'>;
/** An interned store entry (a store path, or a junk name in the store directory). */
export type PathId = Brand<number, 'PathId'>;
/** A full store path, `/nix/store/<32 chars>-<name>`. */
export type StorePath = Brand<string, 'StorePath'>;
/** A unique id for one run. */
export type RunId = Brand<string, 'RunId'>;
/** A unique id for one actor instance inside a run. */
export type ActorId = Brand<string, 'ActorId'>;
/** An open file description: what a flock belongs to. */
export type OfdId = Brand<number, 'OfdId'>;
/** A 32-bit unsigned seed from which a run's randomness derives. */
export type Seed = Brand<number, 'Seed'>;

export const STORE_DIR = '/nix/store';

export function mintPid(n: number): Pid {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`invalid pid ${n}`);
  return n as Pid;
}

export function mintPathId(n: number): PathId {
  return n as PathId;
}

export function mintOfdId(n: number): OfdId {
  return n as OfdId;
}

const storePathRe = /^\/nix\/store\/[0-9a-df-np-sv-z]{32}-[A-Za-z0-9+\-._?=]+$/;

/** Checks the shape of a full store path (Nix's base-32 alphabet and name characters). */
export function mintStorePath(s: string): StorePath {
  if (!storePathRe.test(s)) throw new RangeError(`'${s}' is not a store path`);
  return s as StorePath;
}

export function isStorePath(s: string): s is StorePath {
  return storePathRe.test(s);
}

export function mintRunId(): RunId {
  return `run-${nanoid(10)}` as RunId;
}

export function mintActorId(role: string): ActorId {
  return `${role}-${nanoid(8)}` as ActorId;
}

/** Seeds are printed and parsed as decimal; anything outside uint32 is rejected. */
export function mintSeed(n: number): Seed {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) {
    throw new RangeError(`seed must be an integer in 0..4294967295, got ${n}`);
  }
  return n as Seed;
}
