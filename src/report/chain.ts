/**
 * A finding's causal chain for people and for JSON: each step with its time
 * since the run started, the decisive one flagged.
 */
import type { CausalStep } from '../messages/result.js';
import { ms } from './processes.js';

/** `  - [ 263.071 ms] …`, and `decisive: ` before the step that decided it. */
export function chainLines(chain: readonly CausalStep[], indent = '  '): string[] {
  return chain.map((c) => `${indent}- [${ms(c.t).padStart(11)}] ${c.decisive ? 'decisive: ' : ''}${c.what}`);
}

/** The chain in `--json` output: every field of each step, `decisive: true` on at most one, the switch behind a step where one is. */
export function chainJson(chain: readonly CausalStep[]): readonly CausalStep[] {
  return chain.map((c) => ({ seq: c.seq, t: c.t, pid: c.pid, actor: c.actor, what: c.what, ...(c.decisive ? { decisive: true as const } : {}), ...(c.switch ? { switch: c.switch } : {}) }));
}
