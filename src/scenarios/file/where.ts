/**
 * Where in a scenario file a value sits: JSON paths (`processes[1].steps[0].instantiate`)
 * and their YAML/JSON lines, so every input error names file, field and line.
 */
import { relative } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { UsageError } from '../../messages/errors.js';

export type JsonPath = readonly (string | number)[];

/** `processes[1].steps[0].instantiate`; keys with spaces or brackets are quoted. */
export function formatPath(path: JsonPath): string {
  if (path.length === 0) return '(top level)';
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[^\s[\]"'.]+(\.[^\s[\]"'.]+)*$/.test(seg)) s += s === '' ? seg : `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}

/** A file name for messages: relative to the working directory when it is below it. */
export function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') ? rel : file;
}

export class Locator {
  constructor(
    readonly file: string,
    private readonly doc: Document | null,
    private readonly lines: LineCounter | null,
  ) {}

  /** The 1-based line of the deepest node along `path` that exists (a missing field reports its object). */
  lineOf(path: JsonPath): number | undefined {
    if (!this.doc || !this.lines) return undefined;
    let node: unknown = this.doc.contents;
    let line = this.lineAt(node) ?? 1;
    for (const seg of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
        if (!pair) break;
        line = this.lineAt(pair.key) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) break;
        line = this.lineAt(item) ?? line;
        node = item;
      } else {
        break;
      }
    }
    return line;
  }

  private lineAt(node: unknown): number | undefined {
    const range = (node as Node | null | undefined)?.range;
    return range && this.lines ? this.lines.linePos(range[0]).line : undefined;
  }

  /** One message: `<file>: line N: <path>: <what>`; `line` overrides the path's line (syntax errors). */
  error(path: JsonPath, what: string, offset?: number): UsageError {
    const line = offset !== undefined && this.lines ? this.lines.linePos(offset).line : this.lineOf(path);
    return new UsageError(`${displayName(this.file)}: ${line === undefined ? '' : `line ${line}: `}${formatPath(path)}: ${what}`);
  }

  /** An error about the file as a whole or a command-line value (no field in the file). */
  plain(what: string): UsageError {
    return new UsageError(`${displayName(this.file)}: ${what}`);
  }
}
