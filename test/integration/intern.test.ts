import { afterEach, describe, expect, it } from 'vitest';
import { mintPathId } from '../../src/messages/ids.js';
import { Store, capacitiesFor, makeSourcePath } from '../../src/store/index.js';
import { WorkerGroup } from './harness.js';
import type { InternData, InternedMsg } from './workers/protocol.js';
import { makeControl } from './workers/shared.mjs';

const NAMES = 5_000;
const group = new WorkerGroup();
afterEach(() => group.terminateAll());

describe('intern table under 4 threads', () => {
  it('gives one id per name when 4 workers intern the same 5,000 names in different orders', async () => {
    const store = Store.create(capacitiesFor({ paths: NAMES + 16 }));
    const names = Array.from({ length: NAMES }, (_, i) => makeSourcePath(`pkg-${i}`, `contents of ${i}`));
    const ctl = makeControl();
    const orders = ['forward', 'forward', 'reverse', 'shuffled'] as const;
    const workers = orders.map((order, i) => {
      const data: InternData = { sab: store.sab, ctl, parties: orders.length, names, order, seed: 1000 + i };
      return group.spawn<InternedMsg>('intern.worker.mjs', data);
    });
    const maps = await Promise.all(workers.map((w) => w.next('interned')));

    // Identical maps: every thread got the same id for each name.
    for (const m of maps.slice(1)) expect(m.ids).toEqual(maps[0]!.ids);
    const ids = maps[0]!.ids;
    expect(store.paths.count()).toBe(NAMES);
    expect(new Set(ids).size).toBe(NAMES);
    // And each id names what was interned, as seen from this thread.
    ids.forEach((id, i) => expect(store.storePath(mintPathId(id))).toBe(names[i]));
    expect(store.paths.lookup(names[123]!)).toBe(ids[123]);
  });
});
