/** `rootrace run`: run a scenario under profiles and report rates and findings. */
import { randomInt } from 'node:crypto';
import type { RunManyResult } from '../scenarios/index.js';
import { costsArg, openScenario, profilesFor, runMany } from '../scenarios/index.js';
import { abortReason } from '../runtime/index.js';
import { chainJson, chainLines, rootsReportText } from '../report/index.js';
import type { RunArgs } from './args.js';
import { withCrashArgs } from './crashpointsCommand.js';
import { checkRunOutputs } from './outputs.js';
import { Progress } from './progress.js';
import { Recorder, folderNameFor } from './recordings.js';
import { findingNotes, type FindingNotes } from './runFindings.js';
import { loopTable, profileTable } from './runTable.js';
import { tableWidth } from './tableWidth.js';
import { savedRoot } from './savedRuns.js';

export const SCHEMA_VERSION = 1;

/** `signal`: an interrupt (interrupt.ts) stops the runs; what finished is printed and written. */
export async function runCommand(a: RunArgs, out: (s: string) => void, signal?: AbortSignal): Promise<number> {
  // A name from the catalogue or a path to a scenario file; --profile defaults to the scenario's own.
  const x = openScenario(a.scenario).expand(a.params);
  const scenario = withCrashArgs(a.costs === null ? x.run : { ...x.run, costs: costsArg(a.costs) }, a.crash);
  const profiles = profilesFor(x, a.profiles.length > 0 ? a.profiles : [x.defaultProfile], a.sets, a.daemonProfile ?? undefined);
  // --run-seed: every run takes that seed itself (a finding's rerun); --seed: the root each run's seed derives from.
  const seed = a.runSeed ?? a.seed ?? randomInt(0, 0xffff_ffff);
  // Always recorded: a run with a finding saves its events and trace (recordings.ts).
  const root = savedRoot();
  // Every path this run may write is checked before the first run: a bad one is one line, exit 2.
  checkRunOutputs(a.outputs, root);
  const total = profiles.length * a.runs;
  const rec = new Recorder(a.outputs, a.json, total, folderNameFor(scenario.name, seed, new Date()), root, undefined, a.maxSaved);
  const progress = new Progress(process.stderr, !a.json && total > 1, a.progress);
  let finished = 0;
  const r = await runMany(scenario, profiles, a.runs, seed, {
    runtime: a.runtime,
    jitterUs: a.jitterUs,
    timeoutMs: a.timeoutMs,
    timeScale: a.timeScale,
    // Without --workers, runMany's cap (DEFAULT_MAX_THREADS) applies.
    ...(a.workers !== null ? { maxThreads: a.workers } : {}),
    ...(a.maxSteps !== null ? { maxSteps: a.maxSteps } : {}),
    record: true,
    exactSeed: a.runSeed !== null,
    onRun: (res, at) => {
      rec.onRun(res, at);
      progress.update(++finished, total, res.findings.length > 0);
    },
    ...(signal ? { signal } : {}),
  });
  progress.done();
  const interrupted = r.interrupted && signal ? { interrupted: { signal: abortReason(signal), runsPlanned: total } } : {};
  const notes = findingNotes(a, profiles.map((p) => p.name), x.defaultProfile, x.sets);
  const doc = { ...(toJson(r, notes) as object), ...interrupted, ...artifactsJson(rec) };
  const result = rec.writeResult(doc);
  const failed = await rec.done();
  if (r.interrupted && !a.json) out(`interrupted by ${signal ? abortReason(signal) : 'a signal'}: ${finished} of ${total} runs finished; what follows is about those\n`);
  if (a.json) {
    const reports = rec.stdoutReports.map((x) => ({ ...x.at, ...x.report }));
    out(JSON.stringify(reports.length ? { ...doc, rootsReports: reports } : doc, null, 2));
  } else {
    out(toText(r, rec, result, notes, tableWidth(a.wide)));
    for (const x of rec.stdoutReports) out(`\n${rootsReportText(x.report).trimEnd()}`);
  }
  // Each file was tried whatever the others did; a failure is reported after the results.
  for (const e of failed) process.stderr.write(`rootrace: ${e.message}\n`);
  if (failed.length > 0) return 2;
  return r.findings.length > 0 ? 1 : 0;
}

