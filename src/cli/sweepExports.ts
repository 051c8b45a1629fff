/** The exports a sweep or a merge writes (`--export-csv/json/md/html`), shared by both commands. */
import { writeFileSync } from 'node:fs';
import { UsageError } from '../messages/errors.js';
import type { SweepDocument } from '../messages/sweep.js';
import { sweepHtml } from '../report/sweepHtml.js';
import { sweepCsv, sweepMarkdown } from '../report/sweepTable.js';

export const EXPORT_OPTIONS = {
  'export-csv': { type: 'string' },
  'export-json': { type: 'string' },
  'export-md': { type: 'string' },
  'export-html': { type: 'string' },
} as const;

type ExportValues = Partial<Record<keyof typeof EXPORT_OPTIONS, string>>;

const RENDER: readonly [keyof typeof EXPORT_OPTIONS, string, (d: SweepDocument) => string][] = [
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
