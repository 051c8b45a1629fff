/**
 * A client process (nix-instantiate, nix-build, nix-store, nix-collect-garbage)
 * running a scenario program. With `store: daemon` (the default) it talks to
 * its own daemon worker through RemoteStore; with `store: local`
 * (`NIX_REMOTE=local`, a single-user install) it opens the store itself: its
 * temp roots, auto-GC thread and build goals are its own, and an assertion
 * kills it. `nix-collect-garbage` always collects in-process.
 */
import { AssertionAbort, RootraceError, SegmentationFault, serializeError } from '../messages/errors.js';
import type { ProcessSpec, Step } from '../messages/scenario.js';
import { spendOn, type ActorContext } from './context.js';
import { closureInOrder, resolve, type ResolvedDrv } from './derivations.js';
import { Interrupted } from './crashes.js';
import { classifyError, pathOfMessage } from './findings.js';
import { collectGarbage } from './gc.js';
import { LocalClient } from './localClient.js';
import { LocalStore } from './localStore.js';
import { RemoteStore } from './remoteStore.js';

/**
 * `given`: for a spawned process, the `{n}` values its spawner hands it (one
 * for a `spawn` step, a batch of jobs for `evalJobs`); it runs its program once
 * for each. A process with `loop` and nothing given counts 1..times itself.
 */
