import { describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/actors/localStore.js';
import { makeTextPath } from '../../../src/store/index.js';
import { mintPid } from '../../../src/messages/ids.js';
import { FakeContext, FakeWorld, newStore, switchesOf } from './fakeContext.js';

const P = makeTextPath('p.drv', 'p', []);

describe('LocalStore.addTempRoot', () => {
  it('creates temproots/<pid> lazily, holds LOCK_EX on it, appends the root and drops gc.lock LOCK_SH', async () => {
    const world = new FakeWorld(newStore());
    const ctx = new FakeContext(world, 42);
    const local = new LocalStore(ctx);
    const s = world.store;
    expect(s.tempRoots.exists(42)).toBe(false);
    await local.addTempRoot(s.intern(P));
    expect(s.tempRoots.exists(42)).toBe(true);
    const file = s.tempRoots.list().find((f) => f.name === 42)!;
    expect(s.tempRoots.readFile(file.file).map((x) => s.storePath(x))).toEqual([P]);
    expect(s.flock.holders()).toEqual([expect.objectContaining({ owner: 42, mode: 'exclusive', file: file.file })]);
    expect(s.flock.lockState(s.gcLockFile)).toBe(0);
    expect(ctx.events).toContainEqual({ type: 'inspect.tempRoot.add', path: P, via: 'file' });
  });

  it('unlinks a leftover file with its own pid before creating a fresh one', async () => {
    const world = new FakeWorld(newStore());
    const s = world.store;
    const old = s.tempRoots.openOrCreate(mintPid(42), 42);
    s.tempRoots.append(old, s.intern(makeTextPath('old.drv', 'o', [])));
    s.flock.close(old);
    const local = new LocalStore(new FakeContext(world, 42));
    await local.addTempRoot(s.intern(P));
    const file = s.tempRoots.list().find((f) => f.name === 42)!;
    expect(s.tempRoots.readFile(file.file).map((x) => s.storePath(x))).toEqual([P]);
  });

  it('delivers through the roots socket while a GC holds gc.lock exclusively, and waits for the ack', async () => {
    const world = new FakeWorld(newStore());
    const s = world.store;
    const gc = s.flock.open(mintPid(7), s.gcLockFile);
    expect(s.flock.tryLock(gc, 'exclusive')).toBe(true);
    const server = new FakeContext(world, 7).listen<{ path: string }, { type: 'roots.ack' }>();
    const got: string[] = [];
    void (async () => {
      const c = await server.accept();
      const m = await c!.receive();
      got.push(m!.path);
      c!.send({ type: 'roots.ack' });
    })();
    const ctx = new FakeContext(world, 42);
    await new LocalStore(ctx).addTempRoot(s.intern(P));
    expect(got).toEqual([P]);
    expect(ctx.events).toContainEqual({ type: 'inspect.tempRoot.add', path: P, via: 'socket' });
  });

  it('2.10–2.19: ENOENT on gc-socket is a hard error with Nix text', async () => {
    const world = new FakeWorld(newStore());
    const s = world.store;
    const gc = s.flock.open(mintPid(7), s.gcLockFile);
    s.flock.tryLock(gc, 'exclusive');
    const local = new LocalStore(new FakeContext(world, 42, switchesOf('nix-2.35', { rootsSocketEnoent: 'error' })));
    await expect(local.addTempRoot(s.intern(P))).rejects.toThrow("cannot connect to socket at '/nix/var/nix/gc-socket/socket': No such file or directory");
  });

  it('2.8: ENOENT is swallowed and the root lands in the file without the GC knowing', async () => {
    const world = new FakeWorld(newStore());
    const s = world.store;
    const gc = s.flock.open(mintPid(7), s.gcLockFile);
    s.flock.tryLock(gc, 'exclusive');
    const ctx = new FakeContext(world, 42, switchesOf('nix-2.8'));
    await new LocalStore(ctx).addTempRoot(s.intern(P));
    expect(ctx.events).toContainEqual({ type: 'inspect.tempRoot.add', path: P, via: 'file-undelivered', switch: { name: 'rootsSocketEnoent', value: 'swallow' } });
  });

  it('2.20+: ECONNREFUSED sleeps and restarts until the GC is gone', async () => {
    const world = new FakeWorld(newStore());
    const s = world.store;
    s.setGcSocketExists(true);
    const gc = s.flock.open(mintPid(7), s.gcLockFile);
    s.flock.tryLock(gc, 'exclusive');
    const ctx = new FakeContext(world, 42);
    const done = new LocalStore(ctx).addTempRoot(s.intern(P));
    setTimeout(() => s.flock.close(gc), 20);
    await done;
    const refused = ctx.events.filter((e) => e.type === 'inspect.roots.connect' && e.result === 'ECONNREFUSED').length;
    expect(refused).toBeGreaterThan(0);
    expect(ctx.events).toContainEqual({ type: 'inspect.tempRoot.add', path: P, via: 'file' });
  });

  it('destroy() unlinks the file and releases its lock (normal exit)', async () => {
    const world = new FakeWorld(newStore());
    const s = world.store;
    const local = new LocalStore(new FakeContext(world, 42));
    await local.addTempRoot(s.intern(P));
    await local.destroy();
    expect(s.tempRoots.exists(42)).toBe(false);
    expect(s.flock.holders()).toEqual([]);
  });
});
