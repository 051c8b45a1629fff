/** Observers of the inspection stream, one per format (DESIGN.md §1). Imports messages only. */
export { EVENTS_SCHEMA_VERSION, parseEvents, toNdjson } from './ndjson.js';
export { logLine, logTag, renderNixLog, type LogLevel } from './nixLog.js';
export { buildRootsReport, ROOTS_REPORT_SCHEMA_VERSION, type RootsReport } from './rootsReport.js';
export { rootsReportJson, rootsReportText } from './rootsReportText.js';
export { renderTrace } from './trace.js';
export { TRACE_SCHEMA_VERSION } from './traceState.js';
export { chainJson, chainLines } from './chain.js';
