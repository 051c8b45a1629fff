import { describe, expect, it } from 'vitest';
import { Store, capacitiesFor } from '../../../src/store/index.js';
import { CapacityError } from '../../../src/messages/errors.js';
import { mintPid } from '../../../src/messages/ids.js';
import { newStore, thrownBy } from './helpers.js';

const p1 = mintPid(1);
const p2 = mintPid(2);
const p3 = mintPid(3);

function fixture(): { s: Store; gc: number; other: number } {
  const s = newStore();
  // A second lockable file: a temp-roots file, opened once to create it.
  const o = s.tempRoots.openOrCreate(mintPid(99), 99);
  const other = s.flock.fileOf(o);
  s.flock.close(o);
  return { s, gc: s.gcLockFile, other };
}

describe('Flock.tryLock', () => {
  it('makes exclusive locks conflict between two OFDs of the same pid', () => {
    const { s, gc } = fixture();
    const a = s.flock.open(p1, gc);
    const b = s.flock.open(p1, gc);
    expect(s.flock.tryLock(a, 'exclusive')).toBe(true);
    expect(s.flock.tryLock(b, 'exclusive')).toBe(false);
    expect(s.flock.tryLock(b, 'shared')).toBe(false);
    expect(s.flock.heldMode(a)).toBe('exclusive');
    expect(s.flock.heldMode(b)).toBeNull();
    expect(s.flock.lockState(gc)).toBe(-1);
  });

  it('makes shared and exclusive conflict in both directions', () => {
    const { s, gc } = fixture();
    const a = s.flock.open(p1, gc);
    const b = s.flock.open(p2, gc);
    expect(s.flock.tryLock(a, 'shared')).toBe(true);
    expect(s.flock.tryLock(b, 'exclusive')).toBe(false);
    s.flock.unlock(a);
    expect(s.flock.tryLock(b, 'exclusive')).toBe(true);
    expect(s.flock.tryLock(a, 'shared')).toBe(false);
  });

  it('lets any number of OFDs share a lock', () => {
    const { s, gc } = fixture();
    const ofds = [p1, p1, p2, p3].map((p) => s.flock.open(p, gc));
    for (const o of ofds) expect(s.flock.tryLock(o, 'shared')).toBe(true);
    expect(s.flock.lockState(gc)).toBe(4);
    expect(s.flock.holders(gc)).toHaveLength(4);
  });

  it('grants a mode already held again without counting it twice', () => {
    const { s, gc } = fixture();
    const a = s.flock.open(p1, gc);
    expect(s.flock.tryLock(a, 'shared')).toBe(true);
    expect(s.flock.tryLock(a, 'shared')).toBe(true);
    expect(s.flock.lockState(gc)).toBe(1);
    s.flock.unlock(a);
    expect(s.flock.lockState(gc)).toBe(0);
  });

  it('keeps locks on different files independent', () => {
    const { s, gc, other } = fixture();
    const a = s.flock.open(p1, gc);
    const b = s.flock.open(p2, other);
    expect(s.flock.tryLock(a, 'exclusive')).toBe(true);
    expect(s.flock.tryLock(b, 'exclusive')).toBe(true);
    expect(s.flock.lockState(gc)).toBe(-1);
    expect(s.flock.lockState(other)).toBe(-1);
  });

  it('converts shared to exclusive for the only holder, and exclusive down to shared', () => {
    const { s, gc } = fixture();
    const a = s.flock.open(p1, gc);
    const b = s.flock.open(p2, gc);
    s.flock.tryLock(a, 'shared');
    expect(s.flock.tryLock(a, 'exclusive')).toBe(true);
    expect(s.flock.lockState(gc)).toBe(-1);
    expect(s.flock.tryLock(a, 'shared')).toBe(true);
    expect(s.flock.lockState(gc)).toBe(1);
    expect(s.flock.tryLock(b, 'shared')).toBe(true);
    expect(s.flock.lockState(gc)).toBe(2);
  });

  it('drops the old lock first: a failed shared→exclusive conversion leaves the OFD holding nothing', () => {
    const { s, gc } = fixture();
    const a = s.flock.open(p1, gc);
    const b = s.flock.open(p2, gc);
    s.flock.tryLock(a, 'shared');
    s.flock.tryLock(b, 'shared');
    expect(s.flock.tryLock(a, 'exclusive')).toBe(false);
    expect(s.flock.heldMode(a)).toBeNull();
    expect(s.flock.lockState(gc)).toBe(1);
    expect(s.flock.holders(gc).map((h) => h.ofd)).toEqual([b]);
  });
});

