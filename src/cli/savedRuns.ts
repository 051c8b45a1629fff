/**
 * The run folders rootrace saves under .rootrace/ (or $ROOTRACE_DIR): `run`'s
 * `<scenario>-seed<S>-<yyyymmdd-hhmmss>[-n]` (recordings.ts) and `sweep`'s
 * `sweep-<scenario>-seed<S>-<yyyymmdd-hhmmss>`. Only folders named so are ever
 * removed, by the cap (`--max-saved`) or by `rootrace clean`: the folder may be
 * one the user pointed at with $ROOTRACE_DIR, holding things of their own.
 */
import { readdirSync, rmSync, statSync, type Dirent } from 'node:fs';
import { basename, join } from 'node:path';

const RUN_FOLDER = /^(?:sweep-)?.+-seed\d+-(\d{8}-\d{6})(?:-(\d+))?$/;

/** explore's schedule files (exploreCommand.ts `schedulesDir`), removed only by `clean --schedules`. */
export const SCHEDULES = 'schedules';

export interface SavedFolder {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  readonly files: number;
}

/** The saved-runs root: $ROOTRACE_DIR, else `.rootrace`. */
export function savedRoot(): string {
  return process.env['ROOTRACE_DIR'] || '.rootrace';
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Size and file count of a folder, recursively. */
export function folderSize(path: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const e of entries(path)) {
    const p = join(path, e.name);
    if (e.isDirectory()) {
      const s = folderSize(p);
      bytes += s.bytes;
      files += s.files;
    } else {
      files++;
      try {
        bytes += statSync(p).size;
      } catch {
        // removed meanwhile
      }
    }
  }
  return { bytes, files };
}

interface Dated {
  readonly name: string;
  readonly stamp: string;
  readonly n: number;
  readonly mtimeMs: number;
}

/**
 * The run folders under `root`, oldest first: by the time in the name (when
 * the invocation started), then the `-n` of folders started in one second,
 * then the folder's modification time.
 */
export function listSaved(root: string): SavedFolder[] {
  const dated: Dated[] = [];
  for (const e of entries(root)) {
    const m = e.isDirectory() ? RUN_FOLDER.exec(e.name) : null;
    if (!m) continue;
    let mtimeMs = 0;
    try {
      mtimeMs = statSync(join(root, e.name)).mtimeMs;
    } catch {
      continue;
    }
    dated.push({ name: e.name, stamp: m[1]!, n: Number(m[2] ?? 1), mtimeMs });
  }
  dated.sort((a, b) => a.stamp.localeCompare(b.stamp) || a.n - b.n || a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
  return dated.map((d) => ({ name: d.name, path: join(root, d.name), ...folderSize(join(root, d.name)) }));
}

/** Entries of `root` that rootrace did not write (left alone by clean, and named). */
export function foreignEntries(root: string): string[] {
  return entries(root)
    .filter((e) => !(e.isDirectory() && (RUN_FOLDER.test(e.name) || e.name === SCHEDULES)))
    .map((e) => e.name)
    .sort();
}

export function removeFolder(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/**
 * The cap: keeps the `max` newest run folders under `root` (`current`, the
 * one this invocation writes, always counts among them) and removes the rest;
 * returns what it removed.
 */
export function pruneSaved(root: string, max: number, current: string): SavedFolder[] {
  const all = listSaved(root);
  const others = all.filter((f) => f.name !== basename(current));
  const room = Math.max(0, max - (all.length - others.length));
  const removed = others.slice(0, Math.max(0, others.length - room));
  for (const f of removed) removeFolder(f.path);
  return removed;
}

/** `12.3 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let x = n / 1024;
  let u = 0;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return `${x.toFixed(1)} ${units[u]!}`;
}
