/**
 * `rootrace shrink <schedule.json>`: the smallest schedule (fewest preemptions,
 * then fewest context switches) that still gives the file's finding, with the
 * same kind and exact message. Writes `<file>.min.json` (or `--out FILE`) and
 * prints the before/after counts and the replay command.
 */
import { UsageError } from '../messages/errors.js';
import { shrink } from '../runtime/index.js';
import { int } from './args.js';
import { SHRINK } from './commands.js';
import { parseCommand } from './spec.js';
import { SCHEMA_VERSION, checkScheduleOutput, replayCommandFor, writeSchedule, type CommandIo } from './exploreCommand.js';
import { readScheduleFile } from './replayCommand.js';

export interface ShrinkArgs {
  readonly file: string;
  readonly out: string | null;
  readonly json: boolean;
  readonly maxReplays: number;
  readonly timeLimitS: number;
}

export function parseShrinkArgs(argv: readonly string[]): ShrinkArgs {
  const { values: v, positionals } = parseCommand(SHRINK, argv);
  if (positionals.length !== 1) throw new UsageError(`shrink expects one schedule file, got ${positionals.length}`);
  return {
    file: positionals[0]!,
    out: v.out ?? null,
    json: v.json ?? false,
    maxReplays: int('max-replays', v['max-replays'], 5_000, 1, 10_000_000),
    timeLimitS: int('time-limit', v['time-limit'], 60, 1, 7 * 24 * 3600),
  };
}

/** `signal`: an interrupt (interrupt.ts) ends the search as the budget would; the smallest schedule so far is written. */
export async function shrinkCommand(a: ShrinkArgs, io: CommandIo, signal?: AbortSignal): Promise<number> {
  const s = readScheduleFile(a.file);
  if (s.finding === null) throw new UsageError(`${a.file}: the schedule records no finding, so there is nothing to keep while shrinking`);
  const out = a.out ?? a.file.replace(/(\.min)?\.json$/i, '') + '.min.json';
  checkScheduleOutput(a.out === null ? 'the minimal schedule (--out FILE for another)' : '--out', out, 'file');
  const r = await shrink({ schedule: s, maxReplays: a.maxReplays, timeLimitMs: a.timeLimitS * 1000, ...(signal ? { signal } : {}) });
  if (r.reproduced) writeSchedule(out, r.schedule);
  if (a.json) {
    io.out(JSON.stringify({
      schemaVersion: SCHEMA_VERSION,
      command: 'shrink',
      file: a.file,
      reproduced: r.reproduced,
      finding: s.finding,
      before: r.before,
      after: r.after,
      replays: r.replays,
      elapsedMs: Math.round(r.elapsedMs),
      budgetExhausted: r.budgetExhausted,
      ...(r.reproduced ? { shrunk: out, eventHash: r.schedule.eventHash, replay: replayCommandFor(out) } : {}),
    }, null, 2));
  } else if (!r.reproduced) {
    io.out(`shrink ${a.file}: the schedule no longer gives its finding (${s.finding.kind}: ${s.finding.message}); nothing written`);
  } else {
    io.out([
      `shrink ${a.file}: ${s.finding.kind}: error: ${s.finding.message}`,
      `  preemptions:      ${r.before.preemptions} → ${r.after.preemptions}`,
      `  process switches: ${r.before.processSwitches} → ${r.after.processSwitches}`,
      `  context switches: ${r.before.contextSwitches} → ${r.after.contextSwitches}  (between actors, including a client's hand-offs to its daemon worker)`,
      `  ${r.replays} replays in ${(r.elapsedMs / 1000).toFixed(2)} s${r.budgetExhausted ? ' (budget exhausted; it may shrink further)' : ''}`,
      `  minimal schedule: ${out}`,
      `  replay: ${replayCommandFor(out)}`,
    ].join('\n'));
  }
  return r.reproduced ? 1 : 0;
}
