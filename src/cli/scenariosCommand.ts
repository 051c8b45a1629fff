/**
 * `rootrace scenarios`: the catalogue as a table (name, expected outcome per
 * profile, summary) or JSON (`--json`, with every expectation), and
 * `rootrace scenarios show <name|file>`, which prints the scenario file verbatim.
 */
import { dirname, relative } from 'node:path';
import { UsageError } from '../messages/errors.js';
import { PROFILES, describeExpectation, listScenarios, openScenario, type ExpandedScenario, type ScenarioEntry } from '../scenarios/index.js';
import { packageScenariosDir } from '../scenarios/file/discover.js';
import { SCENARIOS } from './commands.js';
import { scenarioArg } from './names.js';
import { parseCommand } from './spec.js';
import { SCHEMA_VERSION } from './runCommand.js';

export interface ScenariosArgs {
  /** `show <name>` prints one scenario; otherwise the catalogue is listed. */
  readonly show: string | null;
  readonly json: boolean;
}

export function parseScenariosArgs(argv: readonly string[]): ScenariosArgs {
  const parsed = parseCommand(SCENARIOS, argv);
  const [sub, name, ...more] = parsed.positionals;
  if (sub === undefined) return { show: null, json: parsed.values.json ?? false };
  if (sub !== 'show') throw new UsageError(`scenarios expects 'show <name>' or nothing, got '${sub}'`);
  if (name === undefined || more.length > 0) throw new UsageError('scenarios show expects one scenario name or file');
  return { show: scenarioArg(name), json: parsed.values.json ?? false };
}

export function scenariosCommand(a: ScenariosArgs, out: (s: string) => void): number {
  if (a.show !== null) return show(a.show, out);
  // Expand every scenario first: a broken catalogue file is exit 2 before anything is printed.
  const all = listScenarios().map((e) => ({ e, x: e.expand() }));
  out(a.json ? `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, scenarios: all.map(({ e, x }) => toJson(e, x)) }, null, 2)}\n` : table(all));
  return 0;
}

function show(name: string, out: (s: string) => void): number {
  const e = openScenario(name);
  out(e.text.endsWith('\n') ? e.text : `${e.text}\n`);
  return 0;
}

function findingsJson(f: 'none' | readonly string[] | null): 'none' | 'any' | readonly string[] {
  return f === null ? 'any' : f;
}

function toJson(e: ScenarioEntry, x: ExpandedScenario): unknown {
  return {
    name: e.name,
    summary: e.summary,
    source: e.source,
    file: e.file === null ? null : relative(dirname(packageScenariosDir()), e.file),
    defaultProfile: x.defaultProfile,
    profiles: x.profiles,
    parameters: x.parameters,
    set: x.sets,
    expect: Object.fromEntries(
      x.profiles.map((p) => {
        const exp = x.expectations.get(p);
        return [p, exp ? { findings: findingsJson(exp.findings), kept: exp.kept.map((k) => k.ref), deleted: exp.deleted.map((k) => k.ref) } : null];
      }),
    ),
  };
}

function table(all: readonly { e: ScenarioEntry; x: ExpandedScenario }[]): string {
  const profiles = PROFILES.map((p) => p.name);
  const rows = all.map(({ e, x }) => [e.name, ...profiles.map((p) => (x.profiles.includes(p) ? describeExpectation(x.expectations.get(p)) : '-')), e.summary]);
  const head = ['scenario', ...profiles, 'summary'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('');
  return `${[line(head), ...rows.map(line)].join('\n')}\n\nexpected outcome per profile: none (no finding), finding kinds that must occur, or any;\nkeeps/deletes: store paths checked at the end. Details: rootrace scenarios --json\n`;
}
