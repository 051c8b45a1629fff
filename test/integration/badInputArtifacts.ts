/**
 * Bad-input cases over rootrace's own artifacts: schedule files (replay,
 * shrink) and sweep shards (merge), each made valid here from the built code
 * and then cut or edited one field at a time. A valid one of each is exported
 * too, so the suite checks the edits are what it refuses.
 */
import { scheduleToJson } from '../../dist/src/runtime/index.js';
import { openScenario, profileByName } from '../../dist/src/scenarios/index.js';
import { recommend, summarise } from '../../dist/src/scenarios/sweep/aggregate.js';
import { expandGrid, parseAxis, planRuns } from '../../dist/src/scenarios/sweep/plan.js';
import type { SweepDocument, SweepRunRecord } from '../../dist/src/messages/sweep.js';
import { sweepDocument } from '../fixtures/sweepDoc.js';
import type { BadInput } from './badInputCases.js';

// ---------------------------------------------------------------------------
// Schedules: pr-15158 with one evaluator, and a few decisions.

const run = openScenario('pr-15158').expand(['evaluators=1']).run;
export const SCHEDULE = scheduleToJson({
  scenario: run,
  profile: profileByName('nix-2.33'),
  seed: 7,
  strategy: 'pct',
  finding: { kind: 'invalid-reference', message: "path '/nix/store/x-hosts.drv' is not valid" },
  eventHash: 'ab'.repeat(32),
  preemptions: 1,
  contextSwitches: 3,
  processSwitches: 2,
  decisions: [
    { actor: 'X', label: 'client.instantiate', seq: 0 },
    { actor: 'W(X)', label: 'daemon.request', seq: 0 },
  ],
});

type Json = Record<string, unknown>;
const edit = (f: (s: Json) => void) => (): string => {
  const s = JSON.parse(SCHEDULE) as Json;
  f(s);
  return JSON.stringify(s, null, 2);
};
const sc = (s: Json): Json => s['scenario'] as Json;
const procs = (s: Json): Json[] => sc(s)['processes'] as Json[];
const drvs = (s: Json): Json[] => sc(s)['derivations'] as Json[];
const stepsOf = (s: Json, i: number): Json[] => procs(s)[i]!['steps'] as Json[];

