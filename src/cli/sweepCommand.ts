/**
 * `rootrace sweep`: a grid of parameters × profiles, N runs per point on a pool
 * of --jobs threads; a table with Wilson intervals, a recommendation, exports,
 * and shards (`--shard i/n`) that `rootrace merge` recombines.
 */
import { randomInt } from 'node:crypto';
import { join, resolve as resolvePath } from 'node:path';
import { UsageError } from '../messages/errors.js';
import type { SweepDocument } from '../messages/sweep.js';
import { sweepTable } from '../report/sweepTable.js';
import { renderTrace, toNdjson } from '../report/index.js';
import { folderNameFor } from './recordings.js';
import { abortReason } from '../runtime/index.js';
import { checkSavedRoot, ensureDir, writeFileAtomic } from './outputs.js';
import { pruneSaved, savedRoot } from './savedRuns.js';
import { profileByName, scenarioBuilder } from '../scenarios/index.js';
import { parseProfileSpec } from '../scenarios/file/entry.js';
import { parseAxis, parseShard } from '../scenarios/sweep/plan.js';
import { runSweep } from '../scenarios/sweep/runSweep.js';
import { int, maxSavedOf, timeoutOf } from './args.js';
import { SWEEP } from './commands.js';
import { profileSpecArg, scenarioArg, switchArg } from './names.js';
import { parseCommand } from './spec.js';
import { Progress } from './progress.js';
import { tableWidth } from './tableWidth.js';
import { checkExports, writeExports } from './sweepExports.js';
import { VERSION } from './version.js';

/** `signal`: an interrupt (interrupt.ts) stops the sweep; the runs that finished are printed and exported. */
export async function sweepCommand(argv: readonly string[], out: (s: string) => void, err: NodeJS.WriteStream, signal?: AbortSignal): Promise<number> {
  const { values: v, positionals, runtime } = parseCommand(SWEEP, argv);
  if (positionals.length !== 1) throw new UsageError(`sweep expects one scenario, got ${positionals.length}`);
  const scenario = scenarioBuilder(scenarioArg(positionals[0]!), (v.set ?? []).map((x) => switchArg(x)));
  const axes = (v.param ?? []).map(axisArg).map(parseAxis);
  for (const a of axes) {
    if (a.name !== 'workers' && !(a.name in scenario.params)) {
      throw new UsageError(`scenario '${scenario.name}' has no parameter '${a.name}' (sweepable: workers${Object.keys(scenario.params).map((p) => `, ${p}`).join('')})`);
    }
    if (a.name === 'workers' && a.values.some((x) => Number(x) < 1)) throw new UsageError('--param workers expects values ≥ 1');
  }
  const profileNames = (v.profile ?? [scenario.defaultProfile]).flatMap((p) => p.split(',')).filter(Boolean);
  // A variant (P+switch=value) keeps its name; the builder resolves it with the scenario's own `set`.
  const profiles = profileNames.map((p) => scenario.profile({ ...profileByName(parseProfileSpec(profileSpecArg(p)).base), name: p }));
  const rootSeed = v.seed === undefined ? randomInt(0, 0xffff_ffff) : int('seed', v.seed, 0, 0, 0xffff_ffff);
  const runs = int('runs', v.runs, 10, 1, 1_000_000);
  const jobs = int('jobs', v.jobs, 1, 1, 64);
  const shard = v.shard === undefined ? undefined : parseShard(v.shard);
  const json = v.json ?? false;
  const maxSaved = maxSavedOf(v['max-saved']);
  // Every path the sweep may write is checked before the first run: a bad one is one line, exit 2.
  checkExports(v);
  const root = savedRoot();
  checkSavedRoot(root);
  const progress = new Progress(err, !json, v.progress ?? false);
  let traceDir: string | undefined;
  const doc: SweepDocument = await runSweep({
    scenario: scenario.name,
    build: (params) => scenario.build(params),
    scenarioWorkers: 'workers' in scenario.params,
    profiles,
    axes,
    runs,
    runtime: runtime!,
    jobs,
    rootSeed,
    ...(shard ? { shard } : {}),
    timeoutMs: timeoutOf(v.timeout),
    version: VERSION,
    saveTrace: (point, record, events) => {
      // One folder per sweep; a failing point's first traced run lands there.
      if (traceDir === undefined) {
        traceDir = resolvePath(root, `sweep-${folderNameFor(scenario.name, rootSeed, new Date())}`);
        ensureDir(traceDir);
        const removed = pruneSaved(root, maxSaved, traceDir);
        if (removed.length > 0) err.write(`removed the ${removed.length} oldest run folder${removed.length === 1 ? '' : 's'} in ${root} (--max-saved ${maxSaved})\n`);
      }
      const stem = join(traceDir, `${point.replace(/[^A-Za-z0-9.=-]+/g, '_')}-run${record.run}`);
      writeFileAtomic(`${stem}.events.ndjson`, toNdjson(events));
      writeFileAtomic(`${stem}.trace.json`, renderTrace(events));
      return `${stem}.trace.json`;
    },
    onRun: (r, done, total) => progress.update(done, total, r.finding),
    ...(signal ? { signal } : {}),
  });
  progress.done();
  if (doc.interrupted && !json) out(`interrupted by ${signal ? abortReason(signal) : 'a signal'}: ${doc.runs.length} of ${doc.interrupted.runsPlanned} runs finished; the table is about those\n`);
  if (json) out(JSON.stringify(doc, null, 2));
  else out(sweepTable(doc, tableWidth(v.wide ?? false)));
  const { wrote, failed } = writeExports(doc, v);
  if (!json) {
    if (traceDir) err.write(`traces of failing points: ${traceDir} (open in https://ui.perfetto.dev)\n`);
    for (const line of wrote) err.write(`${line}\n`);
  }
  for (const line of failed) err.write(`rootrace: ${line}\n`);
  if (failed.length > 0) return 2;
  return doc.points.some((p) => p.runsWithFinding > 0) ? 1 : 0;
}

/** `--param name=v1,v2,…`: each value in decimal digits (`0x10` and `1e3` are not read as numbers). */
function axisArg(arg: string): string {
  const eq = arg.indexOf('=');
  const bad = eq < 1 ? undefined : arg.slice(eq + 1).split(',').find((x) => !/^\d+$/.test(x));
  if (bad !== undefined) throw new UsageError(`--param ${arg.slice(0, eq)} expects non-negative integers in decimal digits, got '${bad}'`);
  return arg;
}
