/** A scenario as a sweep needs it: its defaults, profiles with its `set`, and a build per point. */
import type { Profile } from '../../messages/profile.js';
import type { ScenarioRun } from '../../messages/scenario.js';
import { openScenario, profilesFor } from '../file/entry.js';

export interface ScenarioBuilder {
  readonly name: string;
  /** Parameter defaults (the names a sweep may vary besides `workers`). */
  readonly params: Readonly<Record<string, number>>;
  readonly defaultProfile: string;
  /** The profile with the scenario's `set` and the command line's `--set` applied. */
  profile(p: Profile): Profile;
  build(params: Readonly<Record<string, number>>): ScenarioRun;
}

export function scenarioBuilder(nameOrPath: string, cliSets: readonly string[]): ScenarioBuilder {
  const entry = openScenario(nameOrPath);
  const base = entry.expand([]);
  return {
    name: entry.name,
    params: base.params,
    defaultProfile: base.defaultProfile,
    profile: (p) => profilesFor(base, [p.name], cliSets)[0]!,
    build: (params) => entry.expand(Object.entries(params).map(([k, v]) => `${k}=${v}`)).run,
  };
}
