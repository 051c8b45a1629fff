/**
 * Schedule shrinking: from a schedule that reproduces a finding, replay smaller
 * candidates (shrinkMoves.ts: cut at a preemption, drop the runs preemptions
 * started, let the preempted actor go first, drop or cut at any switch) and
 * keep one when the same finding — kind and exact message, store hashes
 * included — still occurs with fewer preemptions, else as many and fewer
 * process switches, else fewer context switches. Greedy to a fixpoint, then a
 * bounded DFS with 0, 1, … preemptions for the same finding (iterative
 * preemption bounding), all within the replay and time budget.
 */
import { hashEvents } from './eventHash.js';
import type { Schedule } from './scheduleFile.js';
import { SimRuntime, type SimRunResult } from './simRuntime.js';
import { PASSES } from './shrinkMoves.js';
import { DfsExplorer, type DfsRun } from './strategies/dfs.js';
import { ReplayStrategy } from './strategies/replay.js';
import type { Decision } from './task.js';

export interface ShrinkOptions {
  readonly schedule: Schedule;
  readonly maxReplays?: number;
  readonly timeLimitMs?: number;
  readonly maxSteps?: number;
  /** Wall clock (ms) for the time limit; the runs never see it. */
  readonly clock?: () => number;
  /** Ends the search between replays (an interrupt), as the budget would: the report holds the smallest schedule so far. */
  readonly signal?: AbortSignal;
}

export interface ScheduleMetrics {
  readonly preemptions: number;
  readonly processSwitches: number;
  readonly contextSwitches: number;
  readonly decisions: number;
}

export interface ShrinkReport {
  /** Whether the input schedule reproduced its finding at all (if not, nothing was shrunk). */
  readonly reproduced: boolean;
  readonly before: ScheduleMetrics;
  readonly after: ScheduleMetrics;
  /** The minimal schedule found (the input when not reproduced). */
  readonly schedule: Schedule;
  readonly replays: number;
  readonly elapsedMs: number;
  /** Stopped by the budget rather than at a fixpoint. */
  readonly budgetExhausted: boolean;
}

const metrics = (r: SimRunResult): ScheduleMetrics => ({ preemptions: r.sim.preemptions, processSwitches: r.sim.processSwitches, contextSwitches: r.sim.contextSwitches, decisions: r.sim.decisions });

/** Fewer preemptions, then fewer switches between processes, then fewer switches between actors. */
function better(a: ScheduleMetrics, b: ScheduleMetrics): boolean {
  if (a.preemptions !== b.preemptions) return a.preemptions < b.preemptions;
  if (a.processSwitches !== b.processSwitches) return a.processSwitches < b.processSwitches;
  return a.contextSwitches < b.contextSwitches;
}

export async function shrink(o: ShrinkOptions): Promise<ShrinkReport> {
  const clock = o.clock ?? (() => performance.now());
  const start = clock();
  const maxReplays = o.maxReplays ?? 5_000;
  const timeLimitMs = o.timeLimitMs ?? 60_000;
  const rt = new SimRuntime({ hash: false, ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}) });
  const { schedule } = o;
  const want = schedule.finding;
  let replays = 0;
  const attempt = async (decisions: readonly Decision[]): Promise<SimRunResult | null> => {
    replays++;
    const r = await rt.run(schedule.scenario, schedule.profile, schedule.seed, new ReplayStrategy(decisions));
    return want && r.findings.some((f) => f.kind === want.kind && f.message === want.message) ? r : null;
  };

  const first = await attempt(schedule.decisions);
  const before: ScheduleMetrics = { preemptions: schedule.preemptions, processSwitches: schedule.processSwitches, contextSwitches: schedule.contextSwitches, decisions: schedule.decisions.length };
  if (!first) return { reproduced: false, before, after: before, schedule, replays, elapsedMs: clock() - start, budgetExhausted: false };

  const budgetLeft = (): boolean => replays < maxReplays && clock() - start < timeLimitMs && !o.signal?.aborted;
  /**
   * Greedy passes: take any candidate that is better and stay at the same place
   * in the pass (the next candidate there is derived from the new best); repeat
   * the passes until a whole round improves nothing, or the budget ends.
   */
  const greedy = async (from: SimRunResult): Promise<SimRunResult> => {
    let best = from;
    for (let improved = true; improved && budgetLeft(); ) {
      improved = false;
      for (const pass of PASSES) {
        for (let i = 0; budgetLeft(); ) {
          const c = pass(best.sim.schedule, best.sim.preemptedAt, i);
          if (c === null) break;
          const r = await attempt(c);
          if (r && better(metrics(r), metrics(best))) {
            best = r;
            improved = true;
          } else i++;
        }
      }
    }
    return best;
  };
  let best = await greedy(first);
  // Then iterative preemption bounding: the fewest preemptions any schedule needs for this finding.
  for (let b = 0; b < best.sim.preemptions && budgetLeft(); b++) {
    const found = await boundedSearch(b, (strategy) => rt.run(schedule.scenario, schedule.profile, schedule.seed, strategy), () => {
      replays++;
      return budgetLeft();
    }, (r) => !!want && r.findings.some((f) => f.kind === want.kind && f.message === want.message));
    if (found) {
      best = await greedy(found);
      break;
    }
  }
  const budgetExhausted = !budgetLeft();
  // The kept schedule is what the best run actually did, so it replays exactly.
  const exact = await new SimRuntime({ record: true, hash: false, ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}) }).run(schedule.scenario, schedule.profile, schedule.seed, new ReplayStrategy(best.sim.schedule));
  const after = metrics(exact);
  return {
    reproduced: true,
    before: metrics(first),
    after,
    schedule: { ...schedule, strategy: 'shrink', eventHash: hashEvents(exact.recorded ?? []), preemptions: after.preemptions, contextSwitches: after.contextSwitches, processSwitches: after.processSwitches, decisions: exact.sim.schedule },
    replays,
    elapsedMs: clock() - start,
    budgetExhausted,
  };
}

/** Bounded DFS for a run satisfying `ok`; null when the tree (or the budget) ends first. */
async function boundedSearch(bound: number, run: (s: DfsRun) => Promise<SimRunResult>, spend: () => boolean, ok: (r: SimRunResult) => boolean): Promise<SimRunResult | null> {
  const dfs = new DfsExplorer(bound);
  for (let next = dfs.nextRun(); next && spend(); next = dfs.nextRun()) {
    const r = await run(next);
    if (ok(r)) return r;
    dfs.endRun(next);
  }
  return null;
}
