import { describe, expect, it } from 'vitest';
import { Store, capacitiesFor } from '../../../src/store/index.js';
import { CapacityError } from '../../../src/messages/errors.js';
import { newStore, textPath, thrownBy } from './helpers.js';

describe('PermRoots', () => {
  it('adds direct and indirect roots and lists them', () => {
    const s = newStore();
    const [a, b] = [s.intern(textPath('a')), s.intern(textPath('b'))];
    const d = s.roots.addDirect('profile-1-link', a);
    const i = s.roots.addIndirect('/home/u/result', b);
    expect(d).not.toBe(i);
    expect(s.roots.list()).toEqual([
      { slot: d, kind: 'direct', link: 'profile-1-link', path: a, userLinkExists: true },
      { slot: i, kind: 'indirect', link: '/home/u/result', path: b, userLinkExists: true },
    ]);
  });

  it('replaces a link in its slot (ln -sf)', () => {
    const s = newStore();
    const [a, b] = [s.intern(textPath('a')), s.intern(textPath('b'))];
    const slot = s.roots.addDirect('r', a);
    expect(s.roots.addDirect('r', b)).toBe(slot);
    expect(s.roots.list()).toEqual([{ slot, kind: 'direct', link: 'r', path: b, userLinkExists: true }]);
  });

  it('removes a direct root entirely', () => {
    const s = newStore();
    const a = s.intern(textPath('a'));
    s.roots.addDirect('r', a);
    expect(s.roots.removeLink('r')).toBe(true);
    expect(s.roots.list()).toEqual([]);
    expect(s.roots.removeLink('r')).toBe(false);
  });

  it('keeps an indirect root\'s auto link when the user link goes, until the GC removes the slot', () => {
    const s = newStore();
    const a = s.intern(textPath('a'));
    const slot = s.roots.addIndirect('/home/u/result', a);
    expect(s.roots.removeLink('/home/u/result')).toBe(true);
    expect(s.roots.list()).toEqual([{ slot, kind: 'indirect', link: '/home/u/result', path: a, userLinkExists: false }]);
    s.roots.removeSlot(slot);
    expect(s.roots.list()).toEqual([]);
  });

  it('restores userLinkExists when the user link is made again', () => {
    const s = newStore();
    const a = s.intern(textPath('a'));
    const slot = s.roots.addIndirect('/home/u/result', a);
    s.roots.removeLink('/home/u/result');
    expect(s.roots.addIndirect('/home/u/result', a)).toBe(slot);
    expect(s.roots.list()[0]?.userLinkExists).toBe(true);
  });

  it('returns false when removing a link that was never made', () => {
    const s = newStore();
    expect(s.roots.removeLink('nothing')).toBe(false);
    expect(s.paths.count()).toBe(0); // the lookup did not intern the name
  });

  it('reuses freed slots and throws CapacityError when all are taken', () => {
    const s = Store.create(capacitiesFor({ paths: 16, roots: 2 }));
    const a = s.intern(textPath('a'));
    const r1 = s.roots.addDirect('r1', a);
    s.roots.addDirect('r2', a);
    const err = thrownBy(() => s.roots.addDirect('r3', a));
    expect(err).toBeInstanceOf(CapacityError);
    expect(err.message).toBe('store capacity exceeded: permanent roots (capacity 2); size the run for more');
    s.roots.removeLink('r1');
    expect(s.roots.addIndirect('/u/r3', a)).toBe(r1);
    expect(s.roots.list().map((r) => r.link)).toEqual(['/u/r3', 'r2']);
  });

  it('does not make the roots look like store paths or disk entries', () => {
    const s = newStore();
    const a = s.intern(textPath('a'));
    s.roots.addDirect('r', a);
    expect(s.disk.list()).toEqual([]);
    expect(s.db.validPaths()).toEqual([]);
  });
});
