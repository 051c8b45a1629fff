/**
 * The watchdog's finding: for each live actor, what it waits for and what it
 * holds, so that a hang reads like a thread dump (DESIGN.md §6 liveness: "a
 * watchdog reports who holds which lock"; protocol notes §12.5: "a watchdog
 * should be able to say which thread holds which mutex, not only which pid
 * holds which flock"). Runtimes say what each actor waits for (`ActorWaitState`);
 * this file names files and peers from the store and the process table.
 */
import type { FlockMode, LockHolder, Store } from '../store/index.js';

/** The ends of a connection an actor can wait on. */
export type ConnectionEnd = 'daemon-client' | 'daemon-worker' | 'roots-client' | 'roots-server';

/** One thing an actor waits for. */
export type WaitFor =
  /** A flock; `file` is the lock file's slot when the runtime knows it. */
  | { readonly kind: 'flock'; readonly file: number | null; readonly label: string; readonly mode: FlockMode }
  | { readonly kind: 'message'; readonly on: ConnectionEnd }
  | { readonly kind: 'accept' }
  | { readonly kind: 'barrier'; readonly name: string }
  | { readonly kind: 'exit'; readonly process: string }
  | { readonly kind: 'gcThread' }
  | { readonly kind: 'connect'; readonly to: string }
  | { readonly kind: 'kill' }
  /** No context wait: a fiber awaits a condition of the actor itself. */
  | { readonly kind: 'internal' };

export type ActorWaitState =
  /** Every fiber of the actor waits; `holds`: open file descriptions it locked itself, when known. */
  | { readonly state: 'blocked'; readonly waits: readonly WaitFor[]; readonly holds?: readonly number[] }
  /** Its thread did not answer for `forMs` (blocked synchronously). */
  | { readonly state: 'unresponsive'; readonly forMs: number }
  /** It could go on (what the sim would resume next). */
  | { readonly state: 'runnable'; readonly at: string };

/** What the report needs of an actor (an ActorEntry is one). */
export interface ReportedActor {
  readonly name: string;
  readonly pid: number;
  readonly role: string;
  readonly ended: boolean;
  /** For naming peers: a client's daemon workers, a worker's client, a process's GC threads. */
  readonly workers: readonly ReportedActor[];
  readonly gcThreads: readonly ReportedActor[];
  readonly parent?: ReportedActor;
}

export interface ReportInput<A extends ReportedActor> {
  readonly store: Store;
  /** Every actor that has not ended, with what it waits for. */
  readonly live: readonly { readonly actor: A; readonly wait: ActorWaitState }[];
  /** Who has arrived at a barrier and which parties have not. */
  readonly barrier: (name: string) => { readonly arrived: readonly string[]; readonly missing: readonly string[] };
  /** Extra lines (held store mutexes, recovered ones). */
  readonly notes?: readonly string[];
}

const who = (a: ReportedActor): string => `${a.name} (pid ${a.pid})`;

/** The finding's message: `lead` (why the run was stopped), then one clause per live actor. */
export function deadlockMessage<A extends ReportedActor>(lead: string, r: ReportInput<A>): string {
  const { store } = r;
  const describe = (file: number): string => store.tempRoots.describe(file);
  const holders = store.flock.holders();
  // A description belongs to a pid; attribute it to the actor that locked it, else to the pid's process (not its GC thread).
  const holderOf = (h: LockHolder): A | null => {
    const byOfd = r.live.find((l) => l.wait.state === 'blocked' && l.wait.holds?.includes(h.ofd));
    if (byOfd) return byOfd.actor;
    const ofPid = r.live.filter((l) => l.actor.pid === h.owner);
    return (ofPid.find((l) => l.actor.role !== 'autoGcThread') ?? ofPid[0])?.actor ?? null;
  };
  const heldBy = new Map<A | null, LockHolder[]>();
  for (const h of holders) {
    const a = holderOf(h);
    heldBy.set(a, [...(heldBy.get(a) ?? []), h]);
  }
  const lockName = (h: LockHolder): string => `${describe(h.file)} (${h.mode})`;
  const holderName = (h: LockHolder): string => {
    const a = holderOf(h);
    return `${a ? who(a) : `pid ${h.owner} (ended)`} (${h.mode})`;
  };

  const waitText = (a: A, w: WaitFor): string => {
    switch (w.kind) {
      case 'flock': {
        const name = w.file === null ? w.label : describe(w.file);
        const on = w.file === null ? holders.filter((h) => describe(h.file) === w.label) : holders.filter((h) => h.file === w.file);
        const by = on.length > 0 ? `held by ${on.map(holderName).join(', ')}` : w.file === null ? 'holder unknown' : 'held by nobody now';
        return `flock ${name} (${w.mode}), ${by}`;
      }
      case 'message': {
        switch (w.on) {
          case 'daemon-client': {
            const workers = a.workers.filter((x) => !x.ended);
            return `a reply on its daemon connection${workers.length ? ` from ${workers.map(who).join(', ')}` : ''}`;
          }
          case 'daemon-worker':
            return `a request on its daemon connection${a.parent ? ` from ${who(a.parent)}` : ''}`;
          case 'roots-client':
            return "the GC's ack on a roots-socket connection";
          case 'roots-server':
            return 'a root on a roots-socket connection';
        }
        return 'a message';
      }
      case 'accept':
        return 'a connection on the roots socket';
      case 'barrier': {
        const b = r.barrier(w.name);
        const n = b.arrived.length + b.missing.length;
        return `barrier '${w.name}' (${b.arrived.length} of ${n} parties arrived${b.arrived.length ? `: ${b.arrived.join(', ')}` : ''}; still to come: ${b.missing.join(', ') || 'none'})`;
      }
      case 'exit':
        return `the exit of ${w.process} and its daemon workers`;
      case 'gcThread': {
        const threads = a.gcThreads.filter((x) => !x.ended);
        return `its GC thread${threads.length ? ` ${threads.map(who).join(', ')}` : ''}`;
      }
      case 'connect':
        return `a connection to the ${w.to}`;
      case 'kill':
        return 'the kill of its daemon worker';
      case 'internal':
        return 'a condition of its own (no context wait)';
    }
  };

  const clauses = r.live.map(({ actor, wait }) => {
    const held = heldBy.get(actor) ?? [];
    const holds = held.length > 0 ? `holds ${held.map(lockName).join(', ')}` : 'holds no lock';
    switch (wait.state) {
      case 'blocked':
        return `${who(actor)} waits for ${wait.waits.map((w) => waitText(actor, w)).join(' and ') || 'nothing it says'}; ${holds}`;
      case 'unresponsive':
        return `${who(actor)} gives no answer for ${Math.round(wait.forMs)} ms (its thread is blocked synchronously); ${holds}`;
      case 'runnable':
        return `${who(actor)} could go on at '${wait.at}'; ${holds}`;
    }
  });
  const orphans = (heldBy.get(null) ?? []).map((h) => `pid ${h.owner} (ended) holds ${lockName(h)}`);
  const still = r.live.map((l) => who(l.actor)).join(', ');
  return [`${lead}; still running ${still || 'nobody'}`, ...clauses, ...orphans, ...(r.notes ?? [])].join('. ');
}
