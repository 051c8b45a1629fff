/**
 * A structural check of a Chrome trace, the rules ui.perfetto.dev relies on:
 * valid JSON, every track named, timestamps non-decreasing per track, complete
 * slices on one track nested (Perfetto's rule: a slice ending at or before the
 * next one's start is closed), every async span closed, every flow arrow with
 * both ends. Returns the problems found; an empty list means well formed.
 */
interface Ev {
  name?: string;
  cat?: string;
  ph?: string;
  ts?: number;
  dur?: number;
  pid?: number;
  tid?: number;
  id?: string;
  bind_id?: string;
  flow_in?: boolean;
  flow_out?: boolean;
  args?: Record<string, unknown>;
}

export function checkTrace(text: string): string[] {
  const problems: string[] = [];
  let doc: { traceEvents?: Ev[]; otherData?: Record<string, unknown> };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (e) {
    return [`not valid JSON: ${(e as Error).message}`];
  }
  const evs = doc.traceEvents;
  if (!Array.isArray(evs)) return ['no traceEvents array'];
  const processNames = new Set<number>();
  const threadNames = new Set<string>();
  const tracks = new Map<string, Ev[]>();
  for (const [i, e] of evs.entries()) {
    if (typeof e.ph !== 'string' || typeof e.pid !== 'number' || typeof e.tid !== 'number') {
      problems.push(`event ${i}: missing ph/pid/tid`);
      continue;
    }
    if (e.ph === 'M') {
      if (e.name === 'process_name') processNames.add(e.pid);
      if (e.name === 'thread_name') threadNames.add(`${e.pid}/${e.tid}`);
      continue;
    }
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) problems.push(`event ${i} (${e.name}): bad ts`);
    const key = `${e.pid}/${e.tid}`;
    (tracks.get(key) ?? tracks.set(key, []).get(key)!).push(e);
  }
  for (const [key, list] of tracks) {
    const pid = Number(key.split('/')[0]);
    if (!threadNames.has(key)) problems.push(`track ${key} has no thread_name`);
    if (!processNames.has(pid)) problems.push(`process ${pid} has no process_name`);
    let last = -Infinity;
    const stack: { name: string; end: number }[] = [];
    for (const e of list) {
      if (e.ts! < last) problems.push(`track ${key}: ts ${e.ts} after ${last} (${e.name})`);
      last = Math.max(last, e.ts!);
      if (e.ph !== 'X') continue;
      if (typeof e.dur !== 'number' || e.dur < 0) {
        problems.push(`track ${key}: slice ${e.name} has bad dur ${e.dur}`);
        continue;
      }
      while (stack.length && stack.at(-1)!.end <= e.ts!) stack.pop();
      const top = stack.at(-1);
      if (top && e.ts! + e.dur > top.end) problems.push(`track ${key}: slice '${e.name}' [${e.ts}, ${e.ts! + e.dur}] overlaps '${top.name}' ending ${top.end}`);
      stack.push({ name: e.name ?? '', end: e.ts! + e.dur });
    }
  }
  const open = new Map<string, number>();
  const flowsOut = new Set<string>();
  const flowsIn = new Set<string>();
  for (const e of evs) {
    if (e.ph === 'b' || e.ph === 'e') {
      const k = `${e.cat}|${e.name}|${e.id}|${e.pid}`;
      if (e.ph === 'b') {
        if (open.has(k)) problems.push(`async span ${k} begun twice`);
        open.set(k, e.ts!);
      } else {
        const b = open.get(k);
        if (b === undefined) problems.push(`async span ${k} ends without a begin`);
        else if (e.ts! < b) problems.push(`async span ${k} ends before it begins`);
        open.delete(k);
      }
    }
    if (e.bind_id !== undefined) {
      if (!e.flow_in && !e.flow_out) problems.push(`flow ${e.bind_id} on '${e.name}' has no direction`);
      if (e.flow_in && !flowsOut.has(e.bind_id)) problems.push(`flow ${e.bind_id} arrives at '${e.name}' before it leaves anywhere`);
      if (e.flow_in) flowsIn.add(e.bind_id);
      if (e.flow_out) flowsOut.add(e.bind_id);
    }
  }
  for (const k of open.keys()) problems.push(`async span ${k} never closed`);
  for (const id of flowsOut) if (!flowsIn.has(id)) problems.push(`flow ${id} leaves but never arrives`);
  return problems;
}
