/**
 * A resolved scenario crosses to a host thread once, not with every actor it
 * starts (#14: the structured clone of the scenario was a fifth of an actor's
 * start). The coordinator keys each ScenarioRun it runs; a host thread keeps
 * the last SCENARIOS_KEPT it was sent, and the coordinator's record of what a
 * thread holds evicts in the same order, since both insert only on a start
 * message that carries a scenario and a thread serves its starts in order.
 */
import type { ScenarioRun } from '../../messages/scenario.js';

export const SCENARIOS_KEPT = 8;

/** Inserts `key` (oldest out past SCENARIOS_KEPT); false when it was there already. */
export function keepScenario<V>(kept: Map<number, V>, key: number, value: V): boolean {
  if (kept.has(key)) return false;
  kept.set(key, value);
  if (kept.size > SCENARIOS_KEPT) kept.delete(kept.keys().next().value!);
  return true;
}

const keys = new WeakMap<ScenarioRun, number>();
let nextKey = 0;

/** The coordinator's key for a scenario object (one per object: a sweep's points are distinct objects). */
export function scenarioKey(s: ScenarioRun): number {
  let k = keys.get(s);
  if (k === undefined) keys.set(s, (k = ++nextKey));
  return k;
}
