/**
 * Reads a scenario file (YAML or JSON), checks it against the schema and
 * returns it with a Locator for later errors. Every failure is one UsageError
 * naming the file, the field's path and its line.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { UsageError } from '../../messages/errors.js';
import type { ScenarioFile } from './format.js';
import { ANNOTATIONS, SCENARIO_SCHEMA } from './schema.js';
import { describeError, firstError } from './schemaErrors.js';
import { Locator, displayName, type JsonPath } from './where.js';

export interface ScenarioDoc {
  /** The file as given (absolute for catalogue files). */
  readonly file: string;
  /** Its text, verbatim (`rootrace scenarios show`). */
  readonly text: string;
  readonly data: ScenarioFile;
  readonly at: Locator;
}

let validator: ValidateFunction | undefined;

function validate(data: unknown): ValidateFunction {
  if (!validator) {
    // verbose: errors carry their schema, whose annotations word the message.
    const ajv = new Ajv({ allErrors: false, verbose: true, discriminator: true, strict: true, strictRequired: false, allowUnionTypes: true });
    for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword, schemaType: 'string' });
    validator = ajv.compile(SCENARIO_SCHEMA);
  }
  validator(data);
  return validator;
}

export function loadScenarioFile(file: string): ScenarioDoc {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read scenario file '${displayName(file)}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code)}`);
  }
  return parseScenario(file, text);
}

/** Parses and validates `text` as the scenario file `file` (JSON when it ends in .json, YAML otherwise). */
export function parseScenario(file: string, text: string): ScenarioDoc {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const at = new Locator(file, doc, lines);
  const data = extname(file).toLowerCase() === '.json' ? parseJson(at, doc, text) : parseYaml(at, doc);
  const v = validate(data);
  const e = v.errors ? firstError(v.errors) : undefined;
  if (e) {
    const { path, what } = describeError(e, data);
    throw at.error(path, what);
  }
  return { file, text, data: data as ScenarioFile, at };
}

function parseYaml(at: Locator, doc: Document): unknown {
  const err = doc.errors[0];
  if (err) throw syntaxError(at, doc, 'YAML', err.pos[0], err.message);
  checkCutValues(at, doc);
  return doc.toJS({ maxAliasCount: 1000 });
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
  return data;
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
