/** Schedule files: a round trip keeps every decision; a defective file is one clear usage error. */
import { describe, expect, it } from 'vitest';
import { isRootraceError } from '../../../src/messages/errors.js';
import { parseSchedule, scheduleToJson, type Schedule } from '../../../src/runtime/sim/scheduleFile.js';
import { profileByName } from '../../../src/scenarios/index.js';
import { tinyScenario } from '../../fixtures/scenarios.js';

const schedule: Schedule = {
  scenario: tinyScenario,
  profile: profileByName('nix-2.35'),
  seed: 12,
  strategy: 'pct',
  finding: { kind: 'missing-derivation', message: "failed to obtain derivation of '/nix/store/x-foo.drv'" },
  eventHash: 'ab'.repeat(32),
  preemptions: 2,
  contextSwitches: 9,
  processSwitches: 3,
  decisions: [
    { actor: 'I', label: 'client.instantiate', seq: 0 },
    { actor: 'W(I)', label: 'daemon.request', seq: 0 },
  ],
};

function usageMessage(text: string): string {
  try {
    parseSchedule(text, 'f.json');
  } catch (e) {
    if (isRootraceError(e, 'rootrace.usage')) return e.message;
    throw e;
  }
  throw new Error('parsed a bad schedule file');
}

describe('schedule files', () => {
  it('round-trips', () => {
    expect(parseSchedule(scheduleToJson(schedule), 'f.json')).toEqual(schedule);
  });

  it('writes one decision per line', () => {
    expect(scheduleToJson(schedule)).toContain('\n    ["W(I)","daemon.request",0]\n');
  });

  it.each([
    ['not JSON', 'nope', /invalid JSON/],
    ['another kind of file', '{"kind":"x"}', /'kind' must be 'rootrace.schedule'/],
    ['a future version', JSON.stringify({ kind: 'rootrace.schedule', schemaVersion: 99 }), /unsupported schemaVersion 99/],
    ['a bad decision', scheduleToJson(schedule).replace('["W(I)","daemon.request",0]', '["W(I)",3]'), /decisions\[1\] must be \[actor, label, seq\]/],
    ['an unknown switch value', scheduleToJson(schedule).replace('"always-add"', '"sometimes"').replace('"root-then-early-return"', '"sometimes"'), /profile\.switches\.writeDerivation/],
    ['a process without steps', scheduleToJson({ ...schedule, scenario: { ...tinyScenario, processes: [{ name: 'I', kind: 'evaluator' } as never] } }), /scenario\.processes\[0\]/],
  ])('rejects %s with one message naming the file', (_what, text, re) => {
    const m = usageMessage(text);
    expect(m).toMatch(/^f\.json: not a rootrace schedule file: /);
    expect(m).toMatch(re);
  });
});
