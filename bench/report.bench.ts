/**
 * Recording overhead (issue 5): pr-15158 runs on nix-2.33 with the stream
 * recorded and written as `run --events F --trace F --roots-report F` does
 * (the CLI's own Recorder, which also saves each finding's run folder) beside
 * the same runs recording nothing. Runs alternate one by one between the two
 * sides, in alternating order, so drift on a shared machine hits both alike;
 * each side's figure is its median run time. Target: recording costs at most
 * 30% of throughput (ratio ≥ 0.7).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Recorder } from '../src/cli/recordings.js';
import { ThreadsRuntime } from '../src/runtime/index.js';
import { openScenario, profileByName } from '../src/scenarios/index.js';
import { median, row, type BenchRow } from './row.js';

const PAIRS = 80;

export async function* reportBench(): AsyncGenerator<BenchRow> {
  const dir = mkdtempSync(join(tmpdir(), 'rootrace-bench-'));
  const off = new ThreadsRuntime({ timeoutMs: 20_000 });
  const on = new ThreadsRuntime({ timeoutMs: 20_000, record: true });
  const outputs = { events: join(dir, 'e.ndjson'), trace: join(dir, 't.json'), rootsReport: join(dir, 'r.txt'), log: null };
  const rec = new Recorder(outputs, false, 1, 'bench', join(dir, '.rootrace'));
  const scenario = openScenario('pr-15158').expand([]).run;
  const profile = profileByName('nix-2.33');
  const once = async (recording: boolean, seed: number): Promise<number> => {
    const t0 = performance.now();
    const r = await (recording ? on : off).run(scenario, profile, seed);
    if (recording) rec.onRun(r, { profile: profile.name, index: 0, seed });
    return performance.now() - t0;
  };
  try {
    for (let i = 0; i < 5; i++) await once(i % 2 === 0, i); // start threads, JIT
    await rec.done();
    const withRec: number[] = [];
    const without: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const seed = 1000 + i;
      if (i % 2) {
        without.push(await once(false, seed));
        withRec.push(await once(true, seed));
      } else {
        withRec.push(await once(true, seed));
        without.push(await once(false, seed));
      }
    }
    await rec.done();
    yield row({ bench: 'report.recording.runThroughput.pr-15158', value: 1000 / median(withRec), unit: 'runs/s', baseline: 1000 / median(without), target: 0.7 });
  } finally {
    await Promise.all([off.close(), on.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
