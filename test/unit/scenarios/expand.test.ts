/** Valid scenario files to the exact ScenarioRun the engine gets: defaults, {i}, $param, expressions, step forms. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolve } from '../../../src/actors/derivations.js';
import { DEFAULT_SETTINGS } from '../../../src/messages/profile.js';
import { baseNameOf } from '../../../src/store/index.js';
import { expandScenario } from '../../../src/scenarios/file/expand.js';
import { loadScenarioFile, parseScenario } from '../../../src/scenarios/file/load.js';

const valid = (f: string): string => fileURLToPath(new URL(`../../fixtures/valid/${f}`, import.meta.url));
const expand = (f: string, params: string[] = []) => expandScenario(loadScenarioFile(valid(f)), params);
const drv = (name: string, more: object = {}) => ({ name, inputDrvs: [], inputSrcs: [], outputs: ['out'], outputSize: 4096, ...more });

describe('expandScenario', () => {
  it('minimal.yaml: every default filled in', () => {
    const x = expand('minimal.yaml');
    expect(x.run).toEqual({
      name: 'minimal',
      derivations: [drv('hello')],
      sources: [],
      initial: { drvs: [], srcs: [], roots: [], junk: [] },
      settings: DEFAULT_SETTINGS,
      processes: [{ name: 'X', kind: 'evaluator', steps: [{ op: 'instantiate', drv: 'hello' }] }],
    });
    expect('hooks' in x.run).toBe(false);
    expect(x).toMatchObject({ sets: [], defaultProfile: 'nix-2.35', profiles: ['nix-2.8', 'nix-2.33', 'nix-2.34', 'nix-2.35'], params: {} });
    expect(x.expectations.get('nix-2.35')).toBeUndefined();
  });

  it('minimal.json: JSON, full-form steps, repeat from a parameter', () => {
    const x = expand('minimal.json');
    expect(x.run.derivations.map((d) => d.name)).toEqual(['hello-1', 'hello-2', 'hello-3']);
    expect(x.run.processes[0]!.steps).toEqual([{ op: 'instantiate', drv: 'hello-3' }]);
    expect(expand('minimal.json', ['n=5']).run.derivations).toHaveLength(5);
    expect(x.profiles.every((p) => x.expectations.get(p)?.findings === 'none')).toBe(true);
  });

  it('full.yaml: settings from expressions, sources and derivations with defaults and {i}', () => {
    const x = expand('full.yaml');
    expect(x.params).toEqual({ evaluators: 2, pressure: 1048576 });
    expect(x.parameters['evaluators']).toEqual({ default: 2, min: 1, max: 8, doc: 'second-wave evaluators' });
    expect(x.run.settings).toEqual({ minFree: 68157440, maxFree: 69206016, minFreeCheckInterval: 0, keepDerivations: false, keepOutputs: true, freeSpace: 67108864, totalBytes: 1073741824 });
    expect(x.run.sources).toEqual([
      { name: 'hosts-src', contents: '127.0.0.1 localhost\n', size: 128 },
      { name: 'patch-1', contents: 'patch-1', size: 1024 },
      { name: 'patch-2', contents: 'patch-2', size: 1024 },
    ]);
    expect(x.run.derivations).toEqual([
      drv('hosts', { inputSrcs: ['hosts-src'] }),
      drv('multi', { outputs: ['out', 'dev'], outputSize: 1048576 }),
      drv('nixos-test-1', { inputDrvs: ['hosts'], inputSrcs: ['patch-1'] }),
      drv('nixos-test-2', { inputDrvs: ['hosts'], inputSrcs: ['patch-1'] }),
    ]);
    expect(x).toMatchObject({ sets: ['fetcherCacheHit=check-no-root', 'rootsSocketRetryMs=5'], defaultProfile: 'nix-2.33', profiles: ['nix-2.33', 'nix-2.35'] });
  });

  it('full.yaml: every step form, repeated processes and hooks', () => {
    const x = expand('full.yaml');
    expect(x.run.processes.map((p) => [p.name, p.kind])).toEqual([['X', 'evaluator'], ['E1', 'evaluator'], ['E2', 'evaluator'], ['gc', 'nix-collect-garbage']]);
    expect(x.run.processes[0]!.steps).toEqual([
      { op: 'instantiate', drv: 'hosts' },
      { op: 'instantiate', drv: 'multi', addRoot: './drv' },
      { op: 'realise', drv: 'multi' },
      { op: 'writeDerivation', drv: 'hosts' },
      { op: 'fetchToStore', src: 'hosts-src' },
      { op: 'addRoot', drv: 'multi', link: './result' },
      { op: 'removeRoot', link: './result' },
      { op: 'ensurePath', drv: 'multi' },
      { op: 'collectGarbage' },
      { op: 'collectGarbage', maxFreed: 1048576 },
      { op: 'barrier', name: 'started' },
      { op: 'sleep', ms: 10 },
      { op: 'dropConnection' },
      { op: 'killDaemonWorker' },
      { op: 'realise', drv: 'hosts' },
      { op: 'addRoot', drv: 'hosts', link: './r2' },
      { op: 'sleep', ms: 1 },
    ]);
    expect(x.run.processes[2]!.steps).toEqual([{ op: 'awaitExit', process: 'X' }, { op: 'instantiate', drv: 'nixos-test-2' }]);
    expect(x.run.hooks).toEqual([
      { process: 'E1', label: 'build.run', occurrence: 1, barriers: ['go-1'] },
      { process: 'E2', label: 'build.run', occurrence: 1, barriers: ['go-2'] },
      { process: 'X', label: 'gc.locked', occurrence: 2, barriers: ['go-1', 'go-2'] },
    ]);
  });

  it('full.yaml: the initial store, junk named after resolved store paths', () => {
    const x = expand('full.yaml');
    const r = resolve(x.run);
    const base = (p: string | undefined): string => baseNameOf(p!);
    const multi = r.drvs.get('multi')!;
    const hosts = r.drvs.get('hosts')!;
    expect(x.run.initial.drvs).toEqual([{ drv: 'multi', built: true }, { drv: 'hosts', built: false }]);
    expect(x.run.initial.srcs).toEqual(['hosts-src']);
    expect(x.run.initial.roots).toEqual([
      { link: '/nix/var/nix/gcroots/multi', drv: 'multi', output: true, indirect: false },
      { link: '/home/u/result', drv: 'hosts', output: false, indirect: true },
    ]);
    const entries = [r.srcs.get('hosts-src')!.path, multi.drvPath, multi.outputs.get('out'), multi.outputs.get('dev'), hosts.drvPath].map(base);
    expect(new Map(x.run.initial.junk.map((j) => [j.name, j.size]))).toEqual(
      new Map([['tmp-1', 10], [`${base(multi.outputs.get('out'))}.lock`, 0], ...entries.map((e) => [`${e}.chroot`, 0] as [string, number])]),
    );
  });

  it('full.yaml: expectations per profile (an entry replaces default whole), references as base names', () => {
    const x = expand('full.yaml');
    const r = resolve(x.run);
    const out = baseNameOf(r.drvs.get('multi')!.outputs.get('out')!);
    expect(x.expectations.get('nix-2.8')).toEqual({ findings: 'none', kept: [], deleted: [], errors: [] });
    expect(x.expectations.get('nix-2.33')!.findings).toEqual(['invalid-reference', 'gc-aborted']);
    const e = x.expectations.get('nix-2.35')!;
    expect(e.findings).toBeNull(); // nix-2.35 says nothing about findings, and does not inherit default's
    expect(e.kept.map((k) => [k.ref, k.baseName])).toEqual([
      ['out:multi', out],
      ['out:multi:dev', baseNameOf(r.drvs.get('multi')!.outputs.get('dev')!)],
      ['lock:out:multi', `${out}.lock`],
      ['junk:tmp-1', 'tmp-1'],
      ['chroot:src:hosts-src', `${baseNameOf(r.srcs.get('hosts-src')!.path)}.chroot`],
    ]);
    expect(e.deleted).toEqual([{ ref: 'drv:hosts', baseName: baseNameOf(r.drvs.get('hosts')!.drvPath) }]);
  });

  it('--param overrides a default everywhere it is used: repeat, {i} names, expressions', () => {
    const x = expand('full.yaml', ['evaluators=3', 'pressure=2048']);
    expect(x.run.processes.map((p) => p.name)).toEqual(['X', 'E1', 'E2', 'E3', 'gc']);
    expect(x.run.derivations.map((d) => d.name).slice(2)).toEqual(['nixos-test-1', 'nixos-test-2', 'nixos-test-3']);
    expect(x.run.hooks!.filter((h) => h.label === 'build.run').map((h) => h.process)).toEqual(['E1', 'E2', 'E3']);
    expect(x.run.settings.minFree).toBe(64 * 1048576 + 2048);
    expect(x.run.settings.maxFree).toBe(64 * 1048576 + 4096);
  });

  it.each([
    [['evaluators=two'], /full\.yaml: --param evaluators expects an integer in 1\.\.8, got 'two'/],
    [['evaluators=9'], /--param evaluators expects an integer in 1\.\.8, got '9'/],
    [['evaluators=1.5'], /--param evaluators expects an integer in 1\.\.8/],
    [['nope=1'], /--param nope: scenario 'full' has no parameter 'nope' \(parameters: evaluators, pressure\)/],
    [['evaluators'], /--param expects name=value, got 'evaluators'/],
  ])('--param %j is a usage error', (args, re) => {
    expect(() => expand('full.yaml', args)).toThrow(re);
  });

  it('integer expressions: precedence, parentheses, unary minus, {i} inside a repeated entry', () => {
    const doc = parseScenario(
      'expr.yaml',
      [
        'schemaVersion: 1',
        'name: expr',
        'summary: s',
        'source: s',
        'parameters: { a: 3, b: 4 }',
        'settings: { min-free: "$a + $b * 2", max-free: "($a + $b) * 2", total-bytes: "-$a + 10" }',
        'sources: [ { name: "s{i}", size: "{i} * 100 + $a", repeat: 2 } ]',
        'processes: [ { name: X, kind: evaluator, steps: [ sleep: "$b" ] } ]',
      ].join('\n'),
    );
    const x = expandScenario(doc);
    expect([x.run.settings.minFree, x.run.settings.maxFree, x.run.settings.totalBytes]).toEqual([11, 14, 7]);
    expect(x.run.sources.map((s) => s.size)).toEqual([103, 203]);
    expect(x.run.processes[0]!.steps).toEqual([{ op: 'sleep', ms: 4 }]);
  });

  it('repeat: 0 gives no copies; a hook named by a single repeated copy is allowed', () => {
    const doc = parseScenario(
      'r.yaml',
      'schemaVersion: 1\nname: r\nsummary: s\nsource: s\nparameters: { n: 1 }\nderivations: [ { name: "d{i}", repeat: 0 } ]\nprocesses: [ { name: "P{i}", kind: evaluator, repeat: $n, steps: [ barrier: "b{i}" ] } ]\n',
    );
    const x = expandScenario(doc);
    expect(x.run.derivations).toEqual([]);
    expect(x.run.processes[0]!.steps).toEqual([{ op: 'barrier', name: 'b1' }]);
  });

  it('expect: "any" and an entry without findings put no constraint on findings; default covers unlisted profiles', () => {
    const doc = parseScenario(
      'e.yaml',
      'schemaVersion: 1\nname: e\nsummary: s\nsource: s\nprocesses: [ { name: X, kind: evaluator, steps: [] } ]\nexpect:\n  default: { findings: any }\n  nix-2.33: { findings: [gc-aborted] }\n  nix-2.8: {}\n',
    );
    const x = expandScenario(doc);
    expect(Object.fromEntries(['nix-2.8', 'nix-2.33', 'nix-2.34', 'nix-2.35', 'nix-2.24.12'].map((p) => [p, x.expectations.get(p)?.findings]))).toEqual({ 'nix-2.8': null, 'nix-2.33': ['gc-aborted'], 'nix-2.34': null, 'nix-2.35': null, 'nix-2.24.12': null });
  });

  it('YAML anchors and aliases are followed, for values and for line numbers', () => {
    const ok = parseScenario(
      'b.yaml',
      'schemaVersion: 1\nname: b\nsummary: s\nsource: s\nderivations: [ { name: d } ]\nprocesses:\n  - { name: X, kind: evaluator, steps: &steps [ instantiate: d ] }\n  - { name: Y, kind: evaluator, steps: *steps }\n',
    );
    expect(expandScenario(ok).run.processes[1]!.steps).toEqual([{ op: 'instantiate', drv: 'd' }]);
    expect(ok.at.lineOf(['processes', 1, 'steps', 0, 'instantiate'])).toBe(7);
    expect(ok.at.lineOf(['processes', 1, 'kind'])).toBe(8);
  });
});

describe('input patterns', () => {
  const doc = (n: number) => `schemaVersion: 1
name: p
summary: s
source: s
parameters: { n: { default: ${n}, min: 0 } }
sources: [ { name: a-src }, { name: b-src } ]
derivations:
  - { name: "lib-{i}", repeat: $n }
  - { name: top, inputDrvs: ["lib-*"], inputSrcs: ["*-src"] }
processes: [ { name: X, kind: evaluator, steps: [ { instantiate: top } ] } ]
`;

  it('a * pattern stands for every defined name it matches, in definition order', () => {
    const run = expandScenario(parseScenario('p.yaml', doc(3))).run;
    expect(run.derivations.find((d) => d.name === 'top')).toMatchObject({ inputDrvs: ['lib-1', 'lib-2', 'lib-3'], inputSrcs: ['a-src', 'b-src'] });
  });

  it('matches nothing when the repeat count is 0, and never the derivation itself', () => {
    const run = expandScenario(parseScenario('p.yaml', doc(0))).run;
    expect(run.derivations.find((d) => d.name === 'top')!.inputDrvs).toEqual([]);
    const self = expandScenario(parseScenario('q.yaml', doc(1).replace('inputDrvs: ["lib-*"]', 'inputDrvs: ["*"]'))).run;
    expect(self.derivations.find((d) => d.name === 'top')!.inputDrvs).toEqual(['lib-1']);
  });
});
