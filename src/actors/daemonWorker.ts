/**
 * The daemon's per-connection worker process (§2): a fresh LocalStore serving
 * one client until it disconnects, with each op's implicit temp roots.
 */
import { BuildError, InvalidPathError, MissingDerivationError, RootraceError, serializeError } from '../messages/errors.js';
import type { DaemonReply, DaemonRequest } from '../messages/daemon.js';
import type { PathId } from '../messages/ids.js';
import { makeSourcePath, makeTextPath } from '../store/index.js';
import type { ActorContext, Connection } from './context.js';
import { drvByPath, resolve } from './derivations.js';
import { collectGarbage } from './gc.js';
import { LocalStore } from './localStore.js';

export async function daemonWorker(ctx: ActorContext, conn: Connection<DaemonRequest, DaemonReply>): Promise<void> {
  const local = new LocalStore(ctx);
  let gcRuns = 0;
  for (;;) {
    const req = await conn.receive();
    if (req === null) break; // the client closed the connection
    const path = 'path' in req ? req.path : 'add' in req ? req.add.name : req.type === 'daemon.buildPaths' ? req.paths.join(' ') : '';
    ctx.emit({ type: 'inspect.op.start', op: req.type, id: req.id, path, ...('add' in req ? { refs: req.add.references } : {}) });
    const disk = (): { free: number; used: number } => ({ free: ctx.store.disk.freeSpace(), used: ctx.store.disk.usedBytes() });
    try {
      const value = await handle(req);
      // Recorded before the reply leaves: the client may act on it (even kill this worker) at once.
      ctx.emit({ type: 'inspect.op', op: req.type, path: typeof value === 'string' ? value : path, result: 'ok', id: req.id, ...disk() });
      conn.send({ type: 'daemon.ok', id: req.id, value });
    } catch (e) {
      const error = serializeError(e);
      ctx.emit({ type: 'inspect.op', op: req.type, path, result: 'error', error: error.message, id: req.id, ...disk() });
      conn.send({ type: 'daemon.error', id: req.id, error });
    }
  }
  // processConnection returned; exit(0). 2.34.0 never ran ~LocalStore (the file leaks, the kernel drops the lock).
  if (ctx.switches.daemonWorkerDestructor) await local.destroy();

  async function handle(req: DaemonRequest): Promise<string | boolean | number | null | readonly string[]> {
    const { store } = ctx;
    switch (req.type) {
      case 'daemon.isValidPath':
        await ctx.step('op.isValidPath');
        return store.db.isValid(store.intern(req.path));
      case 'daemon.queryPathInfo':
        await ctx.step('op.queryPathInfo');
        return store.db.queryPathInfo(store.intern(req.path)).path;
      case 'daemon.addTempRoot':
        await local.addTempRoot(store.intern(req.path));
        return 1;
      case 'daemon.addToStore':
      case 'daemon.addTextToStore': {
        const a = req.add;
        const isText = req.type === 'daemon.addTextToStore' || req.method === 'text';
        const dst = isText ? makeTextPath(a.name, a.contents, a.references) : makeSourcePath(a.name, a.contents, a.references);
        await local.addToStoreFromDump(a, store.intern(dst));
        return dst;
      }
      case 'daemon.buildPaths':
        for (const p of req.paths) await build(p);
        return null;
      case 'daemon.ensurePath': {
        await ctx.step('op.ensurePath');
        // ensurePath returns early, unrooted, when the path is valid; only a substitution would root it.
        if (store.db.isValid(store.intern(req.path))) return null;
        throw new RootraceError('nix.Build', `path '${req.path}' does not exist and cannot be created`, { path: req.path });
      }
      case 'daemon.addPermRoot': {
        const id = store.intern(req.path);
        await local.addTempRoot(id);
        await ctx.step('op.addPermRoot.symlink');
        store.roots.addIndirect(req.link, id);
        return req.link;
      }
      case 'daemon.collectGarbage': {
        const r = await collectGarbage(ctx, { action: 'deleteDead', maxFreed: req.maxFreed, run: `gc@${ctx.name}#${++gcRuns}` });
        return r.bytesFreed;
      }
    }
  }

  /** A derivation goal: root, load, build inputs, build, register (§2 BuildPaths). */
  async function build(drvPath: string): Promise<void> {
    const { store, switches } = ctx;
    await local.autoGc.autoGC(false); // Worker::run: once per goal-loop iteration, async
    const drvId = store.intern(drvPath);
    if (switches.buildRootsDrvFirst) await local.addTempRoot(drvId);
    await ctx.step('build.loadDerivation');
    if (!store.db.isValid(drvId)) {
      throw switches.missingDrvError === 'cannot-build-missing'
        ? new MissingDerivationError(drvPath)
        : new RootraceError('nix.MissingDerivation', `failed to obtain derivation of '${drvPath}'`, { path: drvPath });
    }
    // 2.8 checks, then roots: a GC between the two deletes a drv the goal already decided to load.
    await ctx.step('build.checkedDrv');
    if (!switches.buildRootsDrvFirst) await local.addTempRoot(drvId);
    // Reading the .drv from disk (Derivation::parse of readFile).
    if (!store.disk.exists(drvId)) throw new RootraceError('nix.Io', `opening file '${drvPath}': No such file or directory`, { path: drvPath });
    const drv = drvByPath(resolve(ctx.scenario), drvPath);
    if (!drv) throw new InvalidPathError(drvPath);
    const outputs = [...drv.outputs.values()].map((o) => store.intern(o));
    for (const o of outputs) await local.addTempRoot(o);
    if (outputs.every((o) => store.db.isValid(o))) return;
    for (const input of drv.inputDrvs) await build(input);
    const refs: PathId[] = [];
    for (const input of drv.inputDrvs) {
      const inDrv = drvByPath(resolve(ctx.scenario), input)!;
      for (const [name, out] of inDrv.outputs) {
        const id = store.intern(out);
        if (!store.db.isValid(id)) {
          throw new BuildError(`derivation '${drvPath}' requires non-existent output '${name}' from input derivation '${input}'`, out);
        }
        refs.push(id);
      }
    }
    for (const src of drv.inputSrcs) {
      const id = store.intern(src);
      if (!store.db.isValid(id)) throw new BuildError(`dependency '${src}' of '${drvPath}' does not exist, and substitution is disabled`, src);
      refs.push(id);
    }
    // PathLocks on the outputs: `<out>.lock` exists while the builder runs.
    const locks = outputs.map((o) => store.intern(`${store.paths.name(o)}.lock`));
    for (const l of locks) store.disk.create(l, 0);
    try {
      await ctx.step('build.run');
      for (const o of outputs) store.disk.create(o, drv.spec.outputSize);
      await ctx.step('build.register');
      store.db.registerValidPaths(outputs.map((o) => ({ path: o, references: refs, deriver: drvId, narSize: drv.spec.outputSize })));
    } finally {
      for (const l of locks) store.disk.remove(l);
    }
  }
}
