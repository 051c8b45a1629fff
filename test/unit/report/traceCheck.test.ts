/** An `inspect.check` in the trace: an instant on the checking actor's track with its answer, site and switch. */
import { describe, expect, it } from 'vitest';
import type { InspectEvent } from '../../../src/messages/inspect.js';
import { renderTrace } from '../../../src/report/index.js';
import { checkTrace } from './traceStructure.js';

const P = '/nix/store/91cr4r0w0vf4yahqhkf0awbckdzx858j-hosts.drv';
const events: InspectEvent[] = [
  { seq: 0, t: 0, thread: 0, pid: 0, actor: 'coordinator', type: 'inspect.run.start', scenario: 's', profile: 'nix-2.33', seed: 1, free: 10, used: 0 },
  { seq: 1, t: 10, thread: 1, pid: 1001, actor: 'E1', type: 'inspect.process.start', role: 'evaluator', name: 'E1' },
  {
    seq: 2, t: 20, thread: 1, pid: 1001, actor: 'E1', type: 'inspect.check', check: 'isValidPath', site: 'writeDerivation', path: P, valid: true, rooted: false,
    then: 'returned early without a temp root', switch: { name: 'writeDerivation', value: 'early-return-no-root' },
  },
  { seq: 3, t: 30, thread: 1, pid: 1001, actor: 'E1', type: 'inspect.check', check: 'isValidPath', site: 'fetchToStore', path: P, valid: false, rooted: true, then: 'added it' },
  { seq: 4, t: 40, thread: 0, pid: 0, actor: 'coordinator', type: 'inspect.run.end' },
];

describe('renderTrace: inspect.check', () => {
  const text = renderTrace(events);
  const evs = (JSON.parse(text) as { traceEvents: { name: string; ph: string; args?: Record<string, unknown> }[] }).traceEvents;

  it('is an instant naming the site, the answer and whether it was rooted, with the switch in its args', () => {
    const [a, b] = evs.filter((e) => e.ph === 'i' && /isValidPath/.test(e.name));
    expect(a).toMatchObject({ name: 'writeDerivation: isValidPath 91cr4r0w0vf4yahqhkf0awbckdzx858j-hosts.drv → true (not rooted)', args: { seq: 2, site: 'writeDerivation', valid: true, rooted: false, then: 'returned early without a temp root', switch: 'writeDerivation=early-return-no-root' } });
    expect(b).toMatchObject({ name: 'fetchToStore: isValidPath 91cr4r0w0vf4yahqhkf0awbckdzx858j-hosts.drv → false', args: { seq: 3, rooted: true } });
    expect(b!.args).not.toHaveProperty('switch');
  });

  it('keeps the trace well formed', () => {
    expect(checkTrace(text)).toEqual([]);
  });
});
