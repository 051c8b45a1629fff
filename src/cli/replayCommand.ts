/**
 * `rootrace replay <schedule.json>`: runs the schedule's scenario under its
 * profile and seed, taking every recorded decision, and prints the event hash
 * (which matches the recorded one when nothing changed), where the replay
 * diverged if the code changed, and the findings. `--events`/`--trace` write
 * the replayed stream — the artifact to attach to a Nix issue.
 */
import { UsageError } from '../messages/errors.js';
import { chainJson, chainLines, renderTrace, toNdjson } from '../report/index.js';
import { ReplayStrategy, SimRuntime, parseSchedule, showDivergence, type Schedule } from '../runtime/index.js';
import { readInputFile } from '../scenarios/file/readInput.js';
import { checkScheduleFile } from '../scenarios/file/scheduleCheck.js';
import { REPLAY } from './commands.js';
import { checkOutputFile, writeFileAtomic } from './outputs.js';
import { parseCommand } from './spec.js';
import { SCHEMA_VERSION, type CommandIo } from './exploreCommand.js';

export interface ReplayArgs {
  readonly file: string;
  readonly json: boolean;
  readonly events: string | null;
  readonly trace: string | null;
}

export function parseReplayArgs(argv: readonly string[]): ReplayArgs {
  const { values, positionals } = parseCommand(REPLAY, argv);
  if (positionals.length !== 1) throw new UsageError(`replay expects one schedule file, got ${positionals.length}`);
  return { file: positionals[0]!, json: values.json ?? false, events: values.events ?? null, trace: values.trace ?? null };
}

/** Reads and checks a schedule file; a missing or malformed file is one UsageError. */
export function readScheduleFile(file: string): Schedule {
  const text = readInputFile(file, 'schedule file');
  // Checked like a scenario file (its line and field), so an edited schedule never starts a run.
  checkScheduleFile(file, text);
  return parseSchedule(text, file);
}

export async function replayCommand(a: ReplayArgs, io: CommandIo): Promise<number> {
  const s = readScheduleFile(a.file);
  if (a.events !== null) checkOutputFile('--events', a.events);
  if (a.trace !== null) checkOutputFile('--trace', a.trace);
  const strategy = new ReplayStrategy(s.decisions);
  const r = await new SimRuntime({ record: true }).run(s.scenario, s.profile, s.seed, strategy);
  const events = r.recorded ?? [];
  if (a.events !== null) writeFileAtomic(a.events, toNdjson(events));
  if (a.trace !== null) writeFileAtomic(a.trace, renderTrace(events));
  const same = r.sim.eventHash === s.eventHash;
  const reproduced = s.finding === null ? null : r.findings.some((f) => f.kind === s.finding!.kind && f.message === s.finding!.message);
  if (a.json) {
    io.out(JSON.stringify({
      schemaVersion: SCHEMA_VERSION,
      command: 'replay',
      file: a.file,
      scenario: s.scenario.name,
      profile: s.profile.name,
      seed: s.seed,
      eventHash: r.sim.eventHash,
      recordedEventHash: s.eventHash,
      identical: same,
      divergence: strategy.divergence,
      decisions: r.sim.decisions,
      preemptions: r.sim.preemptions,
      processSwitches: r.sim.processSwitches,
      contextSwitches: r.sim.contextSwitches,
      reproduced,
      findings: r.findings.map((f) => ({ kind: f.kind, message: f.message, path: f.path, actor: f.actor, pid: f.pid, chain: chainJson(f.chain) })),
    }, null, 2));
  } else {
    const lines = [
      `replay ${a.file}: ${s.scenario.name} under ${s.profile.name}, seed ${s.seed}, ${r.sim.decisions} decisions (${r.sim.preemptions} preemptions, ${r.sim.processSwitches} process switches, ${r.sim.contextSwitches} context switches)`,
      `event hash ${r.sim.eventHash} (${same ? 'identical to the recorded run' : `differs from the recorded ${s.eventHash}`})`,
    ];
    if (strategy.divergence) lines.push(showDivergence(strategy.divergence));
    if (s.finding && !reproduced) lines.push(`the recorded finding did not occur: ${s.finding.kind}: ${s.finding.message}`);
    if (r.findings.length === 0) lines.push('', 'no findings');
    for (const f of r.findings) {
      lines.push('', `${f.kind}: error: ${f.message}`, `  failed in ${f.actor} (pid ${f.pid})`);
      lines.push(...chainLines(f.chain));
    }
    io.out(lines.join('\n'));
  }
  return r.findings.length > 0 ? 1 : 0;
}