describe('Flock.unlock and close', () => {
  it('unlocks, and unlocking an OFD that holds nothing is a no-op', () => {
    const { s, gc } = fixture();
    const a = s.flock.open(p1, gc);
    const b = s.flock.open(p2, gc);
    s.flock.unlock(a);
    expect(s.flock.lockState(gc)).toBe(0);
    s.flock.tryLock(a, 'exclusive');
    s.flock.unlock(a);
    expect(s.flock.heldMode(a)).toBeNull();
    expect(s.flock.tryLock(b, 'exclusive')).toBe(true);
  });

  it('releases the lock on close, and closing twice is a no-op', () => {
    const { s, gc } = fixture();
    const a = s.flock.open(p1, gc);
    const b = s.flock.open(p2, gc);
    s.flock.tryLock(a, 'exclusive');
    s.flock.close(a);
    expect(s.flock.isOpen(a)).toBe(false);
    expect(s.flock.lockState(gc)).toBe(0);
    s.flock.close(a);
    expect(s.flock.tryLock(b, 'exclusive')).toBe(true);
    expect(s.flock.holders()).toEqual([{ ofd: b, owner: p2, file: gc, mode: 'exclusive' }]);
  });

  it('records owner and file of an OFD', () => {
    const { s, other } = fixture();
    const a = s.flock.open(p3, other);
    expect(s.flock.isOpen(a)).toBe(true);
    expect(s.flock.ownerOf(a)).toBe(p3);
    expect(s.flock.fileOf(a)).toBe(other);
  });

  it('throws CapacityError when OFDs run out, and reuses closed slots', () => {
    const s = Store.create(capacitiesFor({ paths: 8, ofds: 3 }));
    const ofds = [p1, p1, p2].map((p) => s.flock.open(p, s.gcLockFile));
    const err = thrownBy(() => s.flock.open(p3, s.gcLockFile));
    expect(err).toBeInstanceOf(CapacityError);
    expect(err.message).toBe('store capacity exceeded: open file descriptions (capacity 3); size the run for more');
    s.flock.close(ofds[1]!);
    const again = s.flock.open(p3, s.gcLockFile);
    expect(again).toBe(ofds[1]);
    expect(s.flock.ownerOf(again)).toBe(p3);
    expect(s.flock.heldMode(again)).toBeNull();
  });

  it('refuses to lock through a closed OFD (EBADF)', () => {
    // close() reuses the OFD's `file` field as the free-list link, and tryLock
    // does not check that the OFD is open: a thread that keeps using an OFD after
    // its process was killed (releaseAllLocksOf) locks whatever file index the
    // free list left there, here gc.lock, invisibly to holders().
    const { s, gc, other } = fixture();
    const a = s.flock.open(p1, other);
    const b = s.flock.open(p1, other);
    s.flock.close(a);
    s.flock.close(b); // b's file field now holds a's slot number
    let threw = false;
    try {
      s.flock.tryLock(b, 'exclusive');
    } catch {
      threw = true;
    }
    expect(s.flock.lockState(gc)).toBe(0);
    expect(s.flock.lockState(other)).toBe(0);
    expect(threw).toBe(true);
  });
});

describe('Flock.holders, ofdsOf and releaseAllLocksOf', () => {
  it('lists who holds what, optionally for one file', () => {
    const { s, gc, other } = fixture();
    const a = s.flock.open(p1, gc);
    const b = s.flock.open(p2, gc);
    const c = s.flock.open(p2, other);
    const idle = s.flock.open(p3, gc);
    s.flock.tryLock(a, 'shared');
    s.flock.tryLock(b, 'shared');
    s.flock.tryLock(c, 'exclusive');
    expect(s.flock.holders()).toEqual([
      { ofd: a, owner: p1, file: gc, mode: 'shared' },
      { ofd: b, owner: p2, file: gc, mode: 'shared' },
      { ofd: c, owner: p2, file: other, mode: 'exclusive' },
    ]);
    expect(s.flock.holders(other)).toEqual([{ ofd: c, owner: p2, file: other, mode: 'exclusive' }]);
    expect(s.flock.ofdsOf(p2)).toEqual([b, c]);
    expect(s.flock.ofdsOf(p3)).toEqual([idle]);
  });

  it('releases every lock of a dead pid, returns what it held and leaves other pids alone', () => {
    const { s, gc, other } = fixture();
    const a = s.flock.open(p1, gc);
    const b = s.flock.open(p1, other);
    const idle = s.flock.open(p1, gc);
    const c = s.flock.open(p2, gc);
    s.flock.tryLock(a, 'shared');
    s.flock.tryLock(b, 'exclusive');
    s.flock.tryLock(c, 'shared');
    const held = s.flock.releaseAllLocksOf(p1);
    expect(held).toEqual([
      { ofd: a, owner: p1, file: gc, mode: 'shared' },
      { ofd: b, owner: p1, file: other, mode: 'exclusive' },
    ]);
    for (const o of [a, b, idle]) expect(s.flock.isOpen(o)).toBe(false);
    expect(s.flock.ofdsOf(p1)).toEqual([]);
    expect(s.flock.holders()).toEqual([{ ofd: c, owner: p2, file: gc, mode: 'shared' }]);
    expect(s.flock.lockState(gc)).toBe(1);
    expect(s.flock.lockState(other)).toBe(0);
    expect(s.flock.releaseAllLocksOf(p1)).toEqual([]);
  });

  it('is reachable from Store.releaseAllLocksOf with a plain number', () => {
    const { s, gc } = fixture();
    const a = s.flock.open(p2, gc);
    s.flock.tryLock(a, 'exclusive');
    expect(s.releaseAllLocksOf(2)).toEqual([{ ofd: a, owner: p2, file: gc, mode: 'exclusive' }]);
    expect(s.flock.lockState(gc)).toBe(0);
  });
});

