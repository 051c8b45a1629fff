/**
 * Which release's code an actor runs when versions are mixed (issue #11): as in
 * Nix, code runs where its process is. A client process runs its own release
 * (writeDerivation's early return is client code); daemon workers run the
 * daemon's (the worker's LocalStore: its temp roots, addToStore, build goals);
 * the collector is the daemon's too — `nix-collect-garbage` runs the deletion
 * loop the daemon would; an auto-GC thread runs its process's release.
 */
import type { ActorRole } from '../messages/inspect.js';
import type { Profile, Switches } from '../messages/profile.js';
import type { ProcessSpec } from '../messages/scenario.js';

export function switchesFor(role: ActorRole, profile: Profile, process?: ProcessSpec, parent?: Switches): Switches {
  const daemon = profile.daemon?.switches ?? profile.switches;
  switch (role) {
    case 'evaluator':
      return process?.nix?.switches ?? profile.switches;
    case 'gc':
      return process?.nix?.switches ?? daemon;
    case 'daemonWorker':
      return daemon;
    case 'autoGcThread':
      return parent ?? daemon;
    case 'coordinator':
      return profile.switches;
  }
}
