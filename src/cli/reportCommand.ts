/**
 * `rootrace report <events.ndjson>`: renders a recorded stream without running
 * anything — the trace, the roots report (the default when nothing else is
 * asked for) and the Nix-style log, each exactly as `run` wrote it. Exit code 1
 * if the recorded run had a finding, as `run` would have; 2 for a missing or
 * malformed file (one message naming the file and line).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../messages/errors.js';
import { buildRootsReport, parseEvents, renderNixLog, renderTrace, rootsReportJson, rootsReportText } from '../report/index.js';
import type { ReportArgs } from './args.js';

function readEvents(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? e);
    throw new UsageError(`cannot read events file '${file}': ${why}`);
  }
}

/** `write` receives stdout text verbatim (no newline added). */
export function reportCommand(a: ReportArgs, write: (s: string) => void): number {
  const events = parseEvents(readEvents(a.file), a.file);
  const o = a.outputs;
  if (o.trace !== null) writeFileSync(o.trace, renderTrace(events));
  if (o.log !== null) write(renderNixLog(events, o.log));
  const rootsWanted = o.rootsReport !== null || (o.trace === null && o.log === null);
  if (rootsWanted) {
    const r = buildRootsReport(events);
    const text = a.json ? rootsReportJson(r) : rootsReportText(r);
    if (o.rootsReport) writeFileSync(o.rootsReport, text);
    else write(text);
  }
  return events.some((e) => e.type === 'inspect.finding') ? 1 : 0;
}
