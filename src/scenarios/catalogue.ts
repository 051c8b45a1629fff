/** Built-in scenarios by name, with their parameters. */
import { UsageError } from '../messages/errors.js';
import type { ScenarioRun } from '../messages/scenario.js';
import { PR15158_DEFAULTS, pr15158 } from './builtin/pr15158.js';
import type { RawExpectation } from './file/format.js';

export interface CatalogueEntry {
  readonly name: string;
  readonly summary: string;
  readonly source: string;
  readonly params: Readonly<Record<string, number>>;
  /** Expectations per profile, as in a scenario file's `expect` (for `rootrace check`). */
  readonly expect?: Readonly<Record<string, RawExpectation>>;
  build(params: Readonly<Record<string, number>>): ScenarioRun;
}

export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    name: 'pr-15158',
    summary: 'writeDerivation skips an already-valid hosts.drv unrooted; auto-GC in the dependent’s addToStore deletes it',
    source: 'NixOS/nix PR #15158 (fixed by PR #15237 in 2.34.0)',
    params: { ...PR15158_DEFAULTS },
    expect: { default: { findings: 'none' }, 'nix-2.33': { findings: ['invalid-reference'] } },
    build: (p) => pr15158({ evaluators: p['evaluators']!, shared: p['shared']!, pressure: p['pressure']! }),
  },
];

/** Looks a scenario up and applies `--param k=v` (integers only) over its defaults. */
export function buildScenario(name: string, paramArgs: readonly string[]): ScenarioRun {
  const entry = CATALOGUE.find((e) => e.name === name);
  if (!entry) throw new UsageError(`unknown scenario '${name}' (built in: ${CATALOGUE.map((e) => e.name).join(', ')})`);
  const params: Record<string, number> = { ...entry.params };
  for (const a of paramArgs) {
    const eq = a.indexOf('=');
    if (eq < 1) throw new UsageError(`--param expects name=value, got '${a}'`);
    const k = a.slice(0, eq);
    const v = Number(a.slice(eq + 1));
    if (!(k in entry.params)) throw new UsageError(`scenario '${name}' has no parameter '${k}' (parameters: ${Object.keys(entry.params).join(', ')})`);
    if (!Number.isInteger(v) || v < 1) throw new UsageError(`--param ${k} expects a positive integer, got '${a.slice(eq + 1)}'`);
    params[k] = v;
  }
  return entry.build(params);
}
