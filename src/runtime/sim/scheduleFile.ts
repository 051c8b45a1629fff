/**
 * The schedule file: everything needed to replay one sim run exactly — the
 * resolved scenario, the profile's switches, the seed and every decision as
 * (actor, label, seq) — plus the finding it reproduces and the event hash it
 * produced. Self-contained, so it replays without the catalogue it came from.
 */
import type { FindingKind } from '../../messages/inspect.js';
import { UsageError } from '../../messages/errors.js';
import { SWITCH_DOCS, type Profile, type SwitchName } from '../../messages/profile.js';
import type { ScenarioRun } from '../../messages/scenario.js';
import type { Decision } from './task.js';

export const SCHEDULE_SCHEMA_VERSION = 1;
export const SCHEDULE_KIND = 'rootrace.schedule';

/** The finding a schedule reproduces: kind and Nix's exact text (store hashes included). */
export interface FindingSignature {
  readonly kind: FindingKind;
  readonly message: string;
}

export interface Schedule {
  readonly scenario: ScenarioRun;
  readonly profile: Profile;
  readonly seed: number;
  /** The strategy that produced it (`pct`, `dfs`, `random`, `shrink`, …). */
  readonly strategy: string;
  readonly finding: FindingSignature | null;
  readonly eventHash: string;
  readonly preemptions: number;
  readonly contextSwitches: number;
  readonly processSwitches: number;
  readonly decisions: readonly Decision[];
}

/** The JSON document, with decisions as compact [actor, label, seq] triples ([actor, label, seq, signal] for a crash, explore --faults). */
export function scheduleToJson(s: Schedule): string {
  const head = {
    schemaVersion: SCHEDULE_SCHEMA_VERSION,
    kind: SCHEDULE_KIND,
    seed: s.seed,
    strategy: s.strategy,
    finding: s.finding,
    eventHash: s.eventHash,
    preemptions: s.preemptions,
    contextSwitches: s.contextSwitches,
    processSwitches: s.processSwitches,
    profile: s.profile,
    scenario: s.scenario,
  };
  const lines = s.decisions.map((d) => `    ${JSON.stringify(d.fault ? [d.actor, d.label, d.seq, d.fault] : [d.actor, d.label, d.seq])}`);
  const body = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${body},\n  "decisions": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

type Json = Record<string, unknown>;

function bad(where: string, what: string): UsageError {
  return new UsageError(`${where}: not a rootrace schedule file: ${what}`);
}

function field<T>(o: Json, key: string, where: string, ok: (v: unknown) => v is T, expected: string): T {
  const v = o[key];
  if (!ok(v)) throw bad(where, `'${key}' must be ${expected}`);
  return v;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

/** Parses and checks a schedule file's text; every defect is one UsageError naming `where`. */
export function parseSchedule(text: string, where: string): Schedule {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw bad(where, `invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(doc)) throw bad(where, 'the document must be a JSON object');
  if (doc['kind'] !== SCHEDULE_KIND) throw bad(where, `'kind' must be '${SCHEDULE_KIND}'`);
  if (doc['schemaVersion'] !== SCHEDULE_SCHEMA_VERSION) throw bad(where, `unsupported schemaVersion ${JSON.stringify(doc['schemaVersion'])} (this rootrace reads ${SCHEDULE_SCHEMA_VERSION})`);
  const raw = field(doc, 'decisions', where, isArray, 'an array');
  const decisions = raw.map((d, i): Decision => {
    const ok = isArray(d) && (d.length === 3 || (d.length === 4 && (d[3] === 'kill' || d[3] === 'term'))) && isString(d[0]) && isString(d[1]) && isUint(d[2]);
    if (!ok) throw bad(where, `decisions[${i}] must be [actor, label, seq] or [actor, label, seq, "kill"|"term"]`);
    const [actor, label, seq, fault] = d as [string, string, number, ('kill' | 'term')?];
    return fault ? { actor, label, seq, fault } : { actor, label, seq };
  });
  const f = doc['finding'];
  if (f !== null && !(isObject(f) && isString(f['kind']) && isString(f['message']))) throw bad(where, "'finding' must be null or { kind, message }");
  return {
    scenario: checkScenario(field(doc, 'scenario', where, isObject, 'an object'), where),
    profile: checkProfile(field(doc, 'profile', where, isObject, 'an object'), where),
    seed: field(doc, 'seed', where, isUint, 'a non-negative integer'),
    strategy: field(doc, 'strategy', where, isString, 'a string'),
    finding: f === null ? null : { kind: f['kind'] as FindingKind, message: f['message'] as string },
    eventHash: field(doc, 'eventHash', where, isString, 'a string'),
    preemptions: field(doc, 'preemptions', where, isUint, 'a non-negative integer'),
    contextSwitches: field(doc, 'contextSwitches', where, isUint, 'a non-negative integer'),
    processSwitches: field(doc, 'processSwitches', where, isUint, 'a non-negative integer'),
    decisions,
  };
}

function checkScenario(s: Json, where: string): ScenarioRun {
  const at = (k: string): string => `scenario.${k}`;
  field(s, 'name', where, isString, 'a string');
  for (const k of ['derivations', 'sources', 'processes']) field(s, k, where, isArray, `an array (${at(k)})`);
  for (const k of ['initial', 'settings']) field(s, k, where, isObject, `an object (${at(k)})`);
  for (const [i, p] of (s['processes'] as unknown[]).entries()) {
    if (!isObject(p) || !isString(p['name']) || !isArray(p['steps']) || (p['kind'] !== 'evaluator' && p['kind'] !== 'nix-collect-garbage')) {
      throw bad(where, `scenario.processes[${i}] must be { name, kind: evaluator|nix-collect-garbage, steps: [...] }`);
    }
  }
  return s as unknown as ScenarioRun;
}

function checkProfile(p: Json, where: string): Profile {
  field(p, 'name', where, isString, 'a string (profile.name)');
  const sw = field(p, 'switches', where, isObject, 'an object (profile.switches)');
  for (const [name, doc] of Object.entries(SWITCH_DOCS)) {
    const v = sw[name];
    const ok = doc.values === 'number' ? typeof v === 'number' && v >= 0 : doc.values.includes(v as string | boolean | number);
    if (!ok) throw bad(where, `profile.switches.${name as SwitchName} is ${JSON.stringify(v)}; expected ${doc.values === 'number' ? 'a number' : doc.values.join(' | ')}`);
  }
  return { nixVersion: '', summary: '', ...p } as unknown as Profile;
}