describe('Flock blocking locks', () => {
  it('lockSync takes a free lock at once', () => {
    const { s, gc } = fixture();
    const a = s.flock.open(p1, gc);
    expect(s.flock.lockSync(a, 'exclusive')).toBe(true);
    expect(s.flock.heldMode(a)).toBe('exclusive');
  });

  it('lockSync gives up after its timeout while another OFD holds the lock', () => {
    const { s, gc } = fixture();
    const holder = s.flock.open(p1, gc);
    const waiter = s.flock.open(p1, gc);
    s.flock.tryLock(holder, 'shared');
    expect(s.flock.lockSync(waiter, 'exclusive', 20)).toBe(false);
    expect(s.flock.heldMode(waiter)).toBeNull();
    expect(s.flock.heldMode(holder)).toBe('shared');
    // A shared request does not conflict with a shared holder.
    expect(s.flock.lockSync(waiter, 'shared', 20)).toBe(true);
    expect(s.flock.lockState(gc)).toBe(2);
  });

  it('lockSync conversion that times out has dropped the old lock', () => {
    const { s, gc } = fixture();
    const a = s.flock.open(p1, gc);
    const b = s.flock.open(p2, gc);
    s.flock.tryLock(a, 'shared');
    s.flock.tryLock(b, 'shared');
    expect(s.flock.lockSync(a, 'exclusive', 20)).toBe(false);
    expect(s.flock.heldMode(a)).toBeNull();
    expect(s.flock.lockState(gc)).toBe(1);
  });

  it('lockAsync resolves once the holder unlocks', async () => {
    const { s, gc } = fixture();
    const holder = s.flock.open(p1, gc);
    const waiter = s.flock.open(p2, gc);
    s.flock.tryLock(holder, 'exclusive');
    let unlocked = false;
    setTimeout(() => {
      unlocked = true;
      s.flock.unlock(holder);
    }, 10);
    expect(await s.flock.lockAsync(waiter, 'exclusive')).toBe(true);
    expect(unlocked).toBe(true);
    expect(s.flock.heldMode(waiter)).toBe('exclusive');
    expect(s.flock.lockState(gc)).toBe(-1);
  });

  it('lockAsync for a shared lock resolves once an exclusive holder closes', async () => {
    const { s, gc } = fixture();
    const holder = s.flock.open(p1, gc);
    const waiter = s.flock.open(p2, gc);
    s.flock.tryLock(holder, 'exclusive');
    let closed = false;
    setTimeout(() => {
      closed = true;
      s.flock.close(holder);
    }, 10);
    expect(await s.flock.lockAsync(waiter, 'shared')).toBe(true);
    expect(closed).toBe(true);
    expect(s.flock.lockState(gc)).toBe(1);
  });

  it('lockAsync returns false after its timeout if the holder never lets go', async () => {
    const { s, gc } = fixture();
    const holder = s.flock.open(p1, gc);
    const waiter = s.flock.open(p2, gc);
    s.flock.tryLock(holder, 'exclusive');
    expect(await s.flock.lockAsync(waiter, 'shared', 20)).toBe(false);
    expect(s.flock.heldMode(waiter)).toBeNull();
    expect(s.flock.heldMode(holder)).toBe('exclusive');
  });
});
