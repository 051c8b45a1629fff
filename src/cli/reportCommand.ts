/**
 * `rootrace report <events.ndjson>`: renders a recorded stream without running
 * anything — the trace, the roots report (the default when nothing else is
 * asked for) and the Nix-style log, each exactly as `run` wrote it. Exit code 1
 * if the recorded run had a finding, as `run` would have; 2 for a missing or
 * malformed file (one message naming the file and line).
 */
import { buildRootsReport, parseEvents, renderNixLog, renderTrace, rootsReportJson, rootsReportText } from '../report/index.js';
import { readInputFile } from '../scenarios/file/readInput.js';
import type { ReportArgs } from './args.js';
import { checkOutputFile, writeFileAtomic } from './outputs.js';

/** `write` receives stdout text verbatim (no newline added). */
export function reportCommand(a: ReportArgs, write: (s: string) => void): number {
  const o = a.outputs;
  if (o.trace !== null) checkOutputFile('--trace', o.trace);
  if (o.rootsReport) checkOutputFile('--roots-report', o.rootsReport);
  const events = parseEvents(readInputFile(a.file, 'events file'), a.file);
  if (o.trace !== null) writeFileAtomic(o.trace, renderTrace(events));
  if (o.log !== null) write(renderNixLog(events, o.log));
  const rootsWanted = o.rootsReport !== null || (o.trace === null && o.log === null);
  if (rootsWanted) {
    const r = buildRootsReport(events);
    const text = a.json ? rootsReportJson(r) : rootsReportText(r);
    if (o.rootsReport) writeFileAtomic(o.rootsReport, text);
    else write(text);
  }
  return events.some((e) => e.type === 'inspect.finding') ? 1 : 0;
}
