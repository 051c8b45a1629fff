/**
 * Findings from a run's events: client failures classified by kind, and the
 * causal chain behind a lost path (who rooted it last, when that process ended,
 * which GC found its file stale and deleted the path, who failed) with the one
 * step that decided it marked.
 */
import type { ErrorCode } from '../messages/errors.js';
import type { FindingKind, InspectEvent } from '../messages/inspect.js';
import type { CausalStep, Finding } from '../messages/result.js';

type Of<T extends InspectEvent['type']> = Extract<InspectEvent, { type: T }>;

export function classifyError(code: ErrorCode, message: string): FindingKind {
  switch (code) {
    case 'nix.InvalidPath':
      // readDerivation's accessor (`… is not a valid store path`) on a drv that is gone; else a reference at registration.
      return /(is not a valid store path|' does not exist)$/.test(message) && /\.drv'/.test(message) ? 'missing-derivation' : 'invalid-reference';
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

/** Findings the simulator reports about the store, not a process that failed. */
const REPORTED: ReadonlySet<FindingKind> = new Set(['gc-safety', 'closure', 'deadlock']);

/** Who a pid is, from the stream's process starts (a GC thread's start does not rename its process). */
class Who {
  private readonly starts = new Map<number, Of<'inspect.process.start'>>();

  constructor(events: readonly InspectEvent[]) {
    for (const e of events) if (e.type === 'inspect.process.start' && e.role !== 'autoGcThread' && !this.starts.has(e.pid)) this.starts.set(e.pid, e);
  }

  /**
   * `W(X) (pid 1003), daemon worker of X (pid 1000)`; a GC thread by its own
   * name (`gc-thread(W(X)) (pid 1003)`); the actor alone for pids no process
   * owns (the checker).
   */
  label(pid: number, actor: string): string {
    const p = this.starts.get(pid);
    if (!p) return actor;
    const client = p.parent !== undefined && actor === p.name ? this.starts.get(p.parent) : undefined;
    return client ? `${actor} (pid ${pid}), daemon worker of ${client.name} (pid ${client.pid})` : `${actor} (pid ${pid})`;
  }

  /** A process with its daemon workers, or a daemon worker with its client: whoever acts for the same client. */
  family(pid: number): Set<number> {
    const client = this.starts.get(pid)?.parent ?? pid;
    const out = new Set<number>([pid, client]);
    for (const p of this.starts.values()) if (p.parent === client) out.add(p.pid);
    return out;
  }
}

/** A chain step; a check that carries the switch behind it passes the switch on (the finding's explanation reads it). */
function step(e: InspectEvent, what: string, decisive = false): CausalStep {
  const sw = (e.type === 'inspect.check' || e.type === 'inspect.tempRoot.add') && e.switch ? { switch: { name: e.switch.name, value: e.switch.value } } : {};
  return { seq: e.seq, t: e.t, pid: e.pid, actor: e.actor, what, ...(decisive ? { decisive: true as const } : {}), ...sw };
}

/** The first or last event of `type` in `events` that satisfies `pred`. */
function first<T extends InspectEvent['type']>(events: readonly InspectEvent[], type: T, pred: (e: Of<T>) => boolean): Of<T> | undefined {
  for (const e of events) if (e.type === type && pred(e as Of<T>)) return e as Of<T>;
  return undefined;
}
function last<T extends InspectEvent['type']>(events: readonly InspectEvent[], type: T, pred: (e: Of<T>) => boolean): Of<T> | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === type && pred(e as Of<T>)) return e as Of<T>;
  }
  return undefined;
}

/**
 * The story of `finding.path` up to the failure, in time order, every step
 * before it. The failure is the failing process's own failed daemon op with
 * the finding's text (its daemon worker raised it), else the finding itself;
 * nothing after it can be a cause. The decisive step, in order of preference:
 * the last `isValidPath` check that found the path valid without a temp root
 * of its own (the failing process's, else anyone's) before the GC deleted it;
 * else the moment the last rooter's protection ended (its exit or its file's
 * unlink) with nobody rooting it since; else the deletion itself; else, for
 * a violation the simulator reports, the report. `events` must be in seq order.
 */
