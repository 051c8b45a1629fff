/**
 * Turns ajv's first error into one sentence naming the field and what was
 * expected. Messages use the schema's `expected` / `fieldKind` annotations
 * (schema.ts) where ajv's own wording would be about schema internals.
 */
import type { ErrorObject } from 'ajv';
import type { JsonPath } from './where.js';

interface Annotated {
  readonly expected?: string;
  readonly fieldKind?: string;
  readonly properties?: Record<string, unknown>;
  readonly oneOf?: readonly { readonly properties?: Record<string, { readonly const?: unknown }> }[];
}

/** Errors that only say "a sub-schema failed"; the one before them is the useful one. */
const WRAPPERS = new Set(['if', 'then', 'else', 'oneOf', 'anyOf', 'allOf', 'not']);

export function firstError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  return errors.find((e) => !WRAPPERS.has(e.keyword)) ?? errors[0];
}

/** `/processes/1/steps/0` → ['processes', 1, 'steps', 0], telling list indices from keys by the data. */
export function toPath(pointer: string, root: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const i = Number(seg);
      out.push(i);
      node = node[i];
    } else {
      out.push(seg);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

/** A value as a message shows it: `string "abc"`, `number 1.5`, `a list`, … */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${show(v)}`;
}

export function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

const list = (xs: readonly unknown[]): string => xs.map((x) => (typeof x === 'string' ? x : show(x))).join(', ');

const TYPE_WORDS: Record<string, string> = { integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', object: 'an object', array: 'a list', null: 'null' };

function typeWords(t: unknown): string {
  const ts = Array.isArray(t) ? t : [t];
  return ts.map((x) => TYPE_WORDS[String(x)] ?? String(x)).join(' or ');
}

/** The field an error is about, and the sentence for it. */
export function describeError(e: ErrorObject, root: unknown): { path: JsonPath; what: string } {
  const path = toPath(e.instancePath, root);
  const schema = (e.parentSchema ?? {}) as Annotated;
  const p = e.params as Record<string, unknown>;
  const data: unknown = e.data;
  const expected = schema.expected;
  const tail = expected !== undefined ? `; expected ${expected}` : '';
  const named = e.propertyName;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p['additionalProperty']);
      const kind = schema.fieldKind ?? 'field';
      return { path: [...path, key], what: `unknown ${kind} '${key}' (expected one of: ${list(Object.keys(schema.properties ?? {}))})` };
    }
    case 'required':
      return { path: [...path, String(p['missingProperty'])], what: `missing required field '${String(p['missingProperty'])}'${tail}` };
    case 'type':
      return { path, what: `expected ${expected ?? typeWords(p['type'])}, got ${describeValue(data)}` };
    case 'enum':
      if (named !== undefined) return { path: [...path, named], what: `field '${named}' is not allowed here${tail}` };
      return { path, what: `expected one of: ${list(p['allowedValues'] as unknown[])}; got ${describeValue(data)}` };
    case 'const':
      return { path, what: `expected ${show(p['allowedValue'])}, got ${describeValue(data)}` };
    case 'pattern':
      if (named !== undefined) return { path: [...path, named], what: `invalid name '${named}'${tail}` };
      return { path, what: `expected ${expected ?? `a string matching /${String(p['pattern'])}/`}, got ${describeValue(data)}` };
    case 'minimum':
    case 'maximum':
      return { path, what: `expected a number ${String(p['comparison'])} ${String(p['limit'])}, got ${describeValue(data)}` };
    case 'minItems':
      return { path, what: `expected at least ${String(p['limit'])} item(s), got ${Array.isArray(data) ? data.length : 0}` };
    case 'uniqueItems': {
      const [i, j] = [Number(p['i']), Number(p['j'])];
      const items = Array.isArray(data) ? data : [];
      return { path: [...path, i], what: `duplicate item ${show(items[i])} (also at index ${j})` };
    }
    case 'minProperties':
      return { path, what: `is empty${tail}` };
    case 'maxProperties': {
      const keys = data !== null && typeof data === 'object' ? Object.keys(data) : [];
      return { path, what: `has ${keys.length} fields (${keys.join(', ')})${tail}` };
    }
    case 'discriminator': {
      const tag = String(p['tag']);
      const ops = (schema.oneOf ?? []).map((b) => b.properties?.[tag]?.const);
      return { path: [...path, tag], what: `unknown step operation ${show(p['tagValue'])} (expected one of: ${list(ops)})` };
    }
    default:
      return { path, what: `${e.message ?? 'is invalid'}${tail}` };
  }
}
