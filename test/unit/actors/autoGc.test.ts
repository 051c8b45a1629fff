import { describe, expect, it } from 'vitest';
import { AutoGc } from '../../../src/actors/autoGc.js';
import { StateLock } from '../../../src/actors/stateLock.js';
import { DEFAULT_SETTINGS, type NixSettings } from '../../../src/messages/profile.js';
import { FakeContext, FakeWorld, newStore, switchesOf } from './fakeContext.js';

function setup(settings: Partial<NixSettings>) {
  const world = new FakeWorld(newStore());
  const ctx = new FakeContext(world, 1, switchesOf('nix-2.35'), { ...DEFAULT_SETTINGS, ...settings });
  world.store.disk.setFreeSpaceOverride(settings.freeSpace ?? null);
  return { world, ctx, auto: new AutoGc(ctx, new StateLock(ctx, null)) };
}

const decisions = (ctx: FakeContext) => ctx.events.flatMap((e) => (e.type === 'inspect.autoGc.decision' ? [e.decision] : []));

describe('autoGC decision table (§4)', () => {
  it('min-free 0 never collects', async () => {
    const { ctx, auto } = setup({ minFree: 0, freeSpace: 10 });
    await auto.autoGC(true);
    expect(ctx.gcThreadRuns).toBe(0);
  });

  it('runs when free space is below min-free, asking to free max-free − avail, and logs Nix text', async () => {
    const { ctx, auto } = setup({ minFree: 1000, maxFree: 5000, freeSpace: 200 });
    await auto.autoGC(true);
    expect(ctx.gcThreadRuns).toBe(1);
    expect(ctx.logs()).toContain('running auto-GC to free 4800 bytes');
  });

  it('enough free space skips', async () => {
    const { ctx, auto } = setup({ minFree: 1000, maxFree: 5000, freeSpace: 2000 });
    await auto.autoGC(true);
    expect(decisions(ctx)).toEqual(['skip-enough-free']);
  });

  it('checks at most once per min-free-check-interval, and not again when the last GC freed too little', async () => {
    const { world, ctx, auto } = setup({ minFree: 1000, maxFree: 5000, freeSpace: 200, minFreeCheckInterval: 5 });
    await auto.autoGC(true);
    await auto.autoGC(true); // within the interval: no check at all
    expect(ctx.gcThreadRuns).toBe(1);
    world.clock += 10;
    await auto.autoGC(true); // avail (200) > availAfterGC (200) × 0.97: no progress to be had
    expect(ctx.gcThreadRuns).toBe(1);
    expect(decisions(ctx)).toEqual(['run', 'skip-no-progress']);
  });
});