export function causalChain(events: readonly InspectEvent[], finding: Of<'inspect.finding'>): CausalStep[] {
  const path = finding.path;
  if (!path) return [];
  const who = new Who(events);
  const family = who.family(finding.pid);
  const failedOp = last(events, 'inspect.op', (e) => e.seq < finding.seq && e.result === 'error' && e.error === finding.message && family.has(e.pid));
  const failure = failedOp?.seq ?? finding.seq;
  const story = events.filter((e) => e.seq < failure);

  const deletion = last(story, 'inspect.gc.delete', (e) => e.path === path);
  const horizon = deletion?.seq ?? failure;
  // An earlier deletion ends an earlier life of the path: roots and checks before it are another story.
  const since = (deletion ? last(story, 'inspect.gc.delete', (e) => e.path === path && e.seq < deletion.seq)?.seq : undefined) ?? -1;
  const inLife = (e: InspectEvent): boolean => e.seq > since && e.seq < horizon;
  const root = last(story, 'inspect.tempRoot.add', (e) => e.path === path && inLife(e));
  const trusted = (e: Of<'inspect.check'>): boolean => e.path === path && e.valid && !e.rooted && inLife(e);
  const check = last(story, 'inspect.check', (e) => trusted(e) && family.has(e.pid)) ?? last(story, 'inspect.check', trusted);

  const chain: CausalStep[] = [];
  let decided = false;
  if (check) {
    const because = check.switch ? `, because ${check.switch.name}=${String(check.switch.value)} on this profile` : '';
    chain.push(step(check, `${check.actor}'s ${check.site} found '${path}' valid and ${check.then}${because}`, true));
    decided = true;
  }
  if (root) {
    chain.push(step(root, `${who.label(root.pid, root.actor)} last added a temp root for '${path}'${root.via === 'socket' ? ' (over the roots socket)' : ''}`));
    // Only what happened to the rooter before the deletion can have caused it.
    const between = (e: InspectEvent): boolean => e.seq > root.seq && e.seq < horizon;
    const exit = first(story, 'inspect.process.exit', (e) => e.pid === root.pid && between(e));
    const unlink = first(story, 'inspect.tempRoots.unlink', (e) => e.file === root.pid && between(e));
    const stale = first(story, 'inspect.tempRoots.stale', (e) => e.file === root.pid && between(e));
    // Protection ended at whichever came first: the owner unlinking its file, or its exit (the kernel drops its flock).
    const end = unlink && (!exit || unlink.seq < exit.seq) ? unlink : exit;
    const unprotected = `before any other process temp-rooted '${path}': from then on nothing protected it`;
    const endsHere = (e: InspectEvent): boolean => !decided && e === end;
    if (unlink) {
      const what = `${who.label(unlink.pid, unlink.actor)} unlinked its temp-roots file temproots/${unlink.file} (${unlink.reason})`;
      chain.push(endsHere(unlink) ? step(unlink, `${what} ${unprotected}`, true) : step(unlink, what));
    }
    if (exit) {
      const what = `${who.label(exit.pid, exit.actor)} exited (${exit.cause})`;
      chain.push(endsHere(exit) ? step(exit, `${what} ${unprotected}`, true) : step(exit, `${what}; its temp roots stopped protecting anything`));
    }
    if (stale) chain.push(step(stale, `GC run ${stale.gcRun} (pid ${stale.pid}) removed the stale temp-roots file temproots/${stale.file}`));
    if (end) decided = true;
    // The rooter still ran, but its root went to its file only while a GC ran (gc.cc:124–155 @2.8.0): that GC never heard of it.
    if (!decided && root.via === 'file-undelivered') {
      const because = root.switch ? `, because ${root.switch.name}=${String(root.switch.value)} on this profile` : '';
      const i = chain.findIndex((c) => c.seq === root.seq);
      chain[i] = step(root, `${who.label(root.pid, root.actor)} added a temp root for '${path}' to its file only: the running GC's roots socket never got it${because}`, true);
      decided = true;
    }
  }
  if (deletion) {
    const what = `GC run ${deletion.gcRun} (pid ${deletion.pid}) deleted '${path}'`;
    if (decided) chain.push(step(deletion, what));
    else if (root) chain.push(step(deletion, `${what} while ${who.label(root.pid, root.actor)}, which had temp-rooted it, was still running`, true));
    else chain.push(step(deletion, `${what}; no process had temp-rooted it`, true));
    decided = true;
  }
  if (failedOp) chain.push(step(failedOp, `${who.label(failedOp.pid, failedOp.actor)}: ${failedOp.op} '${failedOp.path}' failed: ${finding.message}`));
  // A violation the simulator reports (a GC-safety check runs as the path goes) is itself the decisive fact when nothing before it was.
  const reported = REPORTED.has(finding.kind);
  chain.push(step(finding, `${who.label(finding.pid, finding.actor)} ${reported ? 'reported' : 'failed'}: ${finding.message}`, reported && !decided));
  return chain.sort((a, b) => a.seq - b.seq);
}

/** Collects findings: the finding events, each with its causal chain. */
export function findingsFrom(events: readonly InspectEvent[]): Finding[] {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  const out: Finding[] = [];
  for (const e of ordered) {
    if (e.type === 'inspect.finding') {
      out.push({ kind: e.kind, t: e.t, message: e.message, path: e.path, pid: e.pid, actor: e.actor, chain: causalChain(ordered, e) });
    }
  }
  return out;
}
