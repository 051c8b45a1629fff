/**
 * The last check before a run: the store a scenario needs (actors/storeNeeds.ts)
 * must fit LIMITS.storeBuffer, and processes may not spawn each other in a
 * cycle (they would start forever). Shared by scenario files (expand.ts) and
 * the resolved scenario of a schedule file (scheduleCheck.ts), each mapping the
 * process named here to the field of its own document.
 */
import { storeNeeds } from '../../actors/storeNeeds.js';
import type { ScenarioRun } from '../../messages/scenario.js';
import { layoutSize, type Capacities } from '../../store/index.js';
import { LIMITS } from './limits.js';

/** Where a problem is: a process (by index in `run.processes`) and the field under it, or the derivations as a whole. */
export interface RunProblem {
  readonly process: number | null;
  readonly sub: readonly (string | number)[];
  readonly what: string;
}

const WHAT: Record<keyof Capacities, string> = {
  maxPaths: 'store paths',
  maxEdges: 'reference edges',
  maxNameBytes: 'bytes of path names',
  maxFiles: 'temp-roots and lock files',
  maxTempEntries: 'temp-root entries',
  maxOfds: 'open file descriptions',
  maxRoots: 'permanent roots',
};

const mib = (bytes: number): string => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MiB` : 'more than the layout can index');

/** A `spawn`/`evalJobs` cycle: the step that closes it. */
function spawnCycle(run: ScenarioRun): RunProblem | null {
  const index = new Map(run.processes.map((p, i) => [p.name, i]));
  const started = (i: number): { target: string; step: number; field: string }[] =>
    run.processes[i]!.steps.flatMap((st, k) =>
      st.op === 'spawn' ? [{ target: st.process, step: k, field: 'spawn' }] : st.op === 'evalJobs' ? [{ target: st.worker, step: k, field: 'evalJobs' }, ...(st.build ? [{ target: st.build, step: k, field: 'evalJobs' }] : [])] : [],
    );
  const state = new Map<number, 'open' | 'done'>();
  const stack: number[] = [];
  const visit = (i: number): RunProblem | null => {
    state.set(i, 'open');
    stack.push(i);
    for (const s of started(i)) {
      const j = index.get(s.target);
      if (j === undefined) continue;
      if (state.get(j) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(j)), j].map((x) => run.processes[x]!.name).join(' -> ');
        return { process: i, sub: ['steps', s.step, s.field], what: `spawn cycle ${cycle}: these processes would start each other forever` };
      }
      if (!state.has(j)) {
        const p = visit(j);
        if (p) return p;
      }
    }
    stack.pop();
    state.set(i, 'done');
    return null;
  };
  for (const i of run.processes.keys()) {
    if (state.has(i)) continue;
    const p = visit(i);
    if (p) return p;
  }
  return null;
}

/** Why `run` cannot run within the limits, or null. */
export function runProblem(run: ScenarioRun): RunProblem | null {
  const cycle = spawnCycle(run);
  if (cycle) return cycle;
  const n = storeNeeds(run);
  const max = LIMITS.storeBuffer.value;
  if (n.bytes <= max) return null;
  // The capacity whose share of the layout is largest is the one to name (past 31 bits: the largest).
  const keys = Object.keys(n.caps) as (keyof Capacities)[];
  const share = (k: keyof Capacities): number => (Number.isFinite(n.bytes) ? n.bytes - layoutSize({ ...n.caps, [k]: 1 }) : n.caps[k]);
  const top = keys.reduce((a, b) => (share(b) > share(a) ? b : a));
  const tail = `at most ${mib(max)} (${LIMITS.storeBuffer.why})`;
  const goals = top === 'maxTempEntries' && n.goals !== null && n.goals.count > n.caps.maxTempEntries / 4 ? n.goals : null;
  if (goals) {
    const i = run.processes.findIndex((p) => p.name === goals.process);
    const what = `the store this scenario needs is ${mib(n.bytes)}, mostly temp roots of build goals: this realise unfolds into ${goals.count} of them over its passes (one per dependency path; the model does not share goals between paths); ${tail}`;
    return { process: i, sub: ['steps', goals.step, 'realise'], what };
  }
  const head = `the store this scenario needs is ${mib(n.bytes)}, mostly ${n.caps[top]} ${WHAT[top]}`;
  const heavy = n.heaviest[top];
  const i = heavy === undefined ? -1 : run.processes.findIndex((p) => p.name === heavy);
  if (i < 0) return { process: null, sub: [], what: `${head} for the derivations and the initial store; ${tail}` };
  const loop = run.processes[i]!.loop;
  return { process: i, sub: loop ? ['loop', 'times'] : [], what: `${head}, most of them for process '${heavy}'${loop ? ` and its ${loop.times} iterations` : ''}; ${tail}` };
}
