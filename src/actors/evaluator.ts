/**
 * A client process (nix-instantiate, nix-build, nix-store, nix-collect-garbage)
 * running a scenario program. With `store: daemon` (the default) it talks to
 * its own daemon worker through RemoteStore; with `store: local`
 * (`NIX_REMOTE=local`, a single-user install) it opens the store itself: its
 * temp roots, auto-GC thread and build goals are its own, and an assertion
 * kills it. `nix-collect-garbage` always collects in-process.
 */
import { AssertionAbort } from '../messages/errors.js';
import type { ProcessSpec, Step } from '../messages/scenario.js';
import type { ActorContext } from './context.js';
import { closureInOrder, resolve, type ResolvedDrv } from './derivations.js';
import { collectGarbage } from './gc.js';
import { LocalClient } from './localClient.js';
import { LocalStore } from './localStore.js';
import { RemoteStore } from './remoteStore.js';

export async function clientProcess(ctx: ActorContext, spec: ProcessSpec): Promise<void> {
  const local = spec.store === 'local' || spec.kind === 'nix-collect-garbage' ? new LocalStore(ctx) : null;
  const remote = local ? new LocalClient(ctx, local) : new RemoteStore(ctx);
  // `--eval-store`: a second store of this process for evaluation (§12.6). Local, it is another
  // LocalStore with this same pid; through the daemon, another connection (another worker).
  const evalLocal = spec.evalStore === 'local' ? new LocalStore(ctx, 1) : null;
  const evalStore = evalLocal ? new LocalClient(ctx, evalLocal) : spec.evalStore === 'daemon' ? new RemoteStore(ctx) : remote;
  const resolved = resolve(ctx.scenario);
  /** fetchToStore's in-process srcToStore cache. */
  const fetched = new Set<string>();
  let gcRuns = 0;
  const drvOf = (name: string): ResolvedDrv => {
    const d = resolved.drvs.get(name);
    if (!d) throw new RangeError(`unknown derivation '${name}'`);
    return d;
  };

  /** Store::writeDerivation, per the profile's switch (§5.1; derivations.cc @2.33.0 18ec3d1094, @2.34.0 ac2dd58b6f). */
  const writeDerivation = async (d: ResolvedDrv): Promise<void> => {
    const { switches } = ctx;
    let rooted = false;
    if (switches.rootReferencesInWriteDerivation) {
      await evalStore.call({ type: 'daemon.addTempRoot', path: d.drvPath });
      for (const r of d.references) await evalStore.call({ type: 'daemon.addTempRoot', path: r });
      rooted = true;
    }
    if (switches.writeDerivation === 'root-then-early-return' && !switches.rootReferencesInWriteDerivation) {
      await evalStore.call({ type: 'daemon.addTempRoot', path: d.drvPath });
      rooted = true;
    }
    if (switches.writeDerivation !== 'always-add') {
      const valid = (await evalStore.call({ type: 'daemon.isValidPath', path: d.drvPath })).value === true;
      const then = valid ? (rooted ? 'returned early (rooted first)' : 'returned early without a temp root') : 'added it to the store';
      ctx.emit({ type: 'inspect.check', check: 'isValidPath', site: 'writeDerivation', path: d.drvPath, valid, rooted, then, switch: { name: 'writeDerivation', value: switches.writeDerivation } });
      if (valid) return;
    }
    const add = { name: `${d.spec.name}.drv`, contents: d.contents, references: d.references, outputs: [...d.outputs.values()], size: 1024 };
    if (switches.addTextOp === 'AddTextToStore') await evalStore.call({ type: 'daemon.addTextToStore', add });
    else await evalStore.call({ type: 'daemon.addToStore', add, method: 'text' });
  };

  /** fetchToStore2: in-process cache, then the fetcher's sqlite cache, then addToStore. */
  const fetchToStore = async (name: string): Promise<void> => {
    const src = resolved.srcs.get(name);
    if (!src) throw new RangeError(`unknown source '${name}'`);
    if (fetched.has(name)) return;
    const id = ctx.store.intern(src.path);
    if (ctx.store.fetcherCacheHas(id)) {
      const rooted = ctx.switches.fetcherCacheHit === 'root-then-check';
      if (rooted) await evalStore.call({ type: 'daemon.addTempRoot', path: src.path });
      const valid = (await evalStore.call({ type: 'daemon.isValidPath', path: src.path })).value === true;
      const then = valid ? (rooted ? 'used the cached path (rooted first)' : 'used the cached path without a temp root') : 'fetched it again';
      ctx.emit({ type: 'inspect.check', check: 'isValidPath', site: 'fetchToStore', path: src.path, valid, rooted, then, switch: { name: 'fetcherCacheHit', value: ctx.switches.fetcherCacheHit } });
      if (valid) {
        fetched.add(name);
        return;
      }
    }
    await evalStore.call({ type: 'daemon.addToStore', add: { name, contents: src.spec.contents, references: [], size: src.spec.size }, method: 'source' });
    ctx.store.fetcherCacheAdd(id);
    fetched.add(name);
  };

  const run = async (step: Step): Promise<void> => {
    switch (step.op) {
      case 'writeDerivation':
        return writeDerivation(drvOf(step.drv));
      case 'instantiate': {
        for (const d of closureInOrder(resolved, step.drv)) {
          for (const s of d.spec.inputSrcs) await fetchToStore(s);
          await writeDerivation(d);
        }
        if (step.addRoot !== undefined) await remote.call({ type: 'daemon.addPermRoot', path: drvOf(step.drv).drvPath, link: step.addRoot });
        return;
      }
      case 'fetchToStore':
        return fetchToStore(step.src);
      case 'realise':
        await remote.call({ type: 'daemon.buildPaths', paths: [drvOf(step.drv).drvPath] });
        return;
      case 'addRoot':
        await remote.call({ type: 'daemon.addPermRoot', path: drvOf(step.drv).drvPath, link: step.link });
        return;
      case 'removeRoot':
        ctx.store.roots.removeLink(step.link);
        return;
      case 'ensurePath':
        await remote.call({ type: 'daemon.ensurePath', path: drvOf(step.drv).drvPath });
        return;
      case 'collectGarbage': {
        const maxFreed = step.maxFreed ?? Number.MAX_SAFE_INTEGER;
        if (local) await collectGarbage(ctx, { action: 'deleteDead', maxFreed, run: `${ctx.name}#${++gcRuns}` }, local.state);
        else await remote.call({ type: 'daemon.collectGarbage', maxFreed });
        return;
      }
      case 'awaitExit':
        return ctx.awaitExit(step.process);
      case 'barrier':
        return ctx.barrier(step.name);
      case 'sleep':
        return ctx.sleep(step.ms);
      case 'dropConnection':
        remote.markBad();
        return;
      case 'killDaemonWorker':
        await ctx.killDaemonWorker();
        remote.markBad();
        return;
    }
  };

  try {
    for (const step of spec.steps) {
      await ctx.step(`client.${step.op}`);
      await run(step);
    }
  } catch (e) {
    // handleExceptions prints the error and main returns: ~LocalStore still runs. An abort runs nothing.
    if (e instanceof AssertionAbort) throw e;
    await closeStores();
    throw e;
  }
  await closeStores();

  async function closeStores(): Promise<void> {
    remote.close();
    if (evalStore !== remote) evalStore.close();
    await local?.destroy();
    await evalLocal?.destroy();
  }
}
