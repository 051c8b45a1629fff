/**
 * The bad-input suite's table (#13 item 8): every case is a command line, the
 * files it needs (written into an empty folder that is also its cwd), and the
 * texts its one-line message must contain — the input it names (a file, an
 * option) and the field (a path in the file, the option's value). Grouped by
 * what is bad: scenario files (the malformed fixtures and hostile files made
 * here), command-line values, schedule files for replay/shrink, sweep shards
 * for merge, event streams for report.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MALFORMED } from '../unit/scenarios/malformedCases.js';

export interface BadInput {
  /** Unique; the test's title. */
  readonly name: string;
  readonly argv: readonly string[];
  /** Files to create in the case's folder (relative names); a function is called once and cached. */
  readonly files?: Readonly<Record<string, string | (() => string)>>;
  /** Texts the message must contain: the input, then the field. */
  readonly names: readonly string[];
  /** What the message must say, when more than the names. */
  readonly says?: RegExp;
}

const fixtures = fileURLToPath(new URL('../fixtures/malformed/', import.meta.url));
const events = fileURLToPath(new URL('../fixtures/events/', import.meta.url));

// ---------------------------------------------------------------------------
// Scenario files.

const HEAD = 'schemaVersion: 1\nsummary: bad input\nsource: rootrace test\n';
const scenario = (name: string, body: string): string => `${HEAD}name: ${name}\n${body}`;
const ONE = 'processes:\n  - { name: X, kind: evaluator, steps: [ instantiate: a ] }\n';
const A = 'derivations: [ { name: a } ]\n';

const laughs = (): string =>
  `${HEAD}name: laughs\n` +
  ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n') +
  `\n${ONE}`;
const oversized = (): string => `${scenario('big', A + ONE)}# ${'x'.repeat(17 * 1024 * 1024)}\n`;
const chain = (n: number): string => scenario('chain', `derivations:\n  - { name: d0 }\n${Array.from({ length: n }, (_, i) => `  - { name: d${i + 1}, inputDrvs: [d${i}] }`).join('\n')}\n${ONE.replace('instantiate: a', `instantiate: d${n}`)}`);
/** A lattice of `depth` layers of two derivations, each depending on both below: 2^depth build goals for a realise. */
const lattice = (depth: number): string =>
  scenario(
    'lattice',
    `derivations:\n  - { name: l0-0 }\n  - { name: l0-1 }\n${Array.from({ length: depth }, (_, i) => [0, 1].map((j) => `  - { name: l${i + 1}-${j}, inputDrvs: [l${i}-0, l${i}-1] }`).join('\n')).join('\n')}\nprocesses:\n  - { name: X, kind: evaluator, steps: [ realise: l${depth}-0 ] }\n`,
  );
const manySteps = (): string => scenario('steps', `${A}processes:\n  - name: X\n    kind: evaluator\n    steps:\n${'      - sleep: 1\n'.repeat(10_001)}`);

