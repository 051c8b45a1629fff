/**
 * A sweep report's traces travel with it (issue #13 item 6): an HTML or JSON
 * export gets a copy of each failing point's trace in `<stem>.traces/` beside
 * it and names it relative to the export's folder, so the folder can move (a
 * CI artifact, a merged report) and the links still open. `merge` reads a
 * shard's relative names against the shard file's folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { SweepDocument } from '../messages/sweep.js';
import { ensureDir, writeFileAtomic } from './outputs.js';

export interface TracesBeside {
  /** The document with every trace it could copy named relative to the export's folder; the others unlinked. */
  readonly doc: SweepDocument;
  /** The folder the traces went to (relative to the export's folder), when any did. */
  readonly folder: string | null;
  readonly copied: number;
  /** Traces named in the document that could not be read (a shard's, not carried along): their links are left out. */
  readonly missing: readonly string[];
}

/** `sweep.html` → `sweep.traces`: the folder for `file`'s traces, beside it. */
export function tracesFolderOf(file: string): string {
  const name = basename(file);
  return `${extname(name) ? name.slice(0, -extname(name).length) : name}.traces`;
}

const posix = (p: string): string => p.split(sep).join('/');

/**
 * Copies the traces `doc` names (points and runs) into `tracesFolderOf(file)`
 * and returns the document with those names relative to `file`'s folder.
 * Relative names in `doc` are read against the working directory.
 */
export function withTracesBeside(doc: SweepDocument, file: string): TracesBeside {
  const exportDir = dirname(resolve(file));
  const folder = tracesFolderOf(file);
  const target = join(exportDir, folder);
  const copies = new Map<string, string | null>();
  const usedNames = new Set<string>();
  const missing: string[] = [];
  const copy = (trace: string): string | null => {
    const from = resolve(trace);
    const known = copies.get(from);
    if (known !== undefined) return known;
    let rel: string | null = null;
    if (existsSync(from)) {
      if (dirname(from) === target) rel = posix(relative(exportDir, from));
      else {
        // Two shards may name the same file: a second one gets a numbered name.
        let name = basename(from);
        for (let i = 2; usedNames.has(name); i++) name = `${basename(from, '.trace.json')}-${i}.trace.json`;
        usedNames.add(name);
        ensureDir(target);
        writeFileAtomic(join(target, name), readFileSync(from, 'utf8'));
        rel = posix(relative(exportDir, join(target, name)));
      }
    } else missing.push(trace);
    copies.set(from, rel);
    return rel;
  };
  const relink = <T extends { readonly trace?: string }>(x: T): T => {
    if (x.trace === undefined) return x;
    const rel = copy(x.trace);
    const { trace: _old, ...rest } = x;
    return (rel === null ? rest : { ...rest, trace: rel }) as T;
  };
  const points = doc.points.map(relink);
  const runs = doc.runs.map(relink);
  const copied = [...copies.values()].filter((v) => v !== null).length;
  return { doc: { ...doc, points, runs }, folder: copied > 0 ? folder : null, copied, missing: [...new Set(missing)] };
}

/** A shard document read from `file`: its relative trace names made absolute against `file`'s folder (absolute ones as they are). */
export function tracesFrom(doc: SweepDocument, file: string): SweepDocument {
  // Not a sweep document: left for merge's own checks to name what is wrong.
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.points) || !Array.isArray(doc.runs)) return doc;
  const dir = dirname(resolve(file));
  const abs = <T extends { readonly trace?: string }>(x: T): T => (typeof x !== 'object' || x === null || typeof x.trace !== 'string' || isAbsolute(x.trace) ? x : { ...x, trace: resolve(dir, x.trace) });
  return { ...doc, points: doc.points.map(abs), runs: doc.runs.map(abs) };
}
