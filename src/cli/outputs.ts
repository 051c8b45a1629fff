/**
 * Every file rootrace writes goes through here: exports, traces, event
 * streams, roots reports, saved runs under .rootrace/, schedule files.
 *
 * A file is written under a temporary name in its own directory and renamed
 * over the target, so a reader (or an interrupted rootrace) never sees it
 * half-written: rename(2) within one directory replaces the name atomically.
 * Temporary files still in flight when the process exits (an interrupt that
 * forces the exit) are removed by an `exit` hook. There is no fsync: the hazard
 * guarded against is a process that stops, not a machine that loses power.
 *
 * The checks (`checkOutputFile`, `checkOutputDir`) refuse an output path that
 * cannot be written before anything runs, with one line naming the option.
 *
 * Hand-written rather than `write-file-atomic`: that package installs
 * signal-exit's handlers, which would compete with interrupt.ts for SIGINT.
 */
import { accessSync, constants, existsSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../messages/errors.js';

/** Temporary files written but not yet renamed, removed if the process exits first. */
const inFlight = new Set<string>();
let hooked = false;
let counter = 0;

function tempFor(file: string): string {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const t of inFlight) {
        try {
          unlinkSync(t);
        } catch {
          // already gone
        }
      }
    });
  }
  // Dot-prefixed and unique per process and write: two writers of one target never share a temporary.
  const t = join(dirname(file), `.${basename(file)}.${process.pid}-${++counter}.tmp`);
  inFlight.add(t);
  return t;
}

/** Writes `data` to `file` atomically (temporary name, then rename). */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = tempFor(file);
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or renamed
    }
    throw e;
  } finally {
    inFlight.delete(tmp);
  }
}

/** `writeFileAtomic` without blocking: the next run goes on while a recording is written. */
export async function writeFileAtomicAsync(file: string, data: string): Promise<void> {
  const tmp = tempFor(file);
  try {
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  } finally {
    inFlight.delete(tmp);
  }
}

/** Creates a directory (and its parents) for outputs. */
export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/** Temporary files of this process not yet renamed (tests check none is left). */
export function pendingTemporaries(): number {
  return inFlight.size;
}

/** Longest file name most filesystems take, in bytes. */
const NAME_MAX = 255;

const errno = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);

function writableDir(dir: string): string | null {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return null;
  } catch (e) {
    return `directory '${dir}' is not writable (${errno(e)})`;
  }
}

/** Why a file could not be written at `file`, or null when it can. */
function fileProblem(file: string): string | null {
  if (file === '') return 'an empty path';
  const path = resolve(file);
  if (existsSync(path) && statSync(path).isDirectory()) return 'it is a directory';
  const dir = dirname(path);
  if (!existsSync(dir)) return `directory '${dirname(file)}' does not exist`;
  if (!statSync(dir).isDirectory()) return `'${dirname(file)}' is not a directory`;
  // The temporary name is the file name plus `.<pid>-<n>.tmp` and a leading dot.
  if (Buffer.byteLength(basename(path)) + 24 > NAME_MAX) return 'the file name is too long';
  return writableDir(dir);
}

/**
 * Refuses before any run an output file that cannot be written: its directory
 * is missing or not writable, or the path is a directory. `what` names the
 * option (`--export-csv`).
 */
export function checkOutputFile(what: string, file: string): void {
  const why = fileProblem(file);
  if (why !== null) throw new UsageError(`${what} '${file}': cannot write there: ${why}`);
}

/** Why a directory could not be created or written at `dir` (or its nearest existing ancestor), or null. */
function dirProblem(dir: string): string | null {
  let at = resolve(dir);
  while (!existsSync(at)) {
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  return !statSync(at).isDirectory() ? `'${at}' is not a directory` : writableDir(at);
}

/**
 * Refuses before any run an output directory that cannot be created or
 * written: the path (or its nearest existing ancestor) must be a writable
 * directory.
 */
export function checkOutputDir(what: string, dir: string): void {
  const why = dirProblem(dir);
  if (why !== null) throw new UsageError(`${what} '${dir}': cannot write there: ${why}`);
}

/** As checkOutputFile, for a file whose folder is created when it is written (schedule files). */
export function checkOutputFileInNewDir(what: string, file: string): void {
  const why = dirProblem(dirname(file)) ?? (existsSync(dirname(resolve(file))) ? fileProblem(file) : null);
  if (why !== null) throw new UsageError(`${what} '${file}': cannot write there: ${why}`);
}

/** The saved-runs folder (.rootrace, or $ROOTRACE_DIR) can be created and written: a run with a finding saves itself there. */
export function checkSavedRoot(root: string): void {
  checkOutputDir(process.env['ROOTRACE_DIR'] ? '$ROOTRACE_DIR' : 'the saved-runs folder (set ROOTRACE_DIR for another)', root);
}

/** `run`'s outputs: `--events`, `--trace`, `--roots-report FILE` and the saved-runs folder. */
export function checkRunOutputs(o: { readonly events: string | null; readonly trace: string | null; readonly rootsReport: string | null }, root: string): void {
  if (o.events !== null) checkOutputFile('--events', o.events);
  if (o.trace !== null) checkOutputFile('--trace', o.trace);
  if (o.rootsReport) checkOutputFile('--roots-report', o.rootsReport);
  checkSavedRoot(root);
}
