/**
 * Cost models by name or file: `default` (calibrated on real Nix 2.8,
 * messages/costs.ts), `zero`, or a JSON/YAML file of fields over the defaults —
 * what `rootrace calibrate` writes from a real machine's timings.
 */
import { parse } from 'yaml';
import { COST_FIELDS, DEFAULT_COSTS, ZERO_COSTS, type Costs } from '../messages/costs.js';
import { UsageError } from '../messages/errors.js';
import { LIMITS } from './file/limits.js';
import { readInputFile } from './file/readInput.js';

/** A scenario's `costs:` value or a `--costs` argument already read: a name, or an object of fields over the defaults. */
export function costsFrom(value: unknown, where: string): Costs {
  if (value === 'default') return DEFAULT_COSTS;
  if (value === 'zero' || value === 'none') return ZERO_COSTS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: expected default, zero, or an object of cost fields (${COST_FIELDS.join(', ')}), got ${JSON.stringify(value)}`);
  }
  const out: Record<string, number> = { ...DEFAULT_COSTS };
  for (const [k, v] of Object.entries(value)) {
    if (!(COST_FIELDS as readonly string[]).includes(k)) throw new UsageError(`${where}: unknown cost '${k}' (known: ${COST_FIELDS.join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (k === 'jitter' && v >= 1) || v > LIMITS.sleepMs.value) {
      const expected = k === 'jitter' ? 'a number in [0, 1)' : `a non-negative number of milliseconds, at most ${LIMITS.sleepMs.value} (${LIMITS.sleepMs.why})`;
      throw new UsageError(`${where}: cost '${k}' expects ${expected}, got ${JSON.stringify(v)}`);
    }
    out[k] = v;
  }
  return out as unknown as Costs;
}

/** `--costs default|zero|FILE`. */
export function costsArg(arg: string): Costs {
  if (arg === 'default' || arg === 'zero' || arg === 'none') return costsFrom(arg, '--costs');
  let text: string;
  try {
    text = readInputFile(arg, 'cost file');
  } catch (e) {
    throw new UsageError(`--costs: ${e instanceof Error ? e.message : String(e)}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new UsageError(`--costs ${arg}: not YAML or JSON: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const costs = typeof doc === 'object' && doc !== null && 'costs' in doc ? (doc).costs : doc;
  return costsFrom(costs, `--costs ${arg}`);
}
