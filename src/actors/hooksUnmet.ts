/**
 * Telling the scenario's scaffolding from Nix: a run that stalls only because
 * of the scenario's own barriers means the interleaving it forces does not
 * exist on that release (`rootrace versions` reports it as n/a, not as a
 * deadlock finding).
 */
/** Waits of a server side that only answers others (an idle daemon worker, a roots server): they never hold a run up. */
const PASSIVE = [/^a request on its daemon connection\b/, /^a connection on the roots socket$/, /^a root on a roots-socket connection$/];
/** Waits on other actors: the flock's holders (a pid: any actor of it), the daemon worker that owes a reply, its own GC thread. */
const ON_OTHERS = [/^flock .*, held by (.+)$/, /^a reply on its daemon connection from (.+)$/, /^its GC thread (.+)$/];
const WHO = /(.+?) \(pid (\d+)\)/g;
const BARRIER = /barrier '([^']*)' \(([^()]*)\)/g;

/**
 * Whether a `deadlock` finding is the scenario's own scaffolding rather than
 * Nix: the run stalled only because of the scenario's barriers (its hooks and
 * `barrier` steps), so the interleaving it forces cannot happen on this
 * release. Every live actor must wait at a barrier, only serve others (an idle
 * daemon worker), or wait on actors that do (a flock held, a reply owed, by an
 * actor paused at a barrier: ≤2.4's gc.lock while the GC is paused); a cycle
 * with no barrier in it is a real deadlock. Returns who waits where, or null.
 * The watchdog records the waits only in its message (actors/deadlockReport.ts:
 * `<name> (pid N) waits for <w> and <w>; holds …`), so this reads the message;
 * one without per-actor waits is never n/a.
 */
export function hooksUnmet(f: { readonly kind: string; readonly message: string }): string | null {
  if (f.kind !== 'deadlock') return null;
  const still = /; still running (.+?)(?:\. |$)/.exec(f.message);
  if (!still) return null;
  const waits = new Map<string, string[]>();
  for (const m of still[1]!.matchAll(WHO)) {
    const who = `${m[1]!.replace(/^, /, '')} (pid ${m[2]!})`;
    const head = `. ${who} waits for `;
    const at = f.message.indexOf(head);
    if (at < 0) return null;
    const rest = f.message.slice(at + head.length);
    const end = rest.indexOf('; holds ');
    const text = end < 0 ? rest : rest.slice(0, end);
    // Barrier clauses may hold anything but parentheses; `the exit of P and its daemon workers` is one wait.
    const barriers = [...text.matchAll(BARRIER)].map((b) => `barrier '${b[1]!}' (${b[2]!})`);
    const others = text.replace(BARRIER, '').split(/ and (?!its daemon workers)/).map((x) => x.trim()).filter(Boolean);
    waits.set(who, [...barriers, ...others]);
  }
  const reasons: string[] = [];
  const settled = new Map<string, boolean>();
  const blockedByBarriers = (who: string, path: readonly string[]): boolean => {
    const known = settled.get(who);
    if (known !== undefined) return known;
    const ws = waits.get(who);
    if (ws === undefined || path.includes(who)) return false; // ended, or a cycle with no barrier on it
    const ok = ws.every((w) => {
      if (w.startsWith('barrier ')) return true;
      if (PASSIVE.some((re) => re.test(w))) return true;
      const on = ON_OTHERS.map((re) => re.exec(w)).find((m) => m !== null);
      // A flock belongs to a pid, which the report names by its process: any other actor of the pid may be the one holding it.
      const pids = on ? [...on[1]!.matchAll(WHO)].map((m) => `(pid ${m[2]!})`) : [];
      const targets = [...waits.keys()].filter((t) => t !== who && pids.some((pid) => t.endsWith(pid)));
      return pids.length > 0 && targets.length > 0 && targets.every((t) => blockedByBarriers(t, [...path, who]));
    });
    settled.set(who, ok);
    return ok;
  };
  for (const [who, ws] of waits) {
    if (!blockedByBarriers(who, [])) return null;
    const name = who.replace(/ \(pid \d+\)$/, '');
    for (const w of ws) {
      const b = /^barrier '([^']*)' \((.*)\)$/.exec(w);
      if (!b) continue;
      const missing = /(?:still to come|not arrived): ([^;]*)/.exec(b[2]!)?.[1]?.trim();
      reasons.push(`${name} waits at '${b[1]!}'${missing ? ` for ${missing}` : ''}`);
    }
  }
  return reasons.length > 0 ? reasons.join('; ') : null;
}
