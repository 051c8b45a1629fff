/** Finding scenarios: files by path, the catalogue folder by name, TypeScript built-ins until a file replaces them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogueFiles, looksLikePath, packageScenariosDir } from '../../../src/scenarios/file/discover.js';
import { catalogueNames, listScenarios, openScenario, profilesFor } from '../../../src/scenarios/file/entry.js';

const minimal = (name: string): string =>
  `schemaVersion: 1\nname: ${name}\nsummary: the ${name} scenario\nsource: test\nderivations: [ { name: a } ]\nprocesses: [ { name: X, kind: evaluator, steps: [ instantiate: a ] } ]\n`;

function catalogue(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rootrace-cat-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('scenario lookup', () => {
  it('tells paths from names', () => {
    expect(['./x.yaml', 'a/b', 'x.yml', 'x.JSON', 'C:\\x'].every(looksLikePath)).toBe(true);
    expect(['pr-15158', 'gc-sh'].some(looksLikePath)).toBe(false);
  });

  it('the package folder is <package root>/scenarios', () => {
    expect(packageScenariosDir()).toBe(fileURLToPath(new URL('../../../scenarios', import.meta.url)));
  });

  it('lists *.yaml, *.yml and *.json by name', () => {
    const dir = catalogue({ 'b.yml': minimal('b'), 'pr-15158.yaml': minimal('pr-15158'), 'a.json': JSON.stringify({ schemaVersion: 1, name: 'a', summary: 's', source: 's', processes: [{ name: 'X', kind: 'evaluator', steps: [] }] }), 'notes.txt': 'x' });
    expect(catalogueFiles(dir).map((f) => f.name)).toEqual(['a', 'b', 'pr-15158']);
    const all = listScenarios(dir);
    expect(all.map((e) => e.name)).toEqual(['a', 'b', 'pr-15158']);
    expect(openScenario('pr-15158', dir).summary).toBe('the pr-15158 scenario');
    expect(openScenario('b', dir).text).toBe(minimal('b'));
  });

  it('the shipped catalogue has pr-15158 with expectations for check', () => {
    const x = openScenario('pr-15158').expand([]);
    expect(x.defaultProfile).toBe('nix-2.33');
    expect(x.expectations.get('nix-2.33')!.findings).toEqual(['invalid-reference']);
    expect(x.expectations.get('nix-2.35')!.findings).toBe('none');
    expect(catalogueNames(catalogue({}))).toEqual([]);
  });

  it('a catalogue file is named after itself; two files of one name are an error', () => {
    expect(() => listScenarios(catalogue({ 'x.yaml': minimal('y') }))).toThrow(/x\.yaml: line 2: name: expected 'x' \(a catalogue file's name is its file name\), got 'y'/);
    expect(() => catalogueFiles(catalogue({ 'x.yaml': minimal('x'), 'x.json': '{}' }))).toThrow(/catalogue scenario 'x' is defined twice: x\.json and x\.yaml/);
  });

  it('unknown names and missing files are usage errors', () => {
    expect(() => openScenario('nope', catalogue({}))).toThrow(/unknown scenario 'nope' \(built in: ; or give a path/);
    expect(() => openScenario('./no-such.yaml')).toThrow(/cannot read scenario file 'no-such\.yaml': no such file/);
  });

  it("profiles get the file's set under their own name, then --set with the usual suffix", () => {
    const dir = catalogue({ 's.yaml': `${minimal('s')}set: { writeDerivation: early-return-no-root }\n` });
    const x = openScenario('s', dir).expand();
    const [plain] = profilesFor(x, ['nix-2.35'], []);
    expect(plain!.name).toBe('nix-2.35');
    expect(plain!.switches.writeDerivation).toBe('early-return-no-root');
    const [cli] = profilesFor(x, ['nix-2.35'], ['writeDerivation=always-add']);
    expect(cli!.name).toBe('nix-2.35+writeDerivation=always-add');
    expect(cli!.switches.writeDerivation).toBe('always-add');
  });

  it('every file of the shipped catalogue loads and expands', () => {
    for (const e of listScenarios()) {
      const x = e.expand();
      expect(x.run.name).toBe(e.name);
      for (const p of x.profiles) expect(x.expectations.get(p), `${e.name} has an expectation for ${p}`).toBeDefined();
    }
  });
});
