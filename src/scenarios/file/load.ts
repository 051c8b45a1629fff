/**
 * Reads a scenario file (YAML or JSON), checks it against the schema and
 * returns it with a Locator for later errors. Every failure is one UsageError
 * naming the file, the field's path and its line.
 */
import { extname } from 'node:path';
import { Ajv, type SchemaObject, type ValidateFunction } from 'ajv';
import { LineCounter, isAlias, isCollection, isPair, parseDocument, visit, type Document } from 'yaml';
import type { UsageError } from '../../messages/errors.js';
import type { ScenarioFile } from './format.js';
import { LIMITS } from './limits.js';
import { readInputFile } from './readInput.js';
import { ANNOTATIONS, SCENARIO_SCHEMA } from './schema.js';
import { describeError, firstError } from './schemaErrors.js';
import { Locator, type JsonPath } from './where.js';

export interface ScenarioDoc {
  /** The file as given (absolute for catalogue files). */
  readonly file: string;
  /** Its text, verbatim (`rootrace scenarios show`). */
  readonly text: string;
  readonly data: ScenarioFile;
  readonly at: Locator;
}

let ajv: Ajv | undefined;
const validators = new Map<SchemaObject, ValidateFunction>();

/** Checks `data` against `schema` (compiled once); the first error is one UsageError at its field. */
export function validateAgainst(schema: SchemaObject, data: unknown, at: Locator): void {
  let v = validators.get(schema);
  if (!v) {
    // verbose: errors carry their schema, whose annotations word the message.
    ajv ??= new Ajv({ allErrors: false, verbose: true, discriminator: true, strict: true, strictRequired: false, strictTuples: false, allowUnionTypes: true });
    for (const keyword of ANNOTATIONS) if (!ajv.getKeyword(keyword)) ajv.addKeyword({ keyword, schemaType: 'string' });
    validators.set(schema, (v = ajv.compile(schema)));
  }
  v(data);
  const e = v.errors ? firstError(v.errors) : undefined;
  if (e) {
    const { path, what } = describeError(e, data);
    throw at.error(path, what);
  }
}

export function loadScenarioFile(file: string): ScenarioDoc {
  return parseScenario(file, readInputFile(file, 'scenario file'));
}

/** Parses and validates `text` as the scenario file `file` (JSON when it ends in .json, YAML otherwise). */
export function parseScenario(file: string, text: string): ScenarioDoc {
  const { data, at } = readDocument(file, text, extname(file).toLowerCase() === '.json' ? 'json' : 'yaml');
  validateAgainst(SCENARIO_SCHEMA, data, at);
  return { file, text, data: data as ScenarioFile, at };
}

/**
 * The data of a YAML or JSON input file, within the size and nesting limits,
 * with a Locator that gives any later error its line; a syntax error is one
 * UsageError at its line.
 */
export function readDocument(file: string, text: string, lang: 'yaml' | 'json'): { data: unknown; at: Locator } {
  const max = LIMITS.fileBytes.value;
  if (text.length > max) throw new Locator(file, null, null).plain(`${text.length} characters; at most ${max} (${LIMITS.fileBytes.why})`);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const at = new Locator(file, doc, lines);
  return { data: lang === 'json' ? parseJson(at, doc, text) : parseYaml(at, doc), at };
}

function parseYaml(at: Locator, doc: Document): unknown {
  const err = doc.errors[0];
  // The parser turns a stack overflow on deep nesting into an error of its own.
  if (err && /Maximum call stack/.test(err.message)) throw tooDeep(at, doc, err.pos[0]);
  if (err) throw syntaxError(at, doc, 'YAML', err.pos[0], err.message);
  checkNesting(at, doc);
  checkCutValues(at, doc);
  try {
    return doc.toJS({ maxAliasCount: LIMITS.aliases.value });
  } catch (e) {
    // yaml's ReferenceError for an alias that expands past maxAliasCount.
    if (!(e instanceof ReferenceError)) throw e;
    let where: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        where ??= node.range?.[0];
      },
    });
    const offset = where ?? 0;
    throw at.error(pathAt(doc.contents, offset), `YAML aliases expand to more than ${LIMITS.aliases.value} nodes (${LIMITS.aliases.why}); write the values out`, offset);
  }
}

/** The error names the outermost few levels of the too-deep value (its full path would be as long as it is deep). */
const DEEP_PATH_SHOWN = 3;
const deepWhat = `collections nested more than ${LIMITS.nesting.value} deep below here (${LIMITS.nesting.why})`;

function tooDeep(at: Locator, doc: Document, offset: number): Error {
  return at.error(pathAt(doc.contents, offset).slice(0, DEEP_PATH_SHOWN), deepWhat, offset);
}

