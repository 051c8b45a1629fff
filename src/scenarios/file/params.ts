/**
 * Parameters of a scenario file: their specs, `--param k=v` overrides, and the
 * integer expressions (`"$evaluators"`, `"$free + 4096"`) that use them.
 */
import type { ScenarioDoc } from './load.js';
import type { IntExpr } from './format.js';
import { atMost, LIMITS, type LimitName } from './limits.js';
import type { JsonPath, Locator } from './where.js';

export type Params = Readonly<Record<string, number>>;

export interface ParamSpec {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly doc: string;
}

/** A missing `min` is 0 (parameters count things or bytes); a missing `max` is unbounded. */
export function parameterSpecs(doc: ScenarioDoc): Record<string, ParamSpec> {
  const out: Record<string, ParamSpec> = {};
  for (const [name, raw] of Object.entries(doc.data.parameters ?? {})) {
    const def = typeof raw === 'number' ? { default: raw } : raw;
    const spec = { default: def.default, min: def.min ?? 0, max: def.max ?? Number.MAX_SAFE_INTEGER, doc: def.doc ?? '' };
    const at = typeof raw === 'number' ? ['parameters', name] : ['parameters', name, 'default'];
    if (spec.min > spec.max) throw doc.at.error(['parameters', name, 'min'], `min ${spec.min} is above max ${spec.max}`);
    if (spec.default < spec.min || spec.default > spec.max) throw doc.at.error(at, `default ${spec.default} is outside ${spec.min}..${spec.max}`);
    out[name] = spec;
  }
  return out;
}

/** Defaults, overridden by `--param name=value` (an integer within the parameter's min..max). */
export function applyParamArgs(doc: ScenarioDoc, specs: Readonly<Record<string, ParamSpec>>, args: readonly string[]): Params {
  const params: Record<string, number> = Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, s.default]));
  const known = Object.keys(specs).join(', ') || 'none';
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq < 1) throw doc.at.plain(`--param expects name=value, got '${a}'`);
    const name = a.slice(0, eq);
    const raw = a.slice(eq + 1).trim();
    const spec = specs[name];
    if (!spec) throw doc.at.plain(`--param ${name}: scenario '${doc.data.name}' has no parameter '${name}' (parameters: ${known})`);
    const v = /^[-+]?\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(v) || v < spec.min || v > spec.max) {
      throw doc.at.plain(`--param ${name} expects an integer in ${spec.min}..${spec.max}, got '${raw}'`);
    }
    params[name] = v;
  }
  return params;
}

const TOKEN = /\s*(?:(\d+)|\$([A-Za-z_][A-Za-z0-9_]*)|([-+*()])|(\S))/y;

/**
 * Evaluates an integer field: an integer, or an expression of integers,
 * `$parameters`, + - * and parentheses. `{i}` has been replaced already in
 * repeated entries; one left over means the entry has no `repeat`. `limit`
 * names the hard limit (limits.ts) the value may not exceed.
 */
export function evalInt(at: Locator, path: JsonPath, value: IntExpr, params: Params, min = 0, limit?: LimitName): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else {
    if (value.includes('{i}')) throw at.error(path, `'{i}' is only replaced in an entry with "repeat"`);
    n = new Expr(at, path, value, params).parse();
  }
  const from = typeof value === 'string' ? ` (from "${value}")` : '';
  if (!Number.isSafeInteger(n) || n < min) throw at.error(path, `expected an integer ≥ ${min}, got ${n}${from}`);
  if (limit !== undefined && n > LIMITS[limit].value) throw at.error(path, `${n}${from} is too large: ${atMost(limit)}`);
  return n;
}

class Expr {
  private tokens: string[] = [];
  private pos = 0;

  constructor(
    private readonly at: Locator,
    private readonly path: JsonPath,
    private readonly text: string,
    private readonly params: Params,
  ) {}

  parse(): number {
    TOKEN.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (TOKEN.lastIndex < this.text.length && (m = TOKEN.exec(this.text)) !== null) {
      if (m[4] !== undefined) throw this.fail(`unexpected '${m[4]}'`);
      if (m[2] !== undefined && !(m[2] in this.params)) {
        const known = Object.keys(this.params).map((k) => `$${k}`).join(', ') || 'none';
        throw this.at.error(this.path, `'$${m[2]}' names an undefined parameter (parameters: ${known})`);
      }
      this.tokens.push(m[1] ?? (m[2] !== undefined ? `$${m[2]}` : m[3]!));
    }
    const v = this.sum();
    if (this.pos < this.tokens.length) throw this.fail(`unexpected '${this.tokens[this.pos]}'`);
    return v;
  }

  private fail(what: string): Error {
    return this.at.error(this.path, `bad integer expression "${this.text}": ${what}; expected integers, $parameters, + - * and parentheses`);
  }

  private sum(): number {
    let v = this.product();
    for (let t = this.tokens[this.pos]; t === '+' || t === '-'; t = this.tokens[this.pos]) {
      this.pos++;
      v = t === '+' ? v + this.product() : v - this.product();
    }
    return v;
  }

  private product(): number {
    let v = this.factor();
    while (this.tokens[this.pos] === '*') {
      this.pos++;
      v *= this.factor();
    }
    return v;
  }

  private factor(): number {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw this.fail('it ends too early');
    if (t === '-') return -this.factor();
    if (t === '(') {
      const v = this.sum();
      if (this.tokens[this.pos++] !== ')') throw this.fail("missing ')'");
      return v;
    }
    if (t.startsWith('$')) return this.params[t.slice(1)]!;
    if (/^\d+$/.test(t)) return Number(t);
    throw this.fail(`unexpected '${t}'`);
  }
}
