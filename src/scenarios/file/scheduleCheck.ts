/**
 * A schedule file checked like a scenario file before `replay` or `shrink`
 * runs it: JSON syntax at its line, the schema (runSchema.ts), then what
 * expand.ts guarantees of a resolved scenario — every name a step, input,
 * root, hook or crash point uses is defined, no dependency cycle or spawn
 * cycle, and a store within the limits. An edited or truncated file is one
 * UsageError naming the file, the line and the field.
 */
import { crashActorProblem } from '../../actors/crashes.js';
import { isIterationOf } from '../../actors/derivations.js';
import type { DerivationSpec, ScenarioRun } from '../../messages/scenario.js';
import { checkDependencies, type Input } from './inputs.js';
import { readDocument, validateAgainst } from './load.js';
import { unknownName } from './refs.js';
import type { Instance } from './repeat.js';
import { SCHEDULE_SCHEMA } from './runSchema.js';
import { runProblem } from './storeLimit.js';
import type { JsonPath, Locator } from './where.js';

/** Throws the first defect of the schedule file `file` whose text is `text`. */
export function checkScheduleFile(file: string, text: string): void {
  const { data, at } = readDocument(file, text, 'json');
  validateAgainst(SCHEDULE_SCHEMA, data, at);
  checkRun(at, (data as { scenario: ScenarioRun }).scenario);
}

const S = 'scenario';

function unique(at: Locator, names: readonly string[], list: string, what: string): void {
  const seen = new Map<string, number>();
  for (const [k, n] of names.entries()) {
    const first = seen.get(n);
    if (first !== undefined) throw at.error([S, list, k, 'name'], `duplicate ${what} name '${n}' (first at ${S}.${list}[${first}])`);
    seen.set(n, k);
  }
}

function checkRun(at: Locator, run: ScenarioRun): void {
  unique(at, run.derivations.map((d) => d.name), 'derivations', 'derivation');
  unique(at, run.sources.map((s) => s.name), 'sources', 'source');
  unique(at, run.processes.map((p) => p.name), 'processes', 'process');
  const drvs = new Map(run.derivations.map((d) => [d.name, d]));
  const templates = run.derivations.filter((d) => d.name.includes('{n}'));
  const srcs = new Set(run.sources.map((s) => s.name));
  const procs = new Map(run.processes.map((p) => [p.name, p]));
  const known = new Map<string, boolean>();
  /** A name resolve() can make: defined, an iteration of a template, or `job-{n}` over defined `job-<number>`s. */
  const isDrv = (name: string): boolean => {
    let hit = known.get(name);
    if (hit === undefined) {
      hit = drvs.has(name) || templates.some((t) => isIterationOf(t.name, name)) || (name.includes('{n}') && run.derivations.some((d) => isIterationOf(name, d.name)));
      known.set(name, hit);
    }
    return hit;
  };
  const drvRef = (path: JsonPath, name: string): void => {
    if (!isDrv(name)) throw at.error(path, unknownName('derivation', name, drvs.keys()));
  };
  const srcRef = (path: JsonPath, name: string): void => {
    if (!srcs.has(name)) throw at.error(path, unknownName('source', name, srcs));
  };
  const procRef = (path: JsonPath, name: string, spawned = false): void => {
    const p = procs.get(name);
    if (!p) throw at.error(path, unknownName('process', name, procs.keys()));
    if (spawned && !p.spawned) throw at.error(path, `process '${name}' is not spawned: give it spawned: true to start it from a step`);
  };

  const inputsOf = new Map<string, Input[]>();
  for (const [k, d] of run.derivations.entries()) {
    for (const [j, i] of d.inputDrvs.entries()) drvRef([S, 'derivations', k, 'inputDrvs', j], i);
    for (const [j, i] of d.inputSrcs.entries()) srcRef([S, 'derivations', k, 'inputSrcs', j], i);
    inputsOf.set(d.name, d.inputDrvs.flatMap((name, index) => (drvs.has(name) ? [{ name, index }] : [])));
  }
  const inst = (d: DerivationSpec, k: number): Instance<{ name: string }> => ({ value: { name: d.name }, path: [S, 'derivations', k], i: null });
  checkDependencies(at, run.derivations.map(inst), (name) => inputsOf.get(name) ?? []);

  for (const [k, p] of run.processes.entries()) {
    for (const [j, st] of p.steps.entries()) {
      const at2 = (field: string): JsonPath => [S, 'processes', k, 'steps', j, field];
      if ('drv' in st) drvRef(at2('drv'), st.drv);
      switch (st.op) {
        case 'fetchToStore':
          srcRef(at2('src'), st.src);
          break;
        case 'awaitExit':
          procRef(at2('process'), st.process);
          break;
        case 'spawn':
          procRef(at2('process'), st.process, true);
          break;
        case 'evalJobs':
          procRef(at2('worker'), st.worker, true);
          if (st.build !== undefined) procRef(at2('build'), st.build, true);
          break;
        case 'rewriteAggregate':
          drvRef(at2('from'), st.from);
          break;
        default:
          break;
      }
    }
  }
  for (const [k, d] of run.initial.drvs.entries()) if (!drvs.has(d.drv)) throw at.error([S, 'initial', 'drvs', k, 'drv'], unknownName('derivation', d.drv, drvs.keys()));
  for (const [k, name] of run.initial.srcs.entries()) srcRef([S, 'initial', 'srcs', k], name);
  for (const [k, r] of run.initial.roots.entries()) if (!drvs.has(r.drv)) throw at.error([S, 'initial', 'roots', k, 'drv'], unknownName('derivation', r.drv, drvs.keys()));
  for (const [k, h] of (run.hooks ?? []).entries()) procRef([S, 'hooks', k, 'process'], h.process);
  for (const [k, c] of (run.crash ?? []).entries()) {
    const problem = crashActorProblem(c.process, run.processes);
    if (problem) throw at.error([S, 'crash', k, 'process'], problem);
  }

  const problem = runProblem(run);
  if (problem) throw at.error(problem.process === null ? [S, 'derivations'] : [S, 'processes', problem.process, ...problem.sub], problem.what);
}
