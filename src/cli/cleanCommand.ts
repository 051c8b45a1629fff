/**
 * `rootrace clean [--keep N] [--schedules] [--dry-run]`: removes the run
 * folders saved under .rootrace/ (or $ROOTRACE_DIR), oldest first, keeping the
 * N newest, and says what it removed. Only folders rootrace names are touched
 * (savedRuns.ts); anything else there is named and left.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../messages/errors.js';
import { int } from './args.js';
import { CLEAN } from './commands.js';
import { SCHEDULES, folderSize, foreignEntries, formatBytes, listSaved, removeFolder, savedRoot, type SavedFolder } from './savedRuns.js';
import { parseCommand } from './spec.js';

export interface CleanArgs {
  readonly keep: number;
  readonly schedules: boolean;
  readonly dryRun: boolean;
}

export function parseCleanArgs(argv: readonly string[]): CleanArgs {
  const { values: v, positionals } = parseCommand(CLEAN, argv);
  if (positionals.length > 0) throw new UsageError(`clean takes no arguments (it cleans ${savedRoot()}; set ROOTRACE_DIR for another folder), got '${positionals[0]!}'`);
  return { keep: int('keep', v.keep, 0, 0, 1_000_000), schedules: v.schedules ?? false, dryRun: v['dry-run'] ?? false };
}

/** `write` receives stdout text verbatim. Exit 0. */
export function cleanCommand(a: CleanArgs, write: (s: string) => void): number {
  const root = savedRoot();
  if (!existsSync(root)) {
    write(`nothing to clean: ${root} does not exist\n`);
    return 0;
  }
  const saved = listSaved(root);
  const doomed: SavedFolder[] = saved.slice(0, Math.max(0, saved.length - a.keep));
  const schedules = join(root, SCHEDULES);
  if (a.schedules && existsSync(schedules)) doomed.push({ name: SCHEDULES, path: schedules, ...folderSize(schedules) });
  const verb = a.dryRun ? 'would remove' : 'removed';
  const lines: string[] = [];
  for (const f of doomed) {
    if (!a.dryRun) removeFolder(f.path);
    lines.push(`${verb} ${f.path} (${f.files} file${f.files === 1 ? '' : 's'}, ${formatBytes(f.bytes)})`);
  }
  const bytes = doomed.reduce((s, f) => s + f.bytes, 0);
  const kept = saved.length - Math.min(saved.length, doomed.filter((f) => f.name !== SCHEDULES).length);
  lines.push(
    doomed.length === 0
      ? `nothing to clean in ${root}: ${saved.length} run folder${saved.length === 1 ? '' : 's'}, kept (--keep ${a.keep})`
      : `${verb} ${doomed.length} folder${doomed.length === 1 ? '' : 's'} (${formatBytes(bytes)}) from ${root}; ${kept} run folder${kept === 1 ? '' : 's'} kept`,
  );
  const foreign = foreignEntries(root);
  if (foreign.length > 0) lines.push(`left alone (not written by rootrace): ${foreign.join(', ')}`);
  write(`${lines.join('\n')}\n`);
  return 0;
}

