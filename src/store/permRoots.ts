/**
 * Permanent roots under `gcroots/`: direct symlinks to a store path, and
 * indirect roots (`--add-root`): `gcroots/auto/<hash>` points at a user's link,
 * which points at the store path. An indirect root whose user link is gone is
 * stale; the GC removes it (`removing stale link from … to …`).
 */
import { CapacityError } from '../messages/errors.js';
import { mintPathId, type PathId } from '../messages/ids.js';
import { H, RK, RootField as R, type Layout } from './layout.js';
import { mutexLock, mutexUnlock } from './mutex.js';
import type { PathTable } from './pathTable.js';

export interface PermRoot {
  readonly slot: number;
  readonly kind: 'direct' | 'indirect';
  /** For direct roots the link under gcroots/; for indirect roots the user's link. */
  readonly link: string;
  readonly path: PathId;
  readonly userLinkExists: boolean;
}

export class PermRoots {
  constructor(
    private readonly L: Layout,
    private readonly paths: PathTable,
  ) {}

  private withLock<T>(f: () => T): T {
    // gcroots/ is a directory: its updates share the directory mutex with temproots/.
    mutexLock(this.L.header, H.dirLock);
    try {
      return f();
    } finally {
      mutexUnlock(this.L.header, H.dirLock);
    }
  }

  private add(kind: number, link: string, path: PathId): number {
    const linkId = this.paths.intern(`link:${link}`);
    return this.withLock(() => {
      const r = this.L.roots;
      const n = this.L.header[H.rootCount]!;
      // Replacing a link (ln -sf) reuses its slot.
      let slot = -1;
      for (let i = 0; i < n; i++) if (r[R.kind]![i] !== RK.free && r[R.link]![i] === linkId) slot = i;
      if (slot < 0) for (let i = 0; i < n && slot < 0; i++) if (r[R.kind]![i] === RK.free) slot = i;
      if (slot < 0) {
        if (n >= this.L.caps.maxRoots) throw new CapacityError('permanent roots', this.L.caps.maxRoots);
        slot = n;
        this.L.header[H.rootCount] = n + 1;
      }
      r[R.path]![slot] = path;
      r[R.link]![slot] = linkId;
      r[R.userLinkExists]![slot] = 1;
      Atomics.store(r[R.kind]!, slot, kind);
      return slot;
    });
  }

  /** `ln -s <path> gcroots/<link>`. */
  addDirect(link: string, path: PathId): number {
    return this.add(RK.direct, link, path);
  }

  /** `addIndirectRoot(userLink)` after the user's link to `path` was made. */
  addIndirect(userLink: string, path: PathId): number {
    return this.add(RK.indirect, userLink, path);
  }

  /** The user removes their link (`rm ./result`), or a direct root is removed. */
  removeLink(link: string): boolean {
    const linkId = this.paths.lookup(`link:${link}`);
    if (linkId === -1) return false;
    return this.withLock(() => {
      const r = this.L.roots;
      for (let i = 0; i < this.L.header[H.rootCount]!; i++) {
        if (r[R.kind]![i] === RK.free || r[R.link]![i] !== linkId) continue;
        if (r[R.kind]![i] === RK.direct) Atomics.store(r[R.kind]!, i, RK.free);
        else r[R.userLinkExists]![i] = 0; // gcroots/auto/<hash> stays until a GC finds it stale
        return true;
      }
      return false;
    });
  }

  /** The GC deletes a stale `gcroots/auto` link. */
  removeSlot(slot: number): void {
    this.withLock(() => Atomics.store(this.L.roots[R.kind]!, slot, RK.free));
  }

  list(): PermRoot[] {
    return this.withLock(() => {
      const r = this.L.roots;
      const out: PermRoot[] = [];
      for (let i = 0; i < this.L.header[H.rootCount]!; i++) {
        const k = r[R.kind]![i];
        if (k === RK.free) continue;
        out.push({
          slot: i,
          kind: k === RK.direct ? 'direct' : 'indirect',
          link: this.paths.name(mintPathId(r[R.link]![i]!)).slice('link:'.length),
          path: mintPathId(r[R.path]![i]!),
          userLinkExists: r[R.userLinkExists]![i] === 1,
        });
      }
      return out;
    });
  }
}