export async function clientProcess(ctx: ActorContext, spec: ProcessSpec, given?: readonly number[]): Promise<void> {
  const local = spec.store === 'local' || spec.kind === 'nix-collect-garbage' ? new LocalStore(ctx) : null;
  const remote = local ? new LocalClient(ctx, local) : new RemoteStore(ctx);
  // `--eval-store`: a second store of this process for evaluation (§12.6). Local, it is another
  // LocalStore with this same pid; through the daemon, another connection (another worker).
  const evalLocal = spec.evalStore === 'local' ? new LocalStore(ctx, 1) : null;
  const evalStore = evalLocal ? new LocalClient(ctx, evalLocal) : spec.evalStore === 'daemon' ? new RemoteStore(ctx) : remote;
  // fork/exec and Nix start-up before the first store operation (the cost model).
  await spendOn(ctx, 'processStart');
  const resolved = resolve(ctx.scenario);
  /** fetchToStore's in-process srcToStore cache. */
  const fetched = new Set<string>();
  let gcRuns = 0;
  let n = given?.[0] ?? 0;
  const at = (s: string): string => s.replaceAll('{n}', String(n));
  /** A derivation by the name a step gives, `{n}` being this iteration. */
  const drvOf = (name: string): ResolvedDrv => resolved.drvAt(name, n);

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

  /**
   * Store::readDerivation (store-api.cc:1277 @2.8.0, :1228 @2.35.2): the accessor checks isValidPath
   * (a daemon call on a daemon store) and throws InvalidPath `path '%1%' is not a valid store path`
   * (local-fs-store.cc:26 @2.8.0, store-api.hh:917 @2.35.2); no temp root is taken either way.
   */
  const readDerivation = async (d: ResolvedDrv): Promise<void> => {
    await ctx.step('readDerivation');
    const valid = (await evalStore.call({ type: 'daemon.isValidPath', path: d.drvPath })).value === true;
    const how = ctx.switches.readDerivationMissing;
    ctx.emit({ type: 'inspect.check', check: 'isValidPath', site: 'readDerivation', path: d.drvPath, valid, rooted: false, then: valid ? 'read it without a temp root' : 'threw', switch: { name: 'readDerivationMissing', value: how } });
    if (valid) return;
    if (how === 'null-accessor') throw new SegmentationFault('readDerivationCommon (store-api.cc:1135 @2.32.0)', d.drvPath);
    throw new RootraceError('nix.InvalidPath', `path '${d.drvPath}' is not a valid store path`, { path: d.drvPath });
  };

  /**
   * Store::readInvalidDerivation, as hashDerivationModulo reads each input drv (pathDerivationModulo,
   * derivations.cc:574–586 @2.8.0, :870–876 @2.35.2; memoized per process, so only a first read goes to
   * the disk): the store directory is read directly, with no validity check and no temp root.
   */
  const readInvalidDerivation = async (d: ResolvedDrv): Promise<void> => {
    await ctx.step('readInvalidDerivation');
    if (hashed.has(d.drvPath)) return;
    if (!ctx.store.disk.exists(ctx.store.intern(d.drvPath))) {
      switch (ctx.switches.readDerivationMissing) {
        case 'opening-file': // PosixSourceAccessor::readFile (posix-source-accessor.cc:55 @2.31.0), nix::readFile @2.8.0
          throw new RootraceError('nix.Io', `opening file '${d.drvPath}': No such file or directory`, { path: d.drvPath });
        case 'null-accessor':
          throw new SegmentationFault('readDerivationCommon (store-api.cc:1135 @2.32.0)', d.drvPath);
        case 'not-valid-or-missing':
          throw new RootraceError('nix.InvalidPath', `store path '${d.drvPath}' does not exist`, { path: d.drvPath });
      }
    }
    hashed.add(d.drvPath);
  };
  /** drvHashes: the drvs this process's hashDerivationModulo already read. */
  const hashed = new Set<string>();

  /** fetchToStore2: in-process cache, then the fetcher's sqlite cache, then addToStore. */
  const fetchToStore = async (name: string): Promise<void> => {
    const src = resolved.srcs.get(name);
    if (!src) throw new RangeError(`unknown source '${name}'`);
    if (fetched.has(name)) return;
    const id = ctx.store.intern(src.path);
    if (ctx.store.fetcherCacheHas(id)) {
      // A cache hit: `root-then-check` is addTempRoot before isValidPath (fetch-to-store.cc:51–56 @2.34.0);
      // `check-only` is isValidPath alone, the path unrooted until the caller roots it.
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
        for (const d of closureInOrder(resolved, step.drv, n)) {
          for (const s of d.spec.inputSrcs) await fetchToStore(s);
          await writeDerivation(d);
        }
        if (step.addRoot !== undefined) await remote.call({ type: 'daemon.addPermRoot', path: drvOf(step.drv).drvPath, link: at(step.addRoot) });
        return;
      }
      case 'fetchToStore':
        return fetchToStore(step.src);
      case 'realise':
        await remote.call({ type: 'daemon.buildPaths', paths: [drvOf(step.drv).drvPath] });
        return;
      case 'addRoot':
        await remote.call({ type: 'daemon.addPermRoot', path: drvOf(step.drv).drvPath, link: at(step.link) });
        return;
      case 'plainRoot':
        // Hydra's registerRoot / ed01a1c4: a gcroots symlink made directly, with no addTempRoot first —
        // a GC reads the permanent roots once, after taking gc.lock ("the set of permanent roots cannot
        // increase now", gc.cc:596–601 → findRootsNoTemp gc.cc:282 @2.8.0), so one that already read them never sees it.
        ctx.store.roots.addDirect(at(step.link), ctx.store.intern(step.output ? [...drvOf(step.drv).outputs.values()][0]! : drvOf(step.drv).drvPath));
        return;
      case 'removeRoot':
        ctx.store.roots.removeLink(at(step.link));
        return;
      case 'ensurePath':
        await remote.call({ type: 'daemon.ensurePath', path: drvOf(step.drv).drvPath });
        return;
      case 'rewriteAggregate': {
        // constituents.cc:247 readDerivation(aggregate), :111–122 addConstituents (readDerivation of each), :146 writeDerivation.
        const from = drvOf(step.from);
        const into = drvOf(step.drv);
        await readDerivation(from);
        for (const c of into.spec.inputDrvs) if (!from.spec.inputDrvs.includes(c)) await readDerivation(drvOf(c));
        // rewriteDerivation: hashDerivationModulo(*store, drv, true) (constituents.cc:133) reads every input drv again.
        await ctx.step('aggregate.hash');
        for (const c of into.spec.inputDrvs) await readInvalidDerivation(drvOf(c));
        await ctx.step('aggregate.write');
        return writeDerivation(into);
      }
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
      case 'spawn':
        // A shell's `set -e`: a failed command ends the program (its failure is already a finding).
        if (!(await ctx.spawnProcess(step.process, [n]))) throw new SpawnFailed();
        return;
      case 'evalJobs':
        return evalJobs(step);
    }
  };

  /** One pass of the program. A spawned process's failure stops it without being an error of this process. */
  const program = async (): Promise<boolean> => {
    try {
      for (const step of spec.steps) {
        await ctx.step(`client.${step.op}`);
        await run(step);
      }
      return true;
    } catch (e) {
      if (e instanceof SpawnFailed) return false;
      throw e;
    }
  };

  /**
   * nix-eval-jobs' main process (§12.9): `workers` worker processes take jobs
   * 1..jobs in order; a worker exits after `restartEvery` jobs (its
   * --max-memory-size restart, worker.cc shouldRestart) and a fresh one takes
   * its place. The drvs a worker wrote keep only its daemon connection's temp
   * roots, which go when it exits — unless its program adds a root.
   */
  async function evalJobs(step: Extract<Step, { op: 'evalJobs' }>): Promise<void> {
    let next = 1;
    const builds: Promise<boolean>[] = [];
    const slot = async (): Promise<void> => {
      while (next <= step.jobs) {
        const batch: number[] = [];
        while (batch.length < step.restartEvery && next <= step.jobs) batch.push(next++);
        await ctx.spawnProcess(step.worker, batch);
        // The worker exited (restart): its batch goes to the consumer now, while evaluation goes on.
        if (step.build !== undefined) builds.push(ctx.spawnProcess(step.build, batch));
      }
    };
    await Promise.all(Array.from({ length: Math.min(step.workers, step.jobs) }, slot));
    await Promise.all(builds);
  }

  const passes: readonly number[] | null = given && given.length > 0 ? given : spec.loop ? Array.from({ length: spec.loop.times }, (_, i) => i + 1) : null;
  const onError = spec.loop?.onError ?? 'stop';
  // `loop: { for }` (`while [ $SECONDS -lt N ]`): an iteration starts only while the model time is not up.
  const until = !given?.length && spec.loop?.forMs !== undefined ? ctx.now() * 1000 + spec.loop.forMs : Infinity;
  try {
    if (!passes) await program();
    else {
      for (n of passes) {
        if (ctx.now() * 1000 >= until) break;
        let ok: boolean;
        try {
          ok = await program();
        } catch (e) {
          // A death is no failed command: neither `|| true` nor the iteration count catches it.
          if (e instanceof AssertionAbort || e instanceof Interrupted) throw e;
          if (onError === 'stop') {
            // The process ends with this error (a finding when it exits); the iteration still counts.
            if (spec.loop) ctx.emit({ type: 'inspect.loop.iteration', n, ok: false });
            throw e;
          }
          // `cmd || true` in a loop: the error was printed, the loop goes on.
          const err = serializeError(e);
          ctx.emit({ type: 'inspect.finding', kind: classifyError(err.code, err.message), message: err.message, path: pathOfMessage(err.message) });
          ok = false;
        }
        if (spec.loop) ctx.emit({ type: 'inspect.loop.iteration', n, ok });
        if (!ok && onError === 'stop') break;
      }
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

/** A spawned command failed: the rest of this pass is skipped (`set -e`). */
class SpawnFailed extends Error {}
