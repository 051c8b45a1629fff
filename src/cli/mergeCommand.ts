/** `rootrace merge <files…>`: combine sweep shards into the whole sweep's result. */
import { UsageError } from '../messages/errors.js';
import { sweepTable } from '../report/sweepTable.js';
import { mergeSweeps } from '../scenarios/sweep/merge.js';
import { readShard } from '../scenarios/sweep/readShard.js';
import { MERGE } from './commands.js';
import { parseCommand } from './spec.js';
import { tableWidth } from './tableWidth.js';
import { tracesFrom } from './traceCopies.js';
import { checkExports, writeExports } from './sweepExports.js';

export function mergeCommand(argv: readonly string[], out: (s: string) => void): number {
  const { values: v, positionals } = parseCommand(MERGE, argv);
  if (positionals.length === 0) throw new UsageError('merge expects sweep JSON files (from --export-json)');
  checkExports(v);
  // Every file is read and checked (syntax at its line, the fields merge uses) before any is merged.
  // A shard names its traces relative to itself (traceCopies.ts): read them from beside it.
  const docs = positionals.map((file) => ({ file, doc: tracesFrom(readShard(file).doc, file) }));
  const { doc, warnings } = mergeSweeps(docs, { partial: v.partial ?? false });
  for (const w of warnings) process.stderr.write(`rootrace: warning: ${w}\n`);
  out(v.json ? JSON.stringify(doc, null, 2) : sweepTable(doc, tableWidth(v.wide ?? false)));
  // Each export is tried whatever the others do; a failure is reported after them.
  const { failed, notes } = writeExports(doc, v);
  for (const line of notes) process.stderr.write(`rootrace: warning: ${line}\n`);
  for (const line of failed) process.stderr.write(`rootrace: ${line}\n`);
  if (failed.length > 0) return 2;
  return doc.points.some((p) => p.runsWithFinding > 0) ? 1 : 0;
}
