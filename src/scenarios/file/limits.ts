/**
 * The hard limits on scenario input, as data: every check that refuses a file
 * for its size reads its bound here, and the README's table of limits is
 * rendered from it. A scenario within them loads in seconds and runs in a
 * store sized for it (actors/storeNeeds.ts); one beyond them is refused before
 * any run starts, with a message naming the field and the limit.
 */

export interface Limit {
  readonly value: number;
  /** What is bounded, as a README row says it. */
  readonly what: string;
  /** Why, in a clause the refusal message ends with. */
  readonly why: string;
}

export const LIMITS = {
  fileBytes: { value: 16 * 1024 * 1024, what: 'bytes of an input file (scenario, schedule, cost file, events, sweep shard)', why: 'read whole into memory' },
  aliases: { value: 1000, what: 'YAML alias expansions in a scenario file', why: 'a "billion laughs" file expands exponentially' },
  nesting: { value: 64, what: 'nesting depth of YAML/JSON collections', why: 'no scenario field nests deeper than a few levels' },
  repeat: { value: 100_000, what: 'copies of one entry (`repeat`)', why: 'each copy is a separate store object' },
  derivations: { value: 250_000, what: 'derivations after `repeat`', why: 'each is hashed and interned at load time' },
  sources: { value: 100_000, what: 'sources after `repeat`', why: 'each is hashed and interned at load time' },
  processes: { value: 10_000, what: 'process entries after `repeat`', why: 'each runs as its own actor' },
  steps: { value: 10_000, what: 'steps of one process', why: 'a program that long is a loop' },
  inputs: { value: 1_000_000, what: 'input edges of all derivations (after `*` patterns)', why: 'each edge is a reference in the store' },
  dependencyDepth: { value: 1000, what: 'derivations in one dependency chain', why: 'closures are walked recursively, as Nix does' },
  loopTimes: { value: 1_000_000, what: 'iterations of one `loop` (`times`)', why: 'one process runs them all, its temp roots accumulating' },
  evalJobs: { value: 100_000, what: '`jobs`, `workers` and `restartEvery` of an `evalJobs` step', why: 'each batch starts fresh processes' },
  sleepMs: { value: 3_600_000, what: 'ms of one `sleep` step, of a cost and of a switch in ms', why: 'an hour of real time on the threads runtime' },
  entryBytes: { value: 0x7fff_ffff, what: 'bytes of one store entry (`size`, `outputSize`, junk `size`)', why: "the store's entry sizes are 31-bit" },
  storeBuffer: { value: 1024 * 1024 * 1024, what: "bytes of the shared store a scenario needs (its capacities' layout)", why: 'one SharedArrayBuffer holds the whole store' },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/** `at most 100000 (each copy is a separate store object)`: the tail of a refusal. */
export function atMost(name: LimitName): string {
  const l: Limit = LIMITS[name];
  return `at most ${l.value} (${l.why})`;
}

/** The README's table of limits (Markdown), rendered from LIMITS so it cannot drift (`npm run readme`). */
export function limitsMarkdown(): string {
  const rows = Object.values(LIMITS).map((l: Limit) => `| ${l.what} | ${l.value.toLocaleString('en-US')} | ${l.why} |`);
  return ['| limit on | at most | why |', '| --- | --- | --- |', ...rows].join('\n');
}
