/** The roots report as text (a table, then one block per process that held roots) or JSON. */
import { ms } from './processes.js';
import type { ActorRef, EndedProcess, FileFate, Need, RootsReport } from './rootsReport.js';

const by = (r: ActorRef): string => `${r.actor}, pid ${r.pid}`;

function fate(f: FileFate): string {
  switch (f.state) {
    case 'none':
      return 'none (no temp roots)';
    case 'unlinked-by-owner':
      return `unlinked by its owner at exit (${ms(f.t)})`;
    case 'removed-stale':
      return `left behind; removed as stale at ${ms(f.t)} by GC run ${f.gcRun} (${by(f.by)})`;
    case 'left-on-disk':
      return 'left behind; still in temproots/ when the run ended';
  }
}

function need(n: Need): string {
  if (!n.via) return `at ${ms(n.t)}: ${n.message}`;
  const what = `its ${n.via.op} of ${n.via.subject} (in ${by(n.via)})`;
  return `at ${ms(n.t)} ${what}${n.how === 'referenced' ? ', which references it,' : ''} failed: ${n.message}`;
}

function who(p: EndedProcess): string {
  return p.client ? `${p.name} (pid ${p.pid}), daemon worker of ${p.client.actor} (pid ${p.client.pid})` : `${p.name} (pid ${p.pid})`;
}

function ended(p: EndedProcess): string {
  return `${p.ended.cause} at ${ms(p.ended.t)}`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

function block(p: EndedProcess): string[] {
  const out = [`${who(p)}: ${p.role}, ended ${ended(p)}${p.ended.error ? `: ${p.ended.error}` : ''}`];
  out.push(`  held ${p.roots.length} temp root${p.roots.length === 1 ? '' : 's'}:`);
  for (const r of p.roots) {
    const wrote = r.firstWrittenHere ? `, first written to the store here${p.client ? ` for ${p.client.actor}` : ''}` : '';
    out.push(`    ${r.path}  (added at ${ms(r.t)} via ${r.via}${wrote})`);
  }
  out.push(`  temp-roots file: ${fate(p.file)}`);
  if (p.deletions.length === 0) out.push('  none of its roots was deleted later');
  else out.push('  deleted later:');
  for (const d of p.deletions) {
    const when = d.afterEnd ? '' : ' — while this process still protected it';
    out.push(`    ${d.path}`, `      at ${ms(d.t)} by GC run ${d.gcRun} (${by(d.by)})${when}`);
    if (d.neededBy.length === 0) out.push('      no live process is known to have needed it');
    for (const n of d.neededBy) out.push(`      still needed by ${n.name} (pid ${n.pid}), alive then: ${need(n)}`);
  }
  return out;
}

/** Text: a header, a table of ended processes, then a block for each process that held roots. */
export function rootsReportText(r: RootsReport): string {
  const lines: string[] = [];
  lines.push(r.run ? `roots report: scenario ${r.run.scenario}, profile ${r.run.profile}, seed ${r.run.seed}` : 'roots report');
  lines.push('');
  if (r.processes.length === 0) return `${[...lines, 'no process ended'].join('\n')}\n`;
  lines.push('processes that ended, in order of exit:');
  const rows = [['pid', 'process', 'role', 'ended', 'roots', 'deleted later', 'temp-roots file']];
  for (const p of r.processes) {
    rows.push([String(p.pid), p.name, p.role, ended(p), String(p.roots.length), String(p.deletions.length), fate(p.file)]);
  }
  lines.push(...table(rows).map((l) => `  ${l}`));
  for (const p of r.processes) {
    if (p.roots.length === 0) continue;
    lines.push('', ...block(p));
  }
  return `${lines.join('\n')}\n`;
}

/** JSON, two-space indented, with a trailing newline. */
export function rootsReportJson(r: RootsReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
