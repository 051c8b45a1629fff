/**
 * `rootrace calibrate [--timings FILE|-] [--json]`: how the cost model is made
 * from a real Nix's timings (issue #12 item 2). Without --timings it prints the
 * derivation of the defaults from shared/real-nix-2.8.md and the procedure for
 * another machine; with it, the cost file those timings imply (for --costs).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { COST_FIELDS, DEFAULT_COSTS } from '../messages/costs.js';
import { UsageError } from '../messages/errors.js';
import { DERIVATION, REAL_NIX_2_8, TIMING_FIELDS, costFileText, costsFromTimings, timingsFrom } from '../scenarios/calibrate.js';
import { readInputFile } from '../scenarios/file/readInput.js';
import { CALIBRATE } from './commands.js';
import { SCHEMA_VERSION } from './runCommand.js';
import { parseCommand } from './spec.js';

export interface CalibrateArgs {
  readonly timings: string | null;
  readonly json: boolean;
}

export function parseCalibrateArgs(argv: readonly string[]): CalibrateArgs {
  const { values: v, positionals } = parseCommand(CALIBRATE, argv);
  if (positionals.length > 0) throw new UsageError(`calibrate takes no arguments (got '${positionals[0]}'); give timings with --timings FILE`);
  return { timings: v.timings ?? null, json: v.json === true };
}

function readTimings(arg: string): unknown {
  const text = arg === '-' ? readFileSync(0, 'utf8') : readInputFile(arg, '--timings file');
  try {
    return parse(text);
  } catch (e) {
    throw new UsageError(`--timings ${arg}: not YAML or JSON: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
}

export function calibrateCommand(a: CalibrateArgs, out: (s: string) => void): number {
  if (a.timings !== null) {
    const t = timingsFrom(readTimings(a.timings), `--timings ${a.timings}`);
    const c = costsFromTimings(t);
    out(a.json ? `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, timings: t, costs: c }, null, 2)}\n` : costFileText(c, a.timings === '-' ? 'timings on stdin' : a.timings, t));
    return 0;
  }
  const derived = costsFromTimings(REAL_NIX_2_8);
  if (a.json) {
    out(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, timings: REAL_NIX_2_8, defaults: DEFAULT_COSTS, derived, how: DERIVATION }, null, 2)}\n`);
    return 0;
  }
  const w = Math.max(...COST_FIELDS.map((k) => k.length));
  const rows = COST_FIELDS.map((k) => `  ${k.padEnd(w)}  ${String(DEFAULT_COSTS[k]).padStart(7)}  ${String(derived[k]).padStart(9)}  ${DERIVATION[k]}`);
  out(
    [
      'The cost model (model ms per operation; src/messages/costs.ts) comes from a real Nix\'s timings.',
      '',
      'Defaults, from shared/real-nix-2.8.md (Nix 2.8.0 on a 2-core machine, medians of 21):',
      `  timings: ${TIMING_FIELDS.map((k) => `${k} ${REAL_NIX_2_8[k]}`).join(', ')}`,
      '',
      `  ${'cost'.padEnd(w)}  ${'default'.padStart(7)}  ${'timings →'.padStart(9)}  how`,
      ...rows,
      '',
      '(the defaults are these figures rounded; each is within its ±10% spread of the derived value.)',
      '',
      'On another machine, with a working Nix (nix-instantiate, nix-store) and a writable store:',
      '  bash scripts/calibrate.sh > timings.yaml           # times each command N=21 times, prints the medians',
      '  rootrace calibrate --timings timings.yaml > costs.yaml',
      '  rootrace run race-a --costs costs.yaml',
      '',
      `Or time them yourself and write their medians in ms (${TIMING_FIELDS.join(', ')}; localInstantiateValid and spread optional).`,
      '',
    ].join('\n'),
  );
  return 0;
}
