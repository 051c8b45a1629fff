/**
 * From real Nix timings to a cost model (issue #12 item 2). One arithmetic,
 * used for the defaults (the medians of shared/real-nix-2.8.md give
 * DEFAULT_COSTS, a test checks it), for `rootrace calibrate --timings FILE`,
 * and for scripts/calibrate.sh, which times the same commands with a real Nix
 * and pipes its medians here.
 */
import { COST_FIELDS, DEFAULT_COSTS, type Costs } from '../messages/costs.js';
import { UsageError } from '../messages/errors.js';

/** Medians in ms of the commands of shared/real-nix-2.8.md, through the daemon unless named local. */
export interface Timings {
  /** `nix-instantiate` of a fresh drv (app.drv + hosts.drv: two new paths). */
  readonly instantiateFresh: number;
  /** `nix-instantiate` of a drv already valid. */
  readonly instantiateValid: number;
  /** The same with `NIX_REMOTE=local` (no daemon): separates start-up from the daemon's fork and handshake. */
  readonly localInstantiateValid?: number;
  /** `nix-store -r` of a trivial `/bin/sh` derivation. */
  readonly realise: number;
  /** `nix-store --gc` with nothing to delete. */
  readonly gcEmpty: number;
  /** `nix-store --gc` with 20 dead paths. */
  readonly gc20: number;
  /** (max − min) / 2 / median over the commands, when known: the costs' spread. */
  readonly spread?: number;
}

export const TIMING_FIELDS = ['instantiateFresh', 'instantiateValid', 'localInstantiateValid', 'realise', 'gcEmpty', 'gc20', 'spread'] as const satisfies readonly (keyof Timings)[];
const REQUIRED: readonly (keyof Timings)[] = ['instantiateFresh', 'instantiateValid', 'realise', 'gcEmpty', 'gc20'];

/** shared/real-nix-2.8.md, "Single operations": Nix 2.8.0 on this kind of machine. */
export const REAL_NIX_2_8: Timings = {
  instantiateFresh: 21.7,
  instantiateValid: 20.4,
  localInstantiateValid: 15.8,
  realise: 41.6,
  gcEmpty: 25.8,
  gc20: 29.6,
  spread: 0.1,
};

/** What each cost is taken to be, for the derivation table. */
export const DERIVATION: Readonly<Record<keyof Costs, string>> = {
  op: 'a daemon round trip; not separable from these timings, taken as 0.3',
  processStart: 'local instantiate of a valid drv − its 3 ops (without a local timing: daemon instantiate − daemonConnect − 5 ops)',
  daemonConnect: 'daemon instantiate − local instantiate − the 5 ops a daemon client adds (without a local timing: 3)',
  addToStore: '(fresh instantiate − valid instantiate) / 2: two new paths',
  build: 'nix-store -r − valid instantiate',
  gcRoots: 'nix-store --gc with nothing to delete − processStart − daemonConnect − 1 op',
  gcVisit: 'not separable on a tiny store; 0.01',
  gcDelete: '(--gc with 20 dead paths − --gc with none) / 20',
  jitter: 'the spread (max − min) / 2 / median, when given; else 0.1',
};

const OP = 0.3;
const round = (x: number, digits: number): number => Math.max(0, Number(x.toFixed(digits)));

/** The cost model these timings imply (rounded as DEFAULT_COSTS is written). */
export function costsFromTimings(t: Timings): Costs {
  const connect = t.localInstantiateValid !== undefined ? t.instantiateValid - t.localInstantiateValid - 5 * OP : DEFAULT_COSTS.daemonConnect;
  const start = t.localInstantiateValid !== undefined ? t.localInstantiateValid - 3 * OP : t.instantiateValid - connect - 5 * OP;
  return {
    processStart: round(start, 1),
    daemonConnect: round(connect, 1),
    op: OP,
    addToStore: round((t.instantiateFresh - t.instantiateValid) / 2, 1),
    build: round(t.realise - t.instantiateValid, 1),
    gcRoots: round(t.gcEmpty - start - connect - OP, 1),
    gcVisit: DEFAULT_COSTS.gcVisit,
    gcDelete: round((t.gc20 - t.gcEmpty) / 20, 2),
    jitter: round(t.spread ?? DEFAULT_COSTS.jitter, 2),
  };
}

/** A timings document (YAML/JSON already parsed), checked field by field. */
export function timingsFrom(doc: unknown, where: string): Timings {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UsageError(`${where}: expected an object of timings (${TIMING_FIELDS.join(', ')}), got ${JSON.stringify(doc)}`);
  const body = 'timings' in doc ? doc.timings : doc;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new UsageError(`${where}: timings: expected an object, got ${JSON.stringify(body)}`);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(body)) {
    if (!(TIMING_FIELDS as readonly string[]).includes(k)) throw new UsageError(`${where}: unknown timing '${k}' (known: ${TIMING_FIELDS.join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 600_000) throw new UsageError(`${where}: timing '${k}' expects milliseconds (a number in 0..600000), got ${JSON.stringify(v)}`);
    out[k] = v;
  }
  const missing = REQUIRED.filter((k) => out[k] === undefined);
  if (missing.length > 0) throw new UsageError(`${where}: missing timing${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`);
  // Medians of noisy timings may come out of order (a fresh instantiate below a valid one): the costs clamp at 0.
  const t = out as unknown as Timings;
  return t;
}

/** A cost file as `--costs FILE` reads it, with where its figures came from. */
export function costFileText(c: Costs, source: string, t: Timings): string {
  const lines = [
    `# rootrace cost file (model ms), from ${source}`,
    `# timings (medians, ms): ${TIMING_FIELDS.filter((k) => t[k] !== undefined).map((k) => `${k} ${t[k]}`).join(', ')}`,
    'costs:',
    ...COST_FIELDS.map((k) => `  ${k}: ${c[k]}`),
  ];
  return `${lines.join('\n')}\n`;
}
