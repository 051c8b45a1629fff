/** The exports a sweep or a merge writes (`--export-csv/json/md/html`), shared by both commands. */
import type { SweepDocument } from '../messages/sweep.js';
import { sweepHtml } from '../report/sweepHtml.js';
import { sweepCsv, sweepMarkdown } from '../report/sweepTable.js';
import { checkOutputFile, writeFileAtomic } from './outputs.js';
import { withTracesBeside } from './traceCopies.js';

/** The export options (commands.ts defines them for the parser and help). */
type ExportFlag = 'export-csv' | 'export-json' | 'export-md' | 'export-html';

type ExportValues = { readonly [K in ExportFlag]?: string | undefined };

const RENDER: readonly [ExportFlag, string, (d: SweepDocument) => string][] = [
  ['export-json', 'json', (d) => `${JSON.stringify(d, null, 2)}\n`],
  ['export-csv', 'csv', sweepCsv],
  ['export-md', 'markdown', sweepMarkdown],
  ['export-html', 'html', sweepHtml],
];

/** Refuses, before any run, an export path that cannot be written (one line naming the option). */
export function checkExports(v: ExportValues): void {
  for (const [flag] of RENDER) {
    const file = v[flag];
    if (file !== undefined) checkOutputFile(`--${flag}`, file);
  }
}

export interface ExportsWritten {
  /** A `wrote …` line per file written. */
  readonly wrote: readonly string[];
  /** A `cannot write …` line per export that failed. */
  readonly failed: readonly string[];
  /** Traces a document names that could not be copied beside an export (a shard's left behind): linked nowhere. */
  readonly notes: readonly string[];
}

/**
 * Writes each export asked for, each atomically (outputs.ts). One that fails
 * (its folder removed since the check, a full disk) does not stop the others:
 * it is reported, and the command exits 2 after writing the rest.
 */
export function writeExports(doc: SweepDocument, v: ExportValues): ExportsWritten {
  const wrote: string[] = [];
  const failed: string[] = [];
  const notes: string[] = [];
  for (const [flag, what, render] of RENDER) {
    const file = v[flag];
    if (!file) continue;
    try {
      // The HTML links traces and merge reads the JSON's: both get copies beside them, named relatively (traceCopies.ts).
      const t = flag === 'export-html' || flag === 'export-json' ? withTracesBeside(doc, file) : null;
      writeFileAtomic(file, render(t?.doc ?? doc));
      const traces = t?.folder ? ` (${t.copied} trace${t.copied === 1 ? '' : 's'} in ${t.folder}/)` : '';
      if (t && t.missing.length > 0) notes.push(`${file}: ${t.missing.length} trace${t.missing.length === 1 ? '' : 's'} not found, not linked (copy each shard's .traces/ folder beside it): ${t.missing.join(', ')}`);
      wrote.push(`wrote ${what}: ${file}${traces}`);
    } catch (e) {
      failed.push(`cannot write '${file}' (--${flag}): ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  return { wrote, failed, notes };
}