function artifactsJson(rec: Recorder): object {
  if (rec.saved.length === 0) return {};
  return { artifacts: { dir: rec.folderPath, runs: rec.saved, unsaved: rec.unsaved } };
}

/** Where a finding's run was saved, and how to open it. */
function artifactLines(rec: Recorder, f: { profile: string; seed: number }): string[] {
  const s = rec.saved.find((x) => x.profile === f.profile && x.seed === f.seed);
  if (!s) return [];
  return [
    `  trace:  ${s.trace}  (open in https://ui.perfetto.dev or chrome://tracing)`,
    `  events: ${s.events}  (re-render: rootrace report ${s.events} --roots-report)`,
    `  roots:  ${s.rootsReport}`,
  ];
}

function toJson(r: RunManyResult, notes: FindingNotes): unknown {
  const all = r.profiles.flatMap((p) => p.results);
  return {
    schemaVersion: SCHEMA_VERSION,
    scenario: r.scenario,
    seed: r.seed,
    runs: r.profiles.map((p) => ({ profile: p.profile, runs: p.runs, runsWithFinding: p.runsWithFinding, rate: p.rate, low: p.low, high: p.high, ...(p.iterations ? { iterations: p.iterations } : {}), ...(p.modelMs !== undefined ? { modelMs: p.modelMs } : {}) })),
    findings: r.findings.map((f) => ({ kind: f.kind, message: f.message, path: f.path, seed: f.seed, profile: f.profile, actor: f.actor, pid: f.pid, chain: chainJson(f.chain), why: notes.why(f), rerun: notes.rerun(f) })),
    threads: {
      // An interrupt may leave no finished run: then 0, not ±Infinity (null in JSON).
      distinct: all.length > 0 ? Math.min(...all.map((x) => x.threads.distinct)) : 0,
      maxConcurrent: all.length > 0 ? Math.max(...all.map((x) => x.threads.maxConcurrent)) : 0,
      perRun: all.map((x) => x.threads.distinct),
    },
  };
}

function toText(r: RunManyResult, rec: Recorder, result: string | null, notes: FindingNotes, width: number | null): string {
  const lines: string[] = [];
  lines.push(`scenario ${r.scenario}   seed ${r.seed}`);
  lines.push('');
  lines.push(...profileTable(r.profiles, width));
  const model = r.profiles.filter((p) => p.modelMs !== undefined && p.modelMs > 0);
  if (model.length > 0) lines.push('', ...model.map((p) => `${p.profile}: ${(p.modelMs! / 1000).toFixed(2)} model s per run`));
  const loops = loopTable(r.profiles, width);
  if (loops.length > 0) lines.push('', ...loops);
  const distinct = new Map<string, (typeof r.findings)[number]>();
  for (const f of r.findings) {
    const key = `${f.profile}|${f.kind}|${f.message.replace(/\/nix\/store\/[0-9a-z]{32}-/g, '/nix/store/…-')}`;
    if (!distinct.has(key)) distinct.set(key, f);
  }
  if (distinct.size === 0) lines.push('', 'no findings');
  for (const f of distinct.values()) {
    lines.push('', `[${f.profile}] ${f.kind}: error: ${f.message}`, `  failed in ${f.actor} (pid ${f.pid}) at ${(f.t / 1e6).toFixed(3)} s of the run; run seed ${f.seed}`);
    lines.push(...chainLines(f.chain));
    lines.push(...notes.lines(f));
    lines.push(...artifactLines(rec, f));
  }
  if (result) {
    lines.push('', `saved ${rec.saved.length} run${rec.saved.length === 1 ? '' : 's'} with findings in ${rec.folderPath} (result: ${result})`);
    if (rec.unsaved) lines.push(`${rec.unsaved} more runs with findings were not saved (at most ${rec.saved.length} per invocation)`);
  }
  return lines.join('\n');
}