/** Edits of the schedule: what is changed, the field the message names, and what it says. */
const SCHEDULE_EDITS: readonly [string, string | (() => string), string, RegExp][] = [
  ['an empty file', '', '(top level)', /JSON syntax error/],
  ['a file cut at 10%', SCHEDULE.slice(0, Math.floor(SCHEDULE.length / 10)), 'line', /JSON syntax error/],
  ['a file cut at half', SCHEDULE.slice(0, Math.floor(SCHEDULE.length / 2)), 'line', /JSON syntax error/],
  ['a file cut before its last brace', SCHEDULE.slice(0, SCHEDULE.lastIndexOf('}')), 'line', /JSON syntax error/],
  ['a JSON list', '[]', '(top level)', /expected a rootrace schedule file \(from explore or shrink\), got a list/],
  ['another kind of file', edit((s) => (s['kind'] = 'rootrace.sweep')), 'kind', /expected "rootrace\.schedule"/],
  ['a future schemaVersion', edit((s) => (s['schemaVersion'] = 2)), 'schemaVersion', /expected 1, got number 2/],
  ['a negative seed', edit((s) => (s['seed'] = -1)), 'seed', /expected a number >= 0/],
  ['a seed beyond 32 bits', edit((s) => (s['seed'] = 2 ** 33)), 'seed', /<= 4294967295/],
  ['a seed as text', edit((s) => (s['seed'] = '7')), 'seed', /expected an integer, got string/],
  ['no decisions', edit((s) => delete s['decisions']), 'decisions', /missing required field 'decisions'/],
  ['a decision of two fields', edit((s) => ((s['decisions'] as unknown[])[1] = ['W(X)', 3])), 'decisions[1]', /at least 3 item/],
  ['a decision with a bad signal', edit((s) => ((s['decisions'] as unknown[])[0] = ['X', 'client.instantiate', 0, 'hup'])), 'decisions[0][3]', /expected one of: kill, term/],
  ['a decision with a negative seq', edit((s) => ((s['decisions'] as unknown[])[0] = ['X', 'client.instantiate', -1])), 'decisions[0][2]', /expected a number >= 0/],
  ['an unknown finding kind', edit((s) => ((s['finding'] as Json)['kind'] = 'lost')), 'finding.kind', /expected one of: invalid-reference/],
  ['an unknown top field', edit((s) => (s['extra'] = 1)), 'extra', /unknown field 'extra'/],
  ['an unknown switch value', edit((s) => (((s['profile'] as Json)['switches'] as Json)['writeDerivation'] = 'sometimes')), 'profile.switches.writeDerivation', /expected one of: always-add/],
  ['a missing switch', edit((s) => delete ((s['profile'] as Json)['switches'] as Json)['gcDeletionRecheck']), 'profile.switches.gcDeletionRecheck', /missing required field/],
  ['an unknown switch', edit((s) => (((s['profile'] as Json)['switches'] as Json)['bogus'] = true)), 'profile.switches.bogus', /unknown switch 'bogus'/],
  ['a switch of absurd ms', edit((s) => (((s['profile'] as Json)['switches'] as Json)['rootsSocketRetryMs'] = 1e12)), 'profile.switches.rootsSocketRetryMs', /<= 3600000/],
  ['no scenario', edit((s) => delete s['scenario']), 'scenario', /missing required field 'scenario'/],
  ['no processes', edit((s) => (sc(s)['processes'] = [])), 'scenario.processes', /at least 1 item/],
  ['a process without steps', edit((s) => delete procs(s)[0]!['steps']), 'scenario.processes[0].steps', /missing required field 'steps'/],
  ['a process of an unknown kind', edit((s) => (procs(s)[0]!['kind'] = 'nix-daemon')), 'scenario.processes[0].kind', /expected one of: evaluator, nix-collect-garbage/],
  ['an unknown step op', edit((s) => (stepsOf(s, 0)[0] = { op: 'build', drv: 'hosts' })), 'scenario.processes[0].steps[0].op', /unknown step operation "build"/],
  ['a step naming an unknown derivation', edit((s) => (stepsOf(s, 0)[0]!['drv'] = 'hostz')), 'scenario.processes[0].steps[0].drv', /unknown derivation 'hostz'/],
  ['a step without its drv', edit((s) => delete stepsOf(s, 0)[0]!['drv']), 'scenario.processes[0].steps[0].drv', /missing required field 'drv'/],
  ['awaitExit of an unknown process', edit((s) => (stepsOf(s, 1)[0] = { op: 'awaitExit', process: 'Z' })), 'scenario.processes[1].steps[0].process', /unknown process 'Z'/],
  ['a spawn of a process not spawned', edit((s) => stepsOf(s, 0).push({ op: 'spawn', process: 'E1' })), 'scenario.processes[0].steps[1].process', /is not spawned/],
  ['a sleep of absurd ms', edit((s) => stepsOf(s, 0).push({ op: 'sleep', ms: 1e12 })), 'scenario.processes[0].steps[1].ms', /<= 3600000/],
  ['a sleep of negative ms', edit((s) => stepsOf(s, 0).push({ op: 'sleep', ms: -5 })), 'scenario.processes[0].steps[1].ms', />= 0/],
  ['a loop of absurd length', edit((s) => (procs(s)[0]!['loop'] = { times: 1e9, onError: 'stop' })), 'scenario.processes[0].loop.times', /<= 1000000/],
  [
    'a loop the store cannot hold',
    edit((s) => {
      procs(s)[0]!['loop'] = { times: 1000000, onError: 'continue' };
      stepsOf(s, 0).push(...Array<Json>(400).fill({ op: 'instantiate', drv: 'hosts' }));
    }),
    'scenario.processes[0].loop.times',
    /at most 1024 MiB/,
  ],
  ['an output size beyond 31 bits', edit((s) => (drvs(s)[0]!['outputSize'] = 2 ** 31)), 'scenario.derivations[0].outputSize', /<= 2147483647/],
  ['no outputs', edit((s) => (drvs(s)[0]!['outputs'] = [])), 'scenario.derivations[0].outputs', /at least 1 item/],
  ['an input naming an unknown derivation', edit((s) => ((drvs(s)[2]!['inputDrvs'] as string[])[0] = 'nope')), 'scenario.derivations[2].inputDrvs[0]', /unknown derivation 'nope'/],
  ['an input naming an unknown source', edit((s) => ((drvs(s)[0]!['inputSrcs'] as string[])[0] = 'nope')), 'scenario.derivations[0].inputSrcs[0]', /unknown source 'nope'/],
  ['a dependency cycle', edit((s) => (drvs(s)[0]!['inputDrvs'] = [drvs(s)[drvs(s).length - 1]!['name']])), 'inputDrvs', /derivation dependency cycle/],
  ['two derivations of one name', edit((s) => drvs(s).push({ ...drvs(s)[0]! })), `scenario.derivations[`, /duplicate derivation name/],
  ['a root naming an unknown derivation', edit((s) => ((sc(s)['initial'] as Json)['roots'] = [{ link: '/r', drv: 'nope', output: false, indirect: false }])), 'scenario.initial.roots[0].drv', /unknown derivation 'nope'/],
  ['an initial drv that is not defined', edit((s) => ((sc(s)['initial'] as Json)['drvs'] = [{ drv: 'nope', built: false }])), 'scenario.initial.drvs[0].drv', /unknown derivation 'nope'/],
  ['a crash point on an unknown actor', edit((s) => (sc(s)['crash'] = [{ process: 'Z', label: 'build.run', signal: 'kill' }])), 'scenario.crash[0].process', /Z/],
  ['a hook on an unknown process', edit((s) => (sc(s)['hooks'] = [{ process: 'Z', label: 'build.run', barriers: ['b'] }])), 'scenario.hooks[0].process', /unknown process 'Z'/],
  ['a settings field of the wrong type', edit((s) => ((sc(s)['settings'] as Json)['minFree'] = 'lots')), 'scenario.settings.minFree', /expected an integer, got string/],
  ['costs with an unknown field', edit((s) => (sc(s)['costs'] = { bulid: 1 })), 'scenario.costs', /unknown field 'bulid'|missing required field/],
];

