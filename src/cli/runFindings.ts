/**
 * What `rootrace run` says about each finding beyond its chain (issue #13
 * item 3): why it happened on this profile (findingWhy.ts) and the command
 * that reruns exactly that run (rerun.ts), in text and in `--json`.
 */
import type { RunArgs } from './args.js';
import { whyOf, type Why } from './findingWhy.js';
import { rerunCommand, rerunNote } from './rerun.js';
import type { CausalStep } from '../messages/result.js';

interface FindingAt {
  readonly profile: string;
  readonly seed: number;
  readonly chain: readonly CausalStep[];
}

export interface FindingNotes {
  why(f: FindingAt): Why;
  rerun(f: FindingAt): string;
  /** `why: …` and `rerun: …` lines, indented under the finding. */
  lines(f: FindingAt): string[];
}

/**
 * For the findings of one invocation: `profiles` are the run's profile names
 * in order (as runMany reports them), each run from the spec at the same index
 * (`--profile`, else the scenario's default); `fileSets` the scenario file's `set`.
 */
export function findingNotes(a: RunArgs, profiles: readonly string[], defaultProfile: string, fileSets: readonly string[]): FindingNotes {
  const specs = a.profiles.length > 0 ? a.profiles : [defaultProfile];
  const specOf = (name: string): string => {
    const i = profiles.indexOf(name);
    const spec = specs[i];
    if (spec === undefined) throw new RangeError(`no profile spec for '${name}'`);
    return spec;
  };
  const notes: FindingNotes = {
    why: (f) => whyOf(f.chain, { spec: specOf(f.profile), daemonSpec: a.daemonProfile, cliSets: a.sets, fileSets }),
    rerun: (f) => rerunCommand(a, specOf(f.profile), f.seed),
    lines: (f) => [`  why: ${notes.why(f).text}`, `  rerun: ${notes.rerun(f)}  (${rerunNote(a.runtime)})`],
  };
  return notes;
}
