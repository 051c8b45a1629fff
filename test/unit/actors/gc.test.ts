import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../../src/actors/gc.js';
import { StateLock } from '../../../src/actors/stateLock.js';
import { mintPid } from '../../../src/messages/ids.js';
import { DEFAULT_SETTINGS } from '../../../src/messages/profile.js';
import { makeTextPath, type Store } from '../../../src/store/index.js';
import { FakeContext, FakeWorld, newStore, switchesOf } from './fakeContext.js';

const A = makeTextPath('a', 'a', []);
const B = makeTextPath('b', 'b', [A]);
const C = makeTextPath('c', 'c', []);

function addValid(s: Store, path: string, refs: string[] = [], size = 100): void {
  const id = s.intern(path);
  s.disk.create(id, size);
  s.db.registerValidPaths([{ path: id, references: refs.map((r) => s.intern(r)) }]);
}

const gc = (ctx: FakeContext, maxFreed = Number.MAX_SAFE_INTEGER) => collectGarbage(ctx, { action: 'deleteDead', maxFreed, run: 'gc#1' }, new StateLock(ctx, null));

describe('collectGarbage', () => {
  it('deletes unrooted paths referrers-first, with Nix log lines, and releases gc.lock', async () => {
    const world = new FakeWorld(newStore());
    const s = world.store;
    addValid(s, A);
    addValid(s, B, [A]);
    const ctx = new FakeContext(world, 1);
    const r = await gc(ctx);
    expect(r.deleted).toEqual([B, A]);
    expect(r.bytesFreed).toBe(200);
    expect(s.db.validCount()).toBe(0);
    expect(ctx.logs()).toEqual(expect.arrayContaining(['finding garbage collector roots...', 'deleting garbage...', `deleting '${B}'`, `deleting '${A}'`, 'deleting unused links...']));
    expect(s.flock.lockState(s.gcLockFile)).toBe(0);
    expect(s.gcSocketExists()).toBe(true); // the socket file outlives the GC: later clients get ECONNREFUSED
  });

  it('keeps a permanent root and its closure; a stale indirect root is removed', async () => {
    const world = new FakeWorld(newStore());
    const s = world.store;
    addValid(s, A);
    addValid(s, B, [A]);
    addValid(s, C);
    s.roots.addDirect('/nix/var/nix/gcroots/foo', s.intern(B));
    s.roots.addIndirect('/home/u/result', s.intern(C));
    s.roots.removeLink('/home/u/result');
    const ctx = new FakeContext(world, 1);
    const r = await gc(ctx);
    expect(r.deleted).toEqual([C]);
    expect(ctx.logs()).toContain(`removing stale link from '/home/u/result' to '${C}'`);
    expect(s.roots.list().map((x) => x.link)).toEqual(['/nix/var/nix/gcroots/foo']);
  });

  it('a live temp root protects the path and, by hash part, its .lock; a permanent root does not protect X.lock', async () => {
    const world = new FakeWorld(newStore());
    const s = world.store;
    addValid(s, A);
    addValid(s, C);
    s.disk.create(s.intern(`${A}.lock`), 0);
    s.disk.create(s.intern(`${C}.lock`), 0);
    s.roots.addDirect('/nix/var/nix/gcroots/c', s.intern(C));
    const owner = s.tempRoots.openOrCreate(mintPid(50), 50);
    s.flock.tryLock(owner, 'exclusive');
    s.tempRoots.append(owner, s.intern(A));
    const r = await gc(new FakeContext(world, 1));
    expect(r.deleted).toEqual([`${C}.lock`]);
    expect(s.disk.exists(s.intern(`${A}.lock`))).toBe(true);
  });

  it('removes a temp-roots file whose owner is dead (lockable), writing d, and ignores its roots', async () => {
    const world = new FakeWorld(newStore());
    const s = world.store;
    addValid(s, A);
    const dead = s.tempRoots.openOrCreate(mintPid(60), 60);
    s.flock.tryLock(dead, 'exclusive');
    s.tempRoots.append(dead, s.intern(A));
    s.releaseAllLocksOf(60); // the kernel, at the owner's death
    const ctx = new FakeContext(world, 1);
    const r = await gc(ctx);
    expect(ctx.logs()).toContain("removing stale temporary roots file '/nix/var/nix/temproots/60'");
    expect(s.tempRoots.exists(60)).toBe(false);
    expect(r.deleted).toEqual([A]);
  });

  it('keep-derivations: a drv lives while its output lives; off, the drv dies and the rooted output lives (gc.sh)', async () => {
    for (const keepDerivations of [true, false]) {
      const world = new FakeWorld(newStore());
      const s = world.store;
      const drv = makeTextPath('foo.drv', 'foo', []);
      const out = makeTextPath('foo', 'out', []);
      addValid(s, drv);
      const outId = s.intern(out);
      s.db.registerValidPaths([{ path: s.intern(drv), references: [], outputs: [outId] }]);
      s.disk.create(outId, 10);
      s.db.registerValidPaths([{ path: outId, references: [], deriver: s.intern(drv) }]);
      s.roots.addDirect('/nix/var/nix/gcroots/foo', outId);
      const ctx = new FakeContext(world, 1, switchesOf('nix-2.35'), { ...DEFAULT_SETTINGS, keepDerivations });
      const r = await gc(ctx);
      expect(r.deleted).toEqual(keepDerivations ? [] : [drv]);
      expect(s.db.isValid(outId)).toBe(true);
    }
  });

  it('stops after maxFreed bytes with Nix text', async () => {
    const world = new FakeWorld(newStore());
    const s = world.store;
    addValid(s, A);
    addValid(s, C);
    const ctx = new FakeContext(world, 1);
    const r = await gc(ctx, 50);
    expect(r.deleted).toHaveLength(1);
    expect(ctx.logs()).toContain('deleted more than 50 bytes; stopping');
  });

  it('serves the roots socket: a root sent during the GC is acked and protects the path', async () => {
    const world = new FakeWorld(newStore());
    const s = world.store;
    addValid(s, A);
    const gcCtx = new FakeContext(world, 1);
    const client = new FakeContext(world, 2);
    const running = gc(gcCtx);
    // Wait until the server is up, then send a root as addTempRoot would.
    while (!world.listener) await new Promise((r) => setImmediate(r));
    const conn = await client.connect<{ type: 'roots.ack' }, { type: 'roots.add'; path: string }>({ kind: 'gcSocket' });
    conn.send({ type: 'roots.add', path: A });
    expect(await conn.receive()).toEqual({ type: 'roots.ack' });
    const r = await running;
    expect(r.deleted).toEqual([]);
    expect(gcCtx.events).toContainEqual(expect.objectContaining({ type: 'inspect.roots.ack', path: A }));
  });
});
