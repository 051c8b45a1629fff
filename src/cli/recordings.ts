/**
 * What `rootrace run` does with each run's recorded stream: the outputs asked
 * for (`--events`, `--trace`, `--roots-report`, logs on stderr), and for every
 * run with a finding a run folder under `.rootrace/` holding its events, trace
 * and roots report next to the result. All renderings come from src/report, so
 * `rootrace report` on the saved events reproduces them byte for byte.
 */
import { existsSync } from 'node:fs';
import { join, parse as parsePath } from 'node:path';
import { UsageError } from '../messages/errors.js';
import type { RunResult } from '../messages/result.js';
import { buildRootsReport, renderNixLog, renderTrace, rootsReportJson, rootsReportText, toNdjson, type RootsReport } from '../report/index.js';
import type { OutputArgs } from './args.js';
import { DEFAULT_MAX_SAVED } from './commands.js';
import { ensureDir, writeFileAtomicAsync } from './outputs.js';
import { pruneSaved } from './savedRuns.js';

/** Run folders saved per invocation at most; the rest are counted, not written. */
export const MAX_SAVED_RUNS = 20;

export interface RunAt {
  readonly profile: string;
  readonly index: number;
  readonly seed: number;
}

export interface SavedRun extends RunAt {
  readonly events: string;
  readonly trace: string;
  readonly rootsReport: string;
}

export class Recorder {
  readonly saved: SavedRun[] = [];
  /** Runs with a finding beyond MAX_SAVED_RUNS. */
  unsaved = 0;
  /** Roots reports asked for on stdout (`--roots-report` given bare). */
  readonly stdoutReports: { readonly at: RunAt; readonly report: RootsReport }[] = [];
  private dir: string | null = null;
  /** Files are written while the next run goes on; `done` waits for them. */
  private readonly writes: Promise<UsageError | null>[] = [];

  constructor(
    private readonly o: OutputArgs,
    private readonly json: boolean,
    private readonly totalRuns: number,
    private readonly folderName: string,
    private readonly root = '.rootrace',
    private readonly stderr: (s: string) => void = (s) => process.stderr.write(s),
    /** `--max-saved`: run folders kept under `root` once this one is created (savedRuns.ts). */
    private readonly maxSaved = DEFAULT_MAX_SAVED,
  ) {}

  /** Called as each run ends (runMany's onRun). */
  onRun(r: RunResult, at: RunAt): void {
    const events = r.recorded ?? [];
    const hasFinding = r.findings.length > 0;
    // Past MAX_SAVED_RUNS a run with a finding is only counted: nothing of it is rendered unless asked for (#14).
    const save = hasFinding && this.saved.length < MAX_SAVED_RUNS;
    if (hasFinding && !save) this.unsaved++;
    const wanted = this.o.events !== null || this.o.trace !== null || this.o.rootsReport !== null || this.o.log !== null;
    if (!wanted && !save) return;
    const ndjson = this.o.events !== null || save ? toNdjson(events) : '';
    const trace = this.o.trace !== null || save ? renderTrace(events) : '';
    const report = this.o.rootsReport !== null || save ? buildRootsReport(events) : null;
    if (this.o.log !== null) this.stderr(renderNixLog(events, this.o.log));
    if (this.o.events !== null) this.write(this.perRun(this.o.events, at), ndjson);
    if (this.o.trace !== null) this.write(this.perRun(this.o.trace, at), trace);
    if (this.o.rootsReport !== null && report) {
      if (this.o.rootsReport === '') this.stdoutReports.push({ at, report });
      else this.write(this.perRun(this.o.rootsReport, at), this.json ? rootsReportJson(report) : rootsReportText(report));
    }
    if (save && report) this.save(at, ndjson, trace, rootsReportText(report));
  }

  /** The folder findings were saved in, creating it on first use. */
  private folder(): string {
    if (this.dir) return this.dir;
    let dir = join(this.root, this.folderName);
    for (let n = 2; existsSync(dir); n++) dir = join(this.root, `${this.folderName}-${n}`);
    ensureDir(dir);
    const removed = pruneSaved(this.root, this.maxSaved, dir);
    if (removed.length > 0) this.stderr(`removed the ${removed.length} oldest run folder${removed.length === 1 ? '' : 's'} in ${this.root} (--max-saved ${this.maxSaved}): ${removed.map((f) => f.name).join(', ')}\n`);
    return (this.dir = dir);
  }

  private save(at: RunAt, ndjson: string, trace: string, report: string): void {
    const dir = this.folder();
    const stem = join(dir, `${at.profile}-${at.index}`);
    const run: SavedRun = { ...at, events: `${stem}.events.ndjson`, trace: `${stem}.trace.json`, rootsReport: `${stem}.roots.txt` };
    this.write(run.events, ndjson);
    this.write(run.trace, trace);
    this.write(run.rootsReport, report);
    this.saved.push(run);
  }

  private write(path: string, text: string): void {
    // A path the user named that cannot be written is bad input (exit 2), not an internal error; the
    // paths were checked before the first run (outputs.ts), so this is a folder removed or a full disk since.
    // Settled into a value at once: a failure must not become an unhandled rejection before `done`.
    // Atomic (temporary name, then rename): an interrupt never leaves a half-written file.
    this.writes.push(writeFileAtomicAsync(path, text).then(
      () => null,
      (e: NodeJS.ErrnoException) => new UsageError(`cannot write '${path}': ${e.code ?? e.message}`),
    ));
  }

  /** Waits for every file written so far; returns the failures (each file is tried whatever the others do). */
  async done(): Promise<UsageError[]> {
    return (await Promise.all(this.writes.splice(0))).filter((e) => e !== null);
  }

  /** Writes the result document beside the saved runs; returns its path, or null if nothing was saved. */
  writeResult(doc: unknown): string | null {
    if (!this.dir) return null;
    const path = join(this.dir, 'result.json');
    this.write(path, `${JSON.stringify(doc, null, 2)}\n`);
    return path;
  }

  get folderPath(): string | null {
    return this.dir;
  }

  /** `e.ndjson` for a single run; `e.nix-2.33-3.ndjson` when the invocation has several. */
  private perRun(file: string, at: RunAt): string {
    if (this.totalRuns === 1) return file;
    const p = parsePath(file);
    return join(p.dir, `${p.name}.${at.profile}-${at.index}${p.ext}`);
  }
}

/** `pr-15158-seed7-20261128-004516`: one folder per invocation. */
export function folderNameFor(scenario: string, seed: number, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${scenario}-seed${seed}-${stamp}`;
}
