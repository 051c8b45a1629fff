/** A scenario file's `crash:` entries: defaults, repeat, and one message at the field for an actor no run can have. */
import { describe, expect, it } from 'vitest';
import { isRootraceError } from '../../../src/messages/errors.js';
import { expandScenario } from '../../../src/scenarios/file/expand.js';
import { parseScenario } from '../../../src/scenarios/file/load.js';

const file = (crash: string): string => `schemaVersion: 1
name: crashy
summary: s
source: t
derivations: [ { name: foo } ]
processes:
  - { name: E1, kind: evaluator, steps: [ { instantiate: foo } ] }
  - { name: G, kind: nix-collect-garbage, steps: [ { collectGarbage: {} } ] }
crash:
${crash}
`;

const expand = (crash: string) => expandScenario(parseScenario('crashy.yaml', file(crash)));

function failure(crash: string): Error {
  try {
    expand(crash);
  } catch (e) {
    expect(isRootraceError(e, 'rootrace.usage')).toBe(true);
    return e as Error;
  }
  throw new Error('expected the file to be rejected');
}

describe('crash entries', () => {
  it('signal defaults to kill and occurrence to 1; repeat makes one entry per {i}', () => {
    const x = expand(`  - { process: "W(E1)", label: addToStore.register }
  - { process: G, label: gc.visit, occurrence: "1 + 2", signal: term }
  - { process: "gc-thread(W(E1))", label: gc.deleteFromDisk, occurrence: "{i}", repeat: 2 }`);
    expect(x.run.crash).toEqual([
      { process: 'W(E1)', label: 'addToStore.register', occurrence: 1, signal: 'kill' },
      { process: 'G', label: 'gc.visit', occurrence: 3, signal: 'term' },
      { process: 'gc-thread(W(E1))', label: 'gc.deleteFromDisk', occurrence: 1, signal: 'kill' },
      { process: 'gc-thread(W(E1))', label: 'gc.deleteFromDisk', occurrence: 2, signal: 'kill' },
    ]);
  });

  it('an actor the scenario cannot have is an error at its field', () => {
    expect(failure('  - { process: E9, label: gc.visit }').message).toMatch(/crashy\.yaml: line \d+: crash\[0\]\.process: unknown process 'E9' \(defined: E1, G\)/);
    expect(failure('  - { process: "W(G)", label: gc.visit }').message).toMatch(/crash\[0\]\.process: 'G' opens the store itself/);
    expect(failure('  - { process: "gc-thread(E1)", label: gc.visit }').message).toMatch(/its auto-GC runs in its worker, 'gc-thread\(W\(E1\)\)'/);
    expect(failure('  - { process: E1, label: gc.visit, signal: stop }').message).toMatch(/crash\[0\]\.signal/);
    expect(failure('  - { process: E1 }').message).toMatch(/label/);
  });

  it('a file without crash entries has none', () => {
    const x = expandScenario(parseScenario('crashy.yaml', file('  []')));
    expect('crash' in x.run).toBe(false);
  });
});
