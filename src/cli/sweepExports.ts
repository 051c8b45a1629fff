/** The exports a sweep or a merge writes (`--export-csv/json/md/html`), shared by both commands. */
import { writeFileSync } from 'node:fs';
import { UsageError } from '../messages/errors.js';
import type { SweepDocument } from '../messages/sweep.js';
import { sweepHtml } from '../report/sweepHtml.js';
import { sweepCsv, sweepMarkdown } from '../report/sweepTable.js';

/** The export options (commands.ts defines them for the parser and help). */
type ExportFlag = 'export-csv' | 'export-json' | 'export-md' | 'export-html';

type ExportValues = { readonly [K in ExportFlag]?: string | undefined };

const RENDER: readonly [ExportFlag, string, (d: SweepDocument) => string][] = [
  ['export-json', 'json', (d) => `${JSON.stringify(d, null, 2)}\n`],
  ['export-csv', 'csv', sweepCsv],
  ['export-md', 'markdown', sweepMarkdown],
  ['export-html', 'html', sweepHtml],
];

/** Writes each export asked for; returns a `wrote …` line per file. A path that cannot be written is bad input. */
export function writeExports(doc: SweepDocument, v: ExportValues): string[] {
  const wrote: string[] = [];
  for (const [flag, what, render] of RENDER) {
    const file = v[flag];
    if (!file) continue;
    try {
      writeFileSync(file, render(doc));
    } catch (e) {
      throw new UsageError(`cannot write '${file}' (--${flag}): ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    wrote.push(`wrote ${what}: ${file}`);
  }
  return wrote;
}