/** Deeper than LIMITS.nesting is refused before anything recurses over the document. */
function checkNesting(at: Locator, doc: Document): void {
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isAlias(node) || !isCollection(node)) continue;
    if (depth >= LIMITS.nesting.value) throw tooDeep(at, doc, node.range?.[0] ?? 0);
    for (const item of node.items) {
      if (isPair(item)) stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      else stack.push({ node: item, depth: depth + 1 });
    }
  }
}

/**
 * `source: NixOS/nix PR #15158` is the string `NixOS/nix PR`: ` #` starts a
 * comment. An unquoted value followed by `#<digit>` is that trap, not a comment
 * anyone meant; say so rather than keep the cut value.
 */
function checkCutValues(at: Locator, doc: Document): void {
  visit(doc, {
    Scalar(_key, node) {
      if (node.type !== 'PLAIN' || typeof node.value !== 'string' || !/^\d/.test(node.comment ?? '') || !node.range) return;
      const cut = `#${(node.comment ?? '').split(/\s/)[0]!}`;
      throw at.error(pathAt(doc.contents, node.range[0]), `"${cut}" starts a YAML comment, so the value is cut to '${node.value}'; quote the whole value`, node.range[0]);
    },
  });
}

/** JSON.parse is the judge of JSON syntax; the YAML view of the same text only supplies lines and duplicate keys. */
function parseJson(at: Locator, doc: Document, text: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw syntaxError(at, doc, 'JSON', jsonErrorOffset(msg, text), msg.replace(/ in JSON at position \d+.*$/s, '').replace(/^(Unexpected token '.'),.*$/s, '$1'));
  }
  const dup = doc.errors.find((x) => x.code === 'DUPLICATE_KEY');
  if (dup) throw syntaxError(at, doc, 'JSON', dup.pos[0], dup.message);
  const deep = deepPath(data, LIMITS.nesting.value);
  if (deep) throw at.error(deep.slice(0, DEEP_PATH_SHOWN), deepWhat);
  return data;
}

/** The path of the first value nested `max` collections deep, or null. */
function deepPath(data: unknown, max: number): JsonPath | null {
  const stack: { v: unknown; path: JsonPath }[] = [{ v: data, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= max) return path;
    for (const [k, x] of Array.isArray(v) ? v.entries() : Object.entries(v)) stack.push({ v: x, path: [...path, k] });
  }
  return null;
}

function syntaxError(at: Locator, doc: Document, lang: string, offset: number, message: string): UsageError {
  const first = (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  return at.error(pathAt(doc.contents, offset), `${lang} syntax error: ${first}`, offset);
}

/**
 * Where JSON.parse failed. Node 20 says `at position N` for most errors, but for
 * an unexpected token it quotes up to 10 characters either side instead
 * (V8's json-parser): find that context in the text.
 */
function jsonErrorOffset(msg: string, text: string): number {
  const pos = /at position (\d+)/.exec(msg);
  if (pos) return Number(pos[1]);
  const m = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(msg);
  if (!m) return text.length;
  const [, token = '', before, context = '', after] = m;
  if (before !== undefined) {
    const i = text.indexOf(context);
    return i < 0 ? text.length : i + 10;
  }
  return after !== undefined ? context.length - 10 : Math.max(0, text.indexOf(token));
}

interface RangedNode {
  readonly range?: readonly [number, number, number] | null;
  readonly items?: readonly unknown[];
  readonly key?: unknown;
  readonly value?: unknown;
}

/** The path of the innermost node of a (partial) document that spans `offset`. */
function pathAt(root: unknown, offset: number): JsonPath {
  const path: (string | number)[] = [];
  let node = root as RangedNode | null;
  for (;;) {
    const items = node?.items;
    if (!items) return path;
    let next: RangedNode | null = null;
    for (const [i, item] of items.entries()) {
      const it = item as RangedNode;
      const isPair = 'key' in it;
      const start = isPair ? (it.key as RangedNode | null)?.range?.[0] : it.range?.[0];
      const end = isPair ? ((it.value as RangedNode | null)?.range?.[2] ?? (it.key as RangedNode | null)?.range?.[2]) : it.range?.[2];
      if (start === undefined || end === undefined || offset < start || offset > end) continue;
      const key = (it.key as { value?: unknown } | null)?.value;
      path.push(isPair ? (typeof key === 'string' || typeof key === 'number' ? String(key) : '?') : i);
      next = isPair ? (it.value as RangedNode | null) : it;
      break;
    }
    if (!next || next === node) return path;
    node = next;
  }
}
