/** `rootrace merge <files…>`: combine sweep shards into the whole sweep's result. */
import { readFileSync } from 'node:fs';
import { UsageError } from '../messages/errors.js';
import type { SweepDocument } from '../messages/sweep.js';
import { sweepTable } from '../report/sweepTable.js';
import { mergeSweeps } from '../scenarios/sweep/merge.js';
import { MERGE } from './commands.js';
import { parseCommand } from './spec.js';
import { writeExports } from './sweepExports.js';

export function mergeCommand(argv: readonly string[], out: (s: string) => void): number {
  const { values: v, positionals } = parseCommand(MERGE, argv);
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
  writeExports(doc, v);
  return doc.points.some((p) => p.runsWithFinding > 0) ? 1 : 0;
}
