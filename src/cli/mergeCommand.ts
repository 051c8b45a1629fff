/** `rootrace merge <files…>`: combine sweep shards into the whole sweep's result. */
import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../messages/errors.js';
import type { SweepDocument } from '../messages/sweep.js';
import { sweepCsv, sweepMarkdown, sweepTable } from '../report/sweepTable.js';
import { sweepHtml } from '../report/sweepHtml.js';
import { mergeSweeps } from '../scenarios/sweep/merge.js';
import { parseStrict } from './args.js';

export function mergeCommand(argv: readonly string[], out: (s: string) => void): number {
  const parsed = parseStrict(argv, {
    json: { type: 'boolean' },
    'export-csv': { type: 'string' },
    'export-json': { type: 'string' },
    'export-md': { type: 'string' },
    'export-html': { type: 'string' },
  });
  const { values: v, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('merge expects sweep JSON files (from --export-json)');
  const docs = positionals.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new UsageError(`${file}: cannot read the file`);
    }
    try {
      return { file, doc: JSON.parse(text) as SweepDocument };
    } catch (e) {
      throw new UsageError(`${file}: not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  });
  const doc = mergeSweeps(docs);
  out(v.json ? JSON.stringify(doc, null, 2) : sweepTable(doc));
  if (v['export-json']) writeFileSync(v['export-json'], `${JSON.stringify(doc, null, 2)}\n`);
  if (v['export-csv']) writeFileSync(v['export-csv'], sweepCsv(doc));
  if (v['export-md']) writeFileSync(v['export-md'], sweepMarkdown(doc));
  if (v['export-html']) writeFileSync(v['export-html'], sweepHtml(doc));
  return doc.points.some((p) => p.runsWithFinding > 0) ? 1 : 0;
}