export const SCHEDULE_CASES: BadInput[] = (['replay', 'shrink'] as const).flatMap((cmd) => [
  ...SCHEDULE_EDITS.map(([what, text, field, says]): BadInput => ({ name: `${cmd} ${what}`, argv: [cmd, 's.json'], files: { 's.json': text }, names: ['s.json', field], says })),
  { name: `${cmd} a missing file`, argv: [cmd, 'nope.json'], names: ["schedule file 'nope.json'"], says: /no such file/ },
  { name: `${cmd} a directory`, argv: [cmd, 'd'], files: { 'd/x': '' }, names: ["schedule file 'd'"], says: /it is a directory/ },
  { name: `${cmd} /dev/zero`, argv: [cmd, '/dev/zero'], names: ["schedule file '/dev/zero'"], says: /not a regular file/ },
]);

// ---------------------------------------------------------------------------
// Sweep shards: a 2 × 3-point sweep of 4 runs per point, split in three.

const points = expandGrid(['nix-2.33', 'nix-2.35'], [parseAxis('workers=1,2,4')]);
const records = (shard?: { i: number; n: number }): SweepRunRecord[] =>
  planRuns(points, 4, 3, shard).map((p) => ({ point: p.point.key, run: p.run, seed: p.seed, finding: p.point.profile === 'nix-2.33', kinds: [], firstFindingUs: null, wallMs: 1, storeOps: 10 }));
const shardDoc = (i: number, n = 3, over: Partial<SweepDocument> = {}): SweepDocument => {
  const runs = records({ i, n });
  const s = summarise(points, runs);
  return sweepDocument({ tool: { name: 'rootrace', version: '0.1.0' }, shard: `${i}/${n}`, inputs: 'c'.repeat(64), wallMs: 5, points: s, runs, recommendation: recommend(s, 2), ...over });
};
const text = (d: unknown): string => `${JSON.stringify(d, null, 2)}\n`;
export const SHARDS = { 's1.json': text(shardDoc(1)), 's2.json': text(shardDoc(2)), 's3.json': text(shardDoc(3)) };
const all = ['s1.json', 's2.json', 's3.json'];

const merge = (name: string, argv: readonly string[], files: Record<string, string>, names: readonly string[], says: RegExp): BadInput => ({ name: `merge ${name}`, argv: ['merge', ...argv], files: { ...SHARDS, ...files }, names, says });
const editShard = (i: number, f: (d: Json) => void): string => {
  const d = JSON.parse(SHARDS[`s${i}.json` as keyof typeof SHARDS]) as Json;
  f(d);
  return text(d);
};

