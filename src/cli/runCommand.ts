/** `rootrace run`: run a scenario under profiles and report rates and findings. */
import { randomInt } from 'node:crypto';
import type { RunManyResult } from '../scenarios/index.js';
import { costsArg, openScenario, profilesFor, runMany } from '../scenarios/index.js';
import { chainJson, chainLines, rootsReportText } from '../report/index.js';
import { rateChange } from '../report/sweepVersus.js';
import type { RunArgs } from './args.js';
import { withCrashArgs } from './crashpointsCommand.js';
import { Recorder, folderNameFor } from './recordings.js';

export const SCHEMA_VERSION = 1;

export async function runCommand(a: RunArgs, out: (s: string) => void): Promise<number> {
  // A name from the catalogue or a path to a scenario file; --profile defaults to the scenario's own.
  const x = openScenario(a.scenario).expand(a.params);
  const scenario = withCrashArgs(a.costs === null ? x.run : { ...x.run, costs: costsArg(a.costs) }, a.crash);
  const profiles = profilesFor(x, a.profiles.length > 0 ? a.profiles : [x.defaultProfile], a.sets, a.daemonProfile ?? undefined);
  const seed = a.seed ?? randomInt(0, 0xffff_ffff);
  // Always recorded: a run with a finding saves its events and trace (recordings.ts).
  const rec = new Recorder(a.outputs, a.json, profiles.length * a.runs, folderNameFor(scenario.name, seed, new Date()), process.env['ROOTRACE_DIR'] || '.rootrace');
  const r = await runMany(scenario, profiles, a.runs, seed, {
    runtime: a.runtime,
    jitterUs: a.jitterUs,
    timeoutMs: a.timeoutMs,
    timeScale: a.timeScale,
    // Without --workers, runMany's cap (DEFAULT_MAX_THREADS) applies.
    ...(a.workers !== null ? { maxThreads: a.workers } : {}),
    ...(a.maxSteps !== null ? { maxSteps: a.maxSteps } : {}),
    record: true,
    onRun: (res, at) => rec.onRun(res, at),
  });
  const doc = { ...(toJson(r) as object), ...artifactsJson(rec) };
  const result = rec.writeResult(doc);
  await rec.done();
  if (a.json) {
    const reports = rec.stdoutReports.map((x) => ({ ...x.at, ...x.report }));
    out(JSON.stringify(reports.length ? { ...doc, rootsReports: reports } : doc, null, 2));
  } else {
    out(toText(r, rec, result));
    for (const x of rec.stdoutReports) out(`\n${rootsReportText(x.report).trimEnd()}`);
  }
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

function toJson(r: RunManyResult): unknown {
  const all = r.profiles.flatMap((p) => p.results);
  return {
    schemaVersion: SCHEMA_VERSION,
    scenario: r.scenario,
    seed: r.seed,
    runs: r.profiles.map((p) => ({ profile: p.profile, runs: p.runs, runsWithFinding: p.runsWithFinding, rate: p.rate, ...(p.iterations ? { iterations: p.iterations } : {}), ...(p.modelMs !== undefined ? { modelMs: p.modelMs } : {}) })),
    findings: r.findings.map((f) => ({ kind: f.kind, message: f.message, path: f.path, seed: f.seed, profile: f.profile, actor: f.actor, pid: f.pid, chain: chainJson(f.chain) })),
    threads: {
      distinct: Math.min(...all.map((x) => x.threads.distinct)),
      maxConcurrent: Math.max(...all.map((x) => x.threads.maxConcurrent)),
      perRun: all.map((x) => x.threads.distinct),
    },
  };
}

function toText(r: RunManyResult, rec: Recorder, result: string | null): string {
  const lines: string[] = [];
  lines.push(`scenario ${r.scenario}   seed ${r.seed}`);
  lines.push('');
  // Variants are named as given (`nix-2.33+rootReferencesInWriteDerivation=true`): the column fits the longest.
  const w = Math.max(24, ...r.profiles.map((p) => p.profile.length + 2));
  const ab = r.profiles.length > 1;
  lines.push(`${'profile'.padEnd(w)}${'runs'.padStart(6)}${'with finding'.padStart(14)}${'rate'.padStart(8)}${ab ? `   rate vs ${r.profiles[0]!.profile}` : ''}`);
  for (const [i, p] of r.profiles.entries()) {
    const vs = ab && i > 0 ? `   ${rateChange(r.profiles[0]!.rate, p.rate)}` : '';
    lines.push(`${p.profile.padEnd(w)}${String(p.runs).padStart(6)}${String(p.runsWithFinding).padStart(14)}${p.rate.toFixed(2).padStart(8)}${vs}`);
  }
  const model = r.profiles.filter((p) => p.modelMs !== undefined && p.modelMs > 0);
  if (model.length > 0) lines.push('', ...model.map((p) => `${p.profile}: ${(p.modelMs! / 1000).toFixed(2)} model s per run`));
  if (r.profiles.some((p) => p.iterations)) {
    lines.push('', `${'profile'.padEnd(w)}${'loop'.padEnd(10)}${'iterations'.padStart(12)}${'failed'.padStart(8)}${'per iteration'.padStart(15)}`);
    for (const p of r.profiles) {
      for (const [proc, c] of Object.entries(p.iterations ?? {})) {
        lines.push(`${p.profile.padEnd(w)}${proc.padEnd(10)}${String(c.total).padStart(12)}${String(c.failed).padStart(8)}${c.rate.toFixed(3).padStart(15)}`);
      }
    }
  }
  const distinct = new Map<string, (typeof r.findings)[number]>();
  for (const f of r.findings) {
    const key = `${f.profile}|${f.kind}|${f.message.replace(/\/nix\/store\/[0-9a-z]{32}-/g, '/nix/store/…-')}`;
    if (!distinct.has(key)) distinct.set(key, f);
  }
  if (distinct.size === 0) lines.push('', 'no findings');
  for (const f of distinct.values()) {
    lines.push('', `[${f.profile}] ${f.kind}: error: ${f.message}`, `  failed in ${f.actor} (pid ${f.pid}) at ${(f.t / 1e6).toFixed(3)} s of the run; run seed ${f.seed}`);
    lines.push(...chainLines(f.chain));
    lines.push(...artifactLines(rec, f));
  }
  if (result) {
    lines.push('', `saved ${rec.saved.length} run${rec.saved.length === 1 ? '' : 's'} with findings in ${rec.folderPath} (result: ${result})`);
    if (rec.unsaved) lines.push(`${rec.unsaved} more runs with findings were not saved (at most ${rec.saved.length} per invocation)`);
  }
  return lines.join('\n');
}
