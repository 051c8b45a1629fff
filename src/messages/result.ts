/** A run's outcome is a value (DESIGN.md §6). */
import type { FindingKind, InspectEvent } from './inspect.js';

/** One event in a finding's causal chain: a chain lists them in seq order and ends with the failure; nothing after it. */
export interface CausalStep {
  /** The event's global sequence number in the run's stream. */
  readonly seq: number;
  /** Microseconds from run start to the event. */
  readonly t: number;
  readonly pid: number;
  readonly actor: string;
  /** What happened, in plain words. */
  readonly what: string;
  /** Set on the one step that decided the outcome: a check that trusted an unrooted path, else the end of its last root, else its deletion. */
  readonly decisive?: true;
  /**
   * The behaviour switch whose value on this profile made the step go as it
   * did (a check that trusted an unrooted path because of it): with another
   * value of that switch the step does not happen this way. Absent when no
   * switch decides the step.
   */
  readonly switch?: { readonly name: string; readonly value: string | number | boolean };
}

export interface IterationCount {
  readonly total: number;
  readonly failed: number;
}

export interface Finding {
  readonly kind: FindingKind;
  /** Microseconds from run start to the finding. */
  readonly t: number;
  /** Nix's exact text for client-visible failures; a description for invariant violations. */
  readonly message: string;
  readonly path: string;
  readonly pid: number;
  readonly actor: string;
  readonly chain: readonly CausalStep[];
}

export interface RunResult {
  readonly scenario: string;
  readonly profile: string;
  readonly seed: number;
  readonly findings: readonly Finding[];
  readonly processes: number;
  /** Distinct worker threads that hosted actors in this run, and the most alive at once. */
  readonly threads: { readonly distinct: number; readonly maxConcurrent: number };
  readonly storeOps: number;
  /** Loop iterations (`inspect.loop.iteration`) run and failed, by looping process; absent without loops. */
  readonly iterations?: Readonly<Record<string, IterationCount>>;
  readonly wallMs: number;
  /** Model time the run took (ms): virtual time in sim; in threads, wall time over the time scale, when one is set. */
  readonly modelMs?: number;
  readonly events: number;
  /** The store when the run ended: base names of valid paths and of entries on disk. */
  readonly finalStore: { readonly valid: readonly string[]; readonly onDisk: readonly string[] };
  /** The whole inspection stream in global order, when the run was asked to record it. */
  readonly recorded?: readonly InspectEvent[];
}