/** Hostile or out-of-limit scenario files, each run by `run` (sim, so nothing would need threads). */
const HOSTILE: readonly { file: string; text: string | (() => string); names: readonly string[]; says: RegExp }[] = [
  { file: 'laughs.yaml', text: laughs, names: ['laughs.yaml', 'line 6', 'b[0]'], says: /YAML aliases expand to more than 1000 nodes \(a "billion laughs" file/ },
  { file: 'big.yaml', text: oversized, names: ["scenario file 'big.yaml'"], says: /is \d+ bytes; at most 16777216 \(read whole into memory\)/ },
  { file: 'deep.yaml', text: `${HEAD}name: deep\nx: ${'['.repeat(70)}${']'.repeat(70)}\n${ONE}`, names: ['deep.yaml', 'x[0][0]'], says: /collections nested more than 64 deep/ },
  { file: 'deeper.yaml', text: `${HEAD}name: deeper\nx: ${'['.repeat(3000)}${']'.repeat(3000)}\n${ONE}`, names: ['deeper.yaml', 'x[0][0]'], says: /collections nested more than 64 deep/ },
  { file: 'deep.json', text: `{"schemaVersion": 1, "x": ${'['.repeat(70)}${']'.repeat(70)}}`, names: ['deep.json', 'x[0][0]'], says: /collections nested more than 64 deep/ },
  { file: 'repeat.yaml', text: scenario('repeat', `derivations: [ { name: "d-{i}", repeat: 100001 } ]\n${ONE}`), names: ['repeat.yaml', 'derivations[0].repeat'], says: /100001 copies; at most 100000/ },
  { file: 'repeat-expr.yaml', text: scenario('repeat-expr', `parameters: { n: 400 }\nderivations: [ { name: "d-{i}", repeat: "$n * $n * $n" } ]\n${ONE}`), names: ['repeat-expr.yaml', 'derivations[0].repeat'], says: /64000000 copies; at most 100000/ },
  { file: 'repeat-total.yaml', text: scenario('repeat-total', `derivations:\n  - { name: "a-{i}", repeat: 100000 }\n  - { name: "b-{i}", repeat: 100000 }\n  - { name: "c-{i}", repeat: 100000 }\n${ONE}`), names: ['repeat-total.yaml', 'derivations[2].repeat'], says: /300000 derivations with this entry's 100000 copies; at most 250000/ },
  { file: 'sources-total.yaml', text: scenario('sources-total', `sources:\n  - { name: "s-{i}", repeat: 60000 }\n  - { name: "t-{i}", repeat: 60000 }\n${A}${ONE}`), names: ['sources-total.yaml', 'sources[1].repeat'], says: /at most 100000/ },
  { file: 'processes-total.yaml', text: scenario('processes-total', `${A}processes:\n  - { name: "E{i}", kind: evaluator, repeat: 10001, steps: [] }\n`), names: ['processes-total.yaml', 'processes[0].repeat'], says: /at most 10000 \(each runs as its own actor\)/ },
  { file: 'steps.yaml', text: manySteps, names: ['steps.yaml', 'processes[0].steps'], says: /10001 steps; at most 10000 \(a program that long is a loop\)/ },
  { file: 'depth.yaml', text: () => chain(1001), names: ['depth.yaml', 'derivations[1000].inputDrvs'], says: /a dependency chain of 1001 derivations ends here; at most 1000/ },
  { file: 'inputs.yaml', text: scenario('inputs', `derivations:\n  - { name: "d-{i}", inputDrvs: ["d-*"], repeat: 1100 }\n${ONE.replace('instantiate: a', 'instantiate: d-1')}`), names: ['inputs.yaml', 'inputDrvs'], says: /more than 1000000 inputs in all derivations up to here/ },
  { file: 'cycle-pattern.yaml', text: scenario('cycle-pattern', `derivations:\n  - { name: lib-a, inputDrvs: ["lib-*"] }\n  - { name: lib-b, inputDrvs: ["lib-*"] }\n${ONE.replace('instantiate: a', 'instantiate: lib-a')}`), names: ['cycle-pattern.yaml', 'derivations[1].inputDrvs[0]'], says: /derivation dependency cycle: lib-a -> lib-b -> lib-a/ },
  { file: 'sleep.yaml', text: scenario('sleep', `${A}processes:\n  - { name: X, kind: evaluator, steps: [ sleep: 999999999999 ] }\n`), names: ['sleep.yaml', 'processes[0].steps[0].sleep'], says: /999999999999 is too large: at most 3600000/ },
  { file: 'sleep-full.yaml', text: scenario('sleep-full', `${A}processes:\n  - { name: X, kind: evaluator, steps: [ { op: sleep, ms: 3600001 } ] }\n`), names: ['sleep-full.yaml', 'processes[0].steps[0].ms'], says: /3600001 is too large/ },
  { file: 'sleep-expr.yaml', text: scenario('sleep-expr', `parameters: { h: 2 }\n${A}processes:\n  - { name: X, kind: evaluator, steps: [ sleep: "$h * 3600000" ] }\n`), names: ['sleep-expr.yaml', 'processes[0].steps[0].sleep'], says: /7200000 \(from "\$h \* 3600000"\) is too large/ },
  { file: 'output-size.yaml', text: scenario('output-size', `derivations: [ { name: a, outputSize: 9007199254740991 } ]\n${ONE}`), names: ['output-size.yaml', 'derivations[0].outputSize'], says: /is too large: at most 2147483647 \(the store's entry sizes are 31-bit\)/ },
  { file: 'output-size-expr.yaml', text: scenario('output-size-expr', `parameters: { gb: 3 }\nderivations: [ { name: a, outputSize: "$gb * 1024 * 1024 * 1024" } ]\n${ONE}`), names: ['output-size-expr.yaml', 'derivations[0].outputSize'], says: /3221225472 .* is too large/ },
  { file: 'source-size.yaml', text: scenario('source-size', `sources: [ { name: s, size: 2147483648 } ]\n${A}${ONE}`), names: ['source-size.yaml', 'sources[0].size'], says: /2147483648 is too large/ },
  { file: 'junk-size.yaml', text: scenario('junk-size', `${A}store: { junk: [ { name: tmp-1, size: 99999999999 } ] }\n${ONE}`), names: ['junk-size.yaml', 'store.junk[0].size'], says: /99999999999 is too large/ },
  { file: 'size-overflow.yaml', text: scenario('size-overflow', `derivations: [ { name: a, outputSize: "999999999 * 999999999 * 999999999" } ]\n${ONE}`), names: ['size-overflow.yaml', 'derivations[0].outputSize'], says: /expected an integer ≥ 0, got 9\.99.*e\+26/ },
  { file: 'loop-times.yaml', text: scenario('loop-times', `${A}processes:\n  - { name: X, kind: evaluator, loop: { times: 1000001 }, steps: [ instantiate: a ] }\n`), names: ['loop-times.yaml', 'processes[0].loop.times'], says: /1000001 iterations; at most 1000000/ },
  { file: 'eval-jobs.yaml', text: scenario('eval-jobs', `${A}processes:\n  - { name: M, kind: evaluator, steps: [ { evalJobs: { worker: W, jobs: 100001, workers: 1, restartEvery: 1 } } ] }\n  - { name: W, kind: evaluator, spawned: true, steps: [] }\n`), names: ['eval-jobs.yaml', 'processes[0].steps[0].evalJobs.jobs'], says: /100001 is too large: at most 100000/ },
  { file: 'costs-ms.yaml', text: scenario('costs-ms', `costs: { build: 1e12 }\n${A}${ONE}`), names: ['costs-ms.yaml', 'costs'], says: /cost 'build' expects a non-negative number of milliseconds, at most 3600000/ },
  { file: 'costs-field.yaml', text: scenario('costs-field', `costs: { bulid: 3 }\n${A}${ONE}`), names: ['costs-field.yaml', 'costs'], says: /unknown cost 'bulid'/ },
  { file: 'switch-ms.yaml', text: scenario('switch-ms', `set: { rootsSocketRetryMs: 1e12 }\n${A}${ONE}`), names: ['switch-ms.yaml', 'set.rootsSocketRetryMs'], says: /expected a number <= 3600000/ },
  { file: 'spawn-cycle.yaml', text: scenario('spawn-cycle', `${A}processes:\n  - { name: X, kind: evaluator, steps: [ spawn: P ] }\n  - { name: P, kind: evaluator, spawned: true, steps: [ spawn: Q ] }\n  - { name: Q, kind: evaluator, spawned: true, steps: [ spawn: P ] }\n`), names: ['spawn-cycle.yaml', 'processes[2].steps[0].spawn'], says: /spawn cycle P -> Q -> P: these processes would start each other forever/ },
  { file: 'store-entries.yaml', text: scenario('store-entries', `sources: [ { name: s } ]\nderivations:\n  - { name: "d-{i}", inputSrcs: [s], repeat: 2000 }\n  - { name: top, inputDrvs: ["d-*"] }\nprocesses:\n  - { name: L, kind: evaluator, loop: { times: 1000000 }, steps: [ instantiate: top ] }\n`), names: ['store-entries.yaml', 'processes[0].loop.times'], says: /the store this scenario needs is .*temp-root entries, most of them for process 'L' and its 1000000 iterations; at most 1024 MiB/ },
  { file: 'store-goals.yaml', text: () => lattice(60), names: ['store-goals.yaml', 'processes[0].steps[0].realise'], says: /this realise unfolds into \d+ of them over its passes \(one per dependency path/ },
  { file: 'store-files.yaml', text: scenario('store-files', `${A}processes:\n  - { name: L, kind: evaluator, loop: { times: 1000000, onError: continue }, steps: [ instantiate: a, dropConnection: , killDaemonWorker: , dropConnection: , killDaemonWorker: , instantiate: a ] }\n`), names: ['store-files.yaml', 'processes[0].loop.times'], says: /the store this scenario needs is \d+ MiB, mostly \d+ (open file descriptions|temp-roots and lock files), most of them for process 'L'/ },
  { file: 'tab.yaml', text: `${HEAD}name: tab\n\tprocesses: []\n`, names: ['tab.yaml', 'line 5'], says: /YAML syntax error/ },
  { file: 'binary.yaml', text: '\u0000\u0001\u0002\uFFFD{[', names: ['binary.yaml'], says: /YAML syntax error|expected a scenario/ },
  { file: 'list.json', text: '[1, 2, 3]', names: ['list.json', '(top level)'], says: /expected a scenario: .*, got a list/ },
  { file: 'null.json', text: 'null', names: ['null.json', '(top level)'], says: /got nothing/ },
  { file: 'cut.json', text: '{"schemaVersion": 1, "name": "cut", "summary": "x", "source": "y", "processes": [ { "name": "X", "ki', names: ['cut.json', 'line 1'], says: /JSON syntax error: Unterminated string/ },
];

const SCENARIO_CASES: BadInput[] = [
  // Every malformed fixture, through `run` (its field and line are the unit suite's table).
  ...MALFORMED.map((c): BadInput => ({
    name: `run ${c.file}`,
    argv: ['run', `./${c.file}`, '--runtime', 'sim'],
    files: { [c.file]: readFileSync(`${fixtures}${c.file}`, 'utf8') },
    names: [c.file, c.line === null ? `: ${c.path}: ` : `: line ${c.line}: ${c.path}: `],
    says: c.says,
  })),
  // Each command that opens a scenario refuses it the same way.
  ...(['check', 'explore', 'crashpoints', 'versions', 'sweep'] as const).flatMap((cmd) =>
    MALFORMED.filter((_, k) => k % 6 === 0).map((c): BadInput => ({
      name: `${cmd} ${c.file}`,
      argv: [cmd, `./${c.file}`, ...(cmd === 'sweep' || cmd === 'check' ? ['--runtime', 'sim'] : [])],
      files: { [c.file]: readFileSync(`${fixtures}${c.file}`, 'utf8') },
      names: [c.file, c.path],
      says: c.says,
    })),
  ),
  ...HOSTILE.map((h): BadInput => ({ name: `run ${h.file}`, argv: ['run', `./${h.file}`, '--runtime', 'sim'], files: { [h.file]: h.text }, names: h.names, says: h.says })),
  ...HOSTILE.filter((_, k) => k % 4 === 1).map((h): BadInput => ({ name: `explore ${h.file}`, argv: ['explore', `./${h.file}`], files: { [h.file]: h.text }, names: h.names, says: h.says })),
  { name: 'run a missing file', argv: ['run', './nope.yaml'], names: ["scenario file 'nope.yaml'"], says: /cannot read scenario file 'nope\.yaml': no such file/ },
  { name: 'run a directory', argv: ['run', './dir.yaml/'], files: { 'dir.yaml/keep': '' }, names: ["scenario file 'dir.yaml'"], says: /it is a directory/ },
  { name: 'run /dev/zero', argv: ['run', '/dev/zero'], names: ["scenario file '/dev/zero'"], says: /not a regular file/ },
  { name: 'run /dev/null', argv: ['run', '/dev/null'], names: ["scenario file '/dev/null'"], says: /not a regular file/ },
  { name: 'run a file under a file', argv: ['run', './f.yaml/x.yaml'], files: { 'f.yaml': 'x' }, names: ["scenario file 'f.yaml/x.yaml'"], says: /a parent is not a directory/ },
  { name: 'run with --param beyond a repeat limit', argv: ['run', './p.yaml', '--runtime', 'sim', '--param', 'n=200000'], files: { 'p.yaml': scenario('p', `parameters: { n: 1 }\nderivations: [ { name: "d-{i}", repeat: $n } ]\n${ONE.replace('instantiate: a', 'instantiate: d-1')}`) }, names: ['p.yaml', 'derivations[0].repeat'], says: /200000 copies; at most 100000/ },
  { name: 'run with --param making the store too large', argv: ['run', './q.yaml', '--runtime', 'sim', '--param', 'n=1000000'], files: { 'q.yaml': scenario('q', `parameters: { n: 1 }\nsources: [ { name: s } ]\nderivations:\n  - { name: "d-{i}", inputSrcs: [s], repeat: 2000 }\n  - { name: top, inputDrvs: ["d-*"] }\nprocesses:\n  - { name: L, kind: evaluator, loop: { times: $n }, steps: [ instantiate: top ] }\n`) }, names: ['q.yaml', 'processes[0].loop.times'], says: /at most 1024 MiB/ },
];

// ---------------------------------------------------------------------------
// Command-line values.

const opt = (name: string, argv: readonly string[], names: readonly string[], says: RegExp): BadInput => ({ name, argv, names, says });

const CLI_CASES: BadInput[] = [
  ...(['run', 'check', 'sweep', 'versions', 'explain'] as const).flatMap((cmd) => {
    const target = cmd === 'explain' ? 'error: x' : cmd === 'check' ? 'gc-sh' : 'pr-15158';
    const runtime = cmd === 'explain' ? [] : ['--runtime', 'sim'];
    return [
      opt(`${cmd} --runs 0`, [cmd, target, ...runtime, '--runs', '0'], ['--runs', "'0'"], /expects an integer in 1\.\./),
      opt(`${cmd} --runs -3`, [cmd, target, ...runtime, '--runs', '-3'], ['--runs', "'-3'"], /\(negative\)/),
      opt(`${cmd} --runs 1e3`, [cmd, target, ...runtime, '--runs', '1e3'], ['--runs', "'1e3'"], /decimal digits only/),
      opt(`${cmd} --runs 0x10`, [cmd, target, ...runtime, '--runs', '0x10'], ['--runs', "'0x10'"], /decimal digits only/),
      opt(`${cmd} --seed 4294967296`, [cmd, target, ...runtime, '--seed', '4294967296'], ['--seed', "'4294967296'"], /expects an integer in 0\.\.4294967295/),
      opt(`${cmd} --seed x`, [cmd, target, ...runtime, '--seed', 'x'], ['--seed', "'x'"], /expects an integer/),
      opt(`${cmd} --bogus`, [cmd, target, '--bogus'], ["'--bogus'"], /Unknown option '--bogus'/),
    ];
  }),
  ...(['run', 'sweep', 'explore', 'crashpoints', 'versions'] as const).flatMap((cmd) => [
    opt(`${cmd} --param unknown`, [cmd, 'pr-15158', '--param', 'nope=1', ...(cmd === 'run' || cmd === 'sweep' ? ['--runtime', 'sim'] : [])], ['pr-15158', "'nope'"], /has no parameter 'nope'/),
    opt(`${cmd} --set unknown`, [cmd, 'pr-15158', '--set', 'noSuchSwitch=1', ...(cmd === 'run' || cmd === 'sweep' ? ['--runtime', 'sim'] : [])], ['--set', "'noSuchSwitch'"], /unknown switch 'noSuchSwitch'/),
    opt(`${cmd} --set bad value`, [cmd, 'pr-15158', '--set', 'writeDerivation=maybe', ...(cmd === 'run' || cmd === 'sweep' ? ['--runtime', 'sim'] : [])], ['--set writeDerivation', "'maybe'"], /expects one of/),
    opt(`${cmd} --set ms too large`, [cmd, 'pr-15158', '--set', 'rootsSocketRetryMs=99999999', ...(cmd === 'run' || cmd === 'sweep' ? ['--runtime', 'sim'] : [])], ['--set rootsSocketRetryMs', "'99999999'"], /expects at most 3600000/),
    opt(`${cmd} unknown scenario`, [cmd, 'no-such-scenario'], ["'no-such-scenario'"], /unknown scenario 'no-such-scenario'/),
  ]),
  opt('run --param out of range', ['run', 'pr-15158', '--runtime', 'sim', '--param', 'evaluators=65'], ['pr-15158.yaml', '--param evaluators', "'65'"], /expects an integer in 1\.\.64/),
  opt('run --param not a number', ['run', 'pr-15158', '--runtime', 'sim', '--param', 'evaluators=two'], ['pr-15158.yaml', '--param evaluators', "'two'"], /expects an integer in 1\.\.64/),
  opt('run --param twice', ['run', 'pr-15158', '--runtime', 'sim', '--param', 'evaluators=2', '--param', 'evaluators=3'], ['--param', 'evaluators'], /given (twice|more than once)|twice/),
  opt('run --set twice', ['run', 'pr-15158', '--runtime', 'sim', '--set', 'writeDerivation=always-add', '--set', 'writeDerivation=always-add'], ['--set', 'writeDerivation'], /twice|more than once/),
  opt('run --profile unknown', ['run', 'pr-15158', '--runtime', 'sim', '--profile', 'nix-9.9'], ['--profile nix-9.9', "'nix-9.9'"], /unknown profile 'nix-9\.9'/),
  opt('run --profile variant with an unknown switch', ['run', 'pr-15158', '--runtime', 'sim', '--profile', 'nix-2.33+nope=1'], ['nix-2.33+nope=1', "'nope'"], /unknown switch 'nope'/),
  opt('run --profile variant and --set on one switch', ['run', 'pr-15158', '--runtime', 'sim', '--profile', 'nix-2.33+writeDerivation=always-add', '--set', 'writeDerivation=always-add'], ['--profile nix-2.33+writeDerivation=always-add', "'writeDerivation'"], /set both by --profile/),
  opt('run --daemon-profile unknown', ['run', 'pr-15158', '--runtime', 'sim', '--daemon-profile', 'nix-0.1'], ["'nix-0.1'"], /unknown profile/),
  opt('run --jitter on sim', ['run', 'pr-15158', '--runtime', 'sim', '--jitter', '5'], ['--jitter', 'sim'], /threads runtime/),
  opt('run --max-steps on threads', ['run', 'pr-15158', '--max-steps', '5'], ['--max-steps', '--runtime sim'], /the sim runtime's step budget/),
  opt('run --max-steps 0', ['run', 'pr-15158', '--runtime', 'sim', '--max-steps', '0'], ['--max-steps', "'0'"], /expects an integer in 1\.\./),
  opt('run --timeout too short', ['run', 'pr-15158', '--timeout', '5'], ['--timeout', "'5'"], /expects an integer in 100\.\./),
  opt('run --workers 0', ['run', 'pr-15158', '--workers', '0'], ['--workers', "'0'"], /expects an integer in 1\.\./),
  opt('run --time-scale negative', ['run', 'pr-15158', '--time-scale', '-1'], ['--time-scale', "'-1'"], /expects a number in 0\.\.1000/),
  opt('run --time-scale word', ['run', 'pr-15158', '--time-scale', 'fast'], ['--time-scale', "'fast'"], /expects a number in 0\.\.1000/),
  opt('run --runtime gpu', ['run', 'pr-15158', '--runtime', 'gpu'], ['--runtime', "'gpu'"], /expects threads or sim/),
  opt('run --crash without a label', ['run', 'pr-15158', '--runtime', 'sim', '--crash', 'E1'], ['--crash', "'E1'"], /expects ACTOR@LABEL/),
  opt('run --crash of an unknown actor', ['run', 'pr-15158', '--runtime', 'sim', '--crash', 'Z9@build.run'], ['--crash', 'Z9'], /Z9/),
  opt('run --costs missing file', ['run', 'pr-15158', '--runtime', 'sim', '--costs', 'nope.yaml'], ['--costs', "'nope.yaml'"], /cannot read cost file 'nope\.yaml': no such file/),
  { name: 'run --costs unknown field', argv: ['run', 'pr-15158', '--runtime', 'sim', '--costs', 'c.yaml'], files: { 'c.yaml': 'costs: { bulid: 1 }\n' }, names: ['--costs c.yaml', "'bulid'"], says: /unknown cost 'bulid'/ },
  { name: 'run --costs too large', argv: ['run', 'pr-15158', '--runtime', 'sim', '--costs', 'c.yaml'], files: { 'c.yaml': 'costs: { op: 99999999 }\n' }, names: ['--costs c.yaml', "'op'"], says: /at most 3600000/ },
  { name: 'run --costs alias bomb', argv: ['run', 'pr-15158', '--runtime', 'sim', '--costs', 'c.yaml'], files: { 'c.yaml': laughs }, names: ['--costs c.yaml'], says: /not YAML or JSON/ },
  { name: 'run --costs oversized', argv: ['run', 'pr-15158', '--runtime', 'sim', '--costs', 'c.yaml'], files: { 'c.yaml': oversized }, names: ['--costs', "cost file 'c.yaml'"], says: /at most 16777216/ },
  opt('run --costs /dev/zero', ['run', 'pr-15158', '--runtime', 'sim', '--costs', '/dev/zero'], ['--costs', "'/dev/zero'"], /not a regular file/),
  opt('run with two scenarios', ['run', 'pr-15158', 'gc-sh'], ['run', 'one scenario'], /got 2/),
  opt('run with no scenario', ['run'], ['run', 'one scenario'], /got 0/),
  opt('an unknown command', ['frobnicate'], ["'frobnicate'"], /unknown command 'frobnicate'/),
  opt('a misspelt command', ['rnu', 'pr-15158'], ["'rnu'"], /did you mean 'run'/),
  opt('sweep --param workers=0', ['sweep', 'pr-15158', '--runtime', 'sim', '--param', 'workers=0'], ['--param workers'], /expects values ≥ 1/),
  opt('sweep --param in hex', ['sweep', 'pr-15158', '--runtime', 'sim', '--param', 'evaluators=0x2'], ['--param evaluators', "'0x2'"], /decimal digits/),
  opt('sweep --shard 3/2', ['sweep', 'pr-15158', '--runtime', 'sim', '--shard', '3/2'], ['--shard', "'3/2'"], /expects i\/n/),
  opt('sweep --shard 0/2', ['sweep', 'pr-15158', '--runtime', 'sim', '--shard', '0/2'], ['--shard', "'0/2'"], /expects i\/n/),
  opt('sweep --jobs 0', ['sweep', 'pr-15158', '--runtime', 'sim', '--jobs', '0'], ['--jobs', "'0'"], /expects an integer in 1\.\./),
  opt('explore --strategy bogus', ['explore', 'pr-15158', '--strategy', 'bogus'], ['--strategy', "'bogus'"], /random, pct or dfs|expects/),
  opt('explore --depth 0', ['explore', 'pr-15158', '--depth', '0'], ['--depth', "'0'"], /expects an integer/),
  opt('explore --faults bogus', ['explore', 'pr-15158', '--faults', 'boom'], ['--faults', "'boom'"], /kill|term/),
  opt('explore --jobs 0', ['explore', 'pr-15158', '--strategy', 'dfs', '--jobs', '0'], ['--jobs', "'0'"], /expects an integer/),
  opt('crashpoints --signal bogus', ['crashpoints', 'pr-15158', '--signal', 'hup'], ['--signal', "'hup'"], /kill or term|expects/),
  opt('versions --family bogus', ['versions', 'pr-15158', '--family', 'guix'], ['--family', "'guix'"], /upstream|expects/),
  opt('profiles show unknown', ['profiles', 'show', 'nix-9.9'], ["'nix-9.9'"], /unknown profile/),
  opt('profiles diff one', ['profiles', 'diff', 'nix-2.33'], ['profiles diff'], /two/),
  opt('scenarios show unknown', ['scenarios', 'show', 'no-such'], ["'no-such'"], /unknown scenario/),
  opt('clean --keep -1', ['clean', '--keep', '-1'], ['--keep', "'-1'"], /expects an integer/),
  opt('report with no file', ['report'], ['report', 'one events file'], /got 0/),
  opt('replay with no file', ['replay'], ['replay', 'one schedule file'], /got 0/),
  opt('shrink with no file', ['shrink'], ['shrink', 'one schedule file'], /got 0/),
  opt('shrink --max-replays 0', ['shrink', 's.json', '--max-replays', '0'], ['--max-replays', "'0'"], /expects an integer in 1\.\./),
  opt('merge with no file', ['merge'], ['merge', 'sweep JSON files'], /expects/),
  opt('help of an unknown command', ['help', 'frob'], ["'frob'"], /unknown command/),
];

// ---------------------------------------------------------------------------
// Event streams (report): the recorded pr-15158 run, cut and edited.

const stream = readFileSync(`${events}pr-15158-nix-2.33.ndjson`, 'utf8');
const lines = stream.trimEnd().split('\n');
const at = (k: number): string => lines[k]!;
/** The stream with one field taken out of line k (0-based). */
const without = (k: number, field: string): string => `${lines.map((l, j) => (j === k ? JSON.stringify({ ...(JSON.parse(l) as object), [field]: undefined }) : l)).join('\n')}\n`;
const ev = (name: string, text: string | (() => string), names: readonly string[], says: RegExp): BadInput => ({ name: `report ${name}`, argv: ['report', 'e.ndjson'], files: { 'e.ndjson': text }, names: ['e.ndjson', ...names], says });

const EVENT_CASES: BadInput[] = [
  ev('an empty file', '', [], /no events/),
  ev('a stream cut at a line end', `${lines.slice(0, 40).join('\n')}\n`, [':40:'], /ends here without inspect\.run\.end: it is truncated/),
  ev('a stream cut in the middle of a line', stream.slice(0, stream.indexOf('\n', 4000) - 10), [`:${stream.slice(0, stream.indexOf('\n', 4000)).split('\n').length}:`], /not valid JSON/),
  ev('a stream with its head cut', `${lines.slice(5).join('\n')}\n`, [':1:'], /the first line must carry schemaVersion/),
  ev('a stream with its first event cut', `${lines.slice(1).join('\n').replace(/^\{/, '{"schemaVersion":1,')}\n`, [':1:'], /the first event must be inspect\.run\.start/),
  ev('an event without its path', without(lines.findIndex((l) => l.includes('"inspect.tempRoot.add"')), 'path'), [`:${lines.findIndex((l) => l.includes('"inspect.tempRoot.add"')) + 1}:`, "inspect.tempRoot.add: field 'path'"], /must be a string/),
  ev('an event with a number for a string', `${lines.map((l, k) => (k === 3 ? l.replace(/"name":"[^"]*"/, '"name":3') : l)).join('\n')}\n`, [':4:', "field 'name'"], /must be a string/),
  ev('roots that are not a list', `${lines.map((l) => (l.includes('inspect.process.exit') ? l.replace(/"roots":\[[^\]]*\]/, '"roots":"x"') : l)).join('\n')}\n`, ["field 'roots'"], /must be a list of strings/),
  ev('an unknown event type', `${at(0)}\n${at(1).replace(/"type":"[^"]*"/, '"type":"inspect.bogus"')}\n`, [':2:', "'inspect.bogus'"], /unknown event type/),
  ev('seq going backwards', `${at(0)}\n${at(2)}\n${at(1)}\n`, [':3:', 'seq'], /does not increase/),
  ev('an event after run.end', `${stream}${at(1).replace(/"seq":\d+/, '"seq":999999')}\n`, [`:${lines.length + 1}:`], /after inspect\.run\.end/),
  ev('two runs in one file', `${stream}${at(0).replace(/"seq":\d+/, '"seq":999999')}\n`, [`:${lines.length + 1}:`], /a second run header|after inspect\.run\.end/),
  ev('a newer schema', stream.replace('"schemaVersion":1', '"schemaVersion":2'), [':1:', 'schemaVersion 2'], /unsupported schemaVersion/),
  ev('a JSON array', '[1,2,3]\n', [':1:'], /expected one JSON object per line/),
  ev('a missing header field', without(1, 'actor'), [':2:', "field 'actor'"], /must be a string/),
  ev('an oversized file', oversized, ["events file 'e.ndjson'"], /at most 16777216/),
  { name: 'report a missing file', argv: ['report', 'nope.ndjson'], names: ["events file 'nope.ndjson'"], says: /no such file/ },
  { name: 'report /dev/zero', argv: ['report', '/dev/zero'], names: ["events file '/dev/zero'"], says: /not a regular file/ },
];

export const CASES: readonly BadInput[] = [...SCENARIO_CASES, ...CLI_CASES, ...EVENT_CASES];
