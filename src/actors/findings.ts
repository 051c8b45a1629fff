/**
 * Findings from a run's events: client failures classified by kind, and the
 * causal chain behind a lost path (who rooted it last, when that process ended,
 * which GC found its file stale and deleted the path, who failed).
 */
import type { ErrorCode } from '../messages/errors.js';
import type { FindingKind, InspectEvent } from '../messages/inspect.js';
import type { CausalStep, Finding } from '../messages/result.js';

export function classifyError(code: ErrorCode, message: string): FindingKind {
  switch (code) {
    case 'nix.InvalidPath':
      return 'invalid-reference';
    case 'nix.MissingDerivation':
      return 'missing-derivation';
    case 'nix.Build':
      return /requires non-existent output|does not exist/.test(message) ? 'missing-input-output' : 'client-error';
    case 'nix.Io':
      return /\.drv'/.test(message) ? 'missing-derivation' : 'client-error';
    case 'nix.SocketConnect':
      return 'socket-error';
    case 'nix.PathInUse':
      return 'gc-aborted';
    case 'rootrace.deadlock':
      return 'deadlock';
    default:
      return 'client-error';
  }
}

const pathInMessage = /'(\/nix\/store\/[^']+)'/;

export function pathOfMessage(message: string): string {
  return pathInMessage.exec(message)?.[1] ?? '';
}

function step(e: InspectEvent, what: string): CausalStep {
  return { seq: e.seq, t: e.t, pid: e.pid, actor: e.actor, what };
}

/** The story of `path` up to event `failSeq`, in plain words. */
export function causalChain(events: readonly InspectEvent[], path: string, failSeq: number): CausalStep[] {
  const chain: CausalStep[] = [];
  if (!path) return chain;
  const before = events.filter((e) => e.seq <= failSeq);
  const deletion = before.filter((e) => e.type === 'inspect.gc.delete' && e.path === path).at(-1);
  // The root that mattered is the last one before the path was deleted.
  const horizon = deletion ? deletion.seq : failSeq;
  const last = before.filter((e) => e.type === 'inspect.tempRoot.add' && e.path === path && e.seq < horizon).at(-1);
  const starts = new Map<number, InspectEvent>();
  for (const e of events) if (e.type === 'inspect.process.start' && !starts.has(e.pid)) starts.set(e.pid, e);
  if (last) {
    const start = starts.get(last.pid);
    const client = start?.type === 'inspect.process.start' && start.parent !== undefined ? starts.get(start.parent) : undefined;
    const of = client ? ` (daemon worker of ${client.actor}, pid ${client.pid})` : '';
    chain.push(step(last, `${last.actor} (pid ${last.pid})${of} last added a temp root for '${path}'`));
    const exit = events.find((e) => e.type === 'inspect.process.exit' && e.pid === last.pid && e.seq > last.seq);
    if (exit && exit.type === 'inspect.process.exit') {
      chain.push(step(exit, `pid ${exit.pid} exited (${exit.cause}); its temp roots stopped protecting anything`));
    }
    const removal = events.find(
      (e) => (e.type === 'inspect.tempRoots.stale' || e.type === 'inspect.tempRoots.unlink') && e.file === last.pid && e.seq > last.seq,
    );
    if (removal?.type === 'inspect.tempRoots.stale') {
      chain.push(step(removal, `GC run ${removal.gcRun} removed the stale temp-roots file temproots/${removal.file}`));
    } else if (removal?.type === 'inspect.tempRoots.unlink') {
      chain.push(step(removal, `temproots/${removal.file} was unlinked by its owner (${removal.reason})`));
    }
  } else {
    chain.push({ seq: 0, t: 0, pid: 0, actor: '-', what: `no live process held a temp root for '${path}'` });
  }
  if (deletion && deletion.type === 'inspect.gc.delete') {
    chain.push(step(deletion, `GC run ${deletion.gcRun} (pid ${deletion.pid}) deleted '${path}'`));
  }
  return chain;
}

/** Collects findings: explicit finding events, and failed client processes. */
export function findingsFrom(events: readonly InspectEvent[]): Finding[] {
  const out: Finding[] = [];
  for (const e of events) {
    if (e.type === 'inspect.finding') {
      out.push({ kind: e.kind, t: e.t, message: e.message, path: e.path, pid: e.pid, actor: e.actor, chain: causalChain(events, e.path, e.seq) });
    }
  }
  return out;
}