export const MERGE_CASES: BadInput[] = [
  merge('an incomplete set', ['s1.json', 's3.json'], {}, ['incomplete shard set', 'missing 2/3'], /have 1\/3 \(s1\.json\), 3\/3 \(s3\.json\)\); merge --partial merges what is there/),
  merge('one shard alone', ['s2.json'], {}, ['incomplete shard set', 'missing 1/3, 3/3'], /--partial/),
  merge('a shard twice', ['s1.json', 's2.json', 's2.json', 's3.json'], {}, ['s2.json', 'shard 2/3'], /given twice/),
  merge('another root seed', [...all, 'x.json'], { 'x.json': text(shardDoc(2, 3, { rootSeed: 4 })) }, ['x.json', 'root seed'], /4 here, 3 there/),
  merge('another scenario', ['s1.json', 'x.json', 's3.json'], { 'x.json': text(shardDoc(2, 3, { scenario: 'heavy-load' })) }, ['x.json', 'scenario'], /"heavy-load" here, "pr-15158" there/),
  merge('another run count', ['s1.json', 'x.json', 's3.json'], { 'x.json': text(shardDoc(2, 3, { runsPerPoint: 5 })) }, ['x.json', 'runs per point'], /5 here, 4 there/),
  merge('another runtime', ['s1.json', 'x.json', 's3.json'], { 'x.json': text(shardDoc(2, 3, { runtime: 'threads' })) }, ['x.json', 'runtime'], /"threads" here, "sim" there/),
  merge('other axes', ['s1.json', 'x.json', 's3.json'], { 'x.json': text(shardDoc(2, 3, { axes: [{ name: 'profile', values: ['nix-2.33', 'nix-2.35'] }, { name: 'workers', values: [1, 2] }] })) }, ['x.json', 'axes'], /workers=1,2/),
  merge('another rootrace version', ['s1.json', 'x.json', 's3.json'], { 'x.json': text(shardDoc(2, 3, { tool: { name: 'rootrace', version: '0.2.0' } })) }, ['x.json', 'rootrace version'], /"0\.2\.0" here/),
  merge('other inputs (--set, an edited scenario)', ['s1.json', 'x.json', 's3.json'], { 'x.json': text(shardDoc(2, 3, { inputs: 'd'.repeat(64) })) }, ['x.json', 'inputs'], /dddddddddddd… here/),
  merge('shards of two splits', ['s1.json', 'x.json'], { 'x.json': text(shardDoc(2, 2)) }, ['x.json', 'shard 2/2'], /not one split/),
  merge('a whole sweep with its shards', ['s1.json', 'w.json'], { 'w.json': text({ ...shardDoc(1, 1), shard: undefined }) }, ['w.json', 'a whole sweep'], /give only the shards of one sweep/),
  merge('a shard cut short', all, { 's2.json': editShard(2, (d) => (d['runs'] as unknown[]).pop()) }, ['s2.json', 'shard 2/3'], /has 7 of its 8 runs \(cut short\)/),
  merge('an interrupted shard', all, { 's2.json': editShard(2, (d) => { (d['runs'] as unknown[]).splice(0, 3); d['interrupted'] = { signal: 'SIGINT', runsPlanned: 8 }; }) }, ['s2.json', 'shard 2/3'], /has 5 of its 8 runs \(interrupted by SIGINT\)/),
  merge('a run with an edited seed', all, { 's2.json': editShard(2, (d) => ((d['runs'] as Json[])[0]!['seed'] = 12345)) }, ['s2.json', 'runs[0]'], /has seed 12345, but the sweep's plan gives it \d+/),
  merge("a run of another shard", ['s2.json', 's3.json', '--partial'], { 's2.json': editShard(2, (d) => (d['runs'] as Json[]).push({ ...(JSON.parse(SHARDS['s1.json']) as { runs: Json[] }).runs[0]! })) }, ['s2.json', 'runs[8]'], /is not one of shard 2\/3's runs/),
  merge('a shard cut mid-file', all, { 's2.json': SHARDS['s2.json'].slice(0, 900) }, ['s2.json', 'line'], /JSON syntax error/),
  merge('an empty shard file', all, { 's2.json': '' }, ['s2.json'], /JSON syntax error/),
  merge('a JSON list', all, { 's2.json': '[]' }, ['s2.json', '(top level)'], /expected a sweep document \(from sweep --export-json\), got a list/),
  merge('a shard without runs', all, { 's2.json': editShard(2, (d) => delete d['runs']) }, ['s2.json', 'runs'], /missing required field 'runs'/),
  merge('runs per point as text', all, { 's2.json': editShard(2, (d) => (d['runsPerPoint'] = '4')) }, ['s2.json', 'runsPerPoint'], /expected an integer, got string/),
  merge('a run without its seed', all, { 's2.json': editShard(2, (d) => delete (d['runs'] as Json[])[3]!['seed']) }, ['s2.json', 'runs[3].seed'], /missing required field 'seed'/),
  merge('axes not led by the profiles', all, { 's2.json': editShard(2, (d) => (d['axes'] = [...(d['axes'] as unknown[])].reverse())) }, ['s2.json', 'axes[0].name'], /expected "profile"/),
  merge('a shard of 5/3', all, { 's2.json': editShard(2, (d) => (d['shard'] = '5/3')) }, ['s2.json', 'shard'], /expected i\/n with 1 ≤ i ≤ n, got '5\/3'/),
  merge('a future schemaVersion', all, { 's2.json': editShard(2, (d) => (d['schemaVersion'] = 2)) }, ['s2.json', 'schemaVersion'], /expected 1, got number 2/),
  merge('a scenario file given as a shard', ['s1.json', 'x.json'], { 'x.json': '{"schemaVersion": 1, "name": "x"}' }, ['x.json', 'tool'], /missing required field 'tool'/),
  merge('a missing shard file', ['s1.json', 'nope.json'], {}, ["sweep file 'nope.json'"], /no such file/),
  merge('/dev/zero as a shard', ['/dev/zero'], {}, ["sweep file '/dev/zero'"], /not a regular file/),
];
