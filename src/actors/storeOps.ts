/**
 * The store operations a process performs on a `LocalStore` it owns: what a
 * daemon worker does for each wire op (daemon.cc performOp), and what a client
 * with `NIX_REMOTE=local` does itself. One implementation, so a local client and
 * a daemon worker differ only in who runs the code (and so who aborts).
 */
import { AssertionAbort, BuildError, InvalidPathError, MissingDerivationError, RootraceError } from '../messages/errors.js';
import type { DaemonRequest } from '../messages/daemon.js';
import type { PathId } from '../messages/ids.js';
import { makeSourcePath, makeTextPath } from '../store/index.js';
import { spendOn, type ActorContext } from './context.js';
import { drvByPath, resolve } from './derivations.js';
import { collectGarbage } from './gc.js';
import type { LocalStore } from './localStore.js';

export type OpValue = string | boolean | number | null | readonly string[];

/** What an assertion in a build goal's re-check prints, by release (switch `buildRecheckAssertion`). */
const RECHECK_ASSERTION = {
  'build.cc': { where: 'src/libstore/build.cc:1175: void nix::DerivationGoal::loadDerivation()', expression: 'worker.store.isValidPath(drvPath)' },
  'derivation-goal.cc': { where: 'src/libstore/build/derivation-goal.cc:194: void nix::DerivationGoal::loadDerivation()', expression: 'worker.evalStore.isValidPath(drvPath)' },
  'derivation-trampoline-goal.cc': { where: 'src/libstore/build/derivation-trampoline-goal.cc:129: nix::DerivationTrampolineGoal::init()', expression: 'false' },
} as const;

export class StoreOps {
  private gcRuns = 0;

  constructor(
    private readonly ctx: ActorContext,
    readonly local: LocalStore,
  ) {}

  async handle(req: DaemonRequest): Promise<OpValue> {
    const { store } = this.ctx;
    await spendOn(this.ctx, 'op');
    const local = this.local;
    switch (req.type) {
      case 'daemon.isValidPath':
        await this.ctx.step('op.isValidPath');
        return local.isValidPath(store.intern(req.path));
      case 'daemon.queryPathInfo':
        await this.ctx.step('op.queryPathInfo');
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
        for (const p of req.paths) await this.build(p);
        return null;
      case 'daemon.ensurePath': {
        await this.ctx.step('op.ensurePath');
        // Store::ensurePath (build/entry-points.cc:98–101 @2.8.0): `if (isValidPath(path)) return;` — unrooted; only a substitution goal would root it.
        const valid = await local.isValidPath(store.intern(req.path));
        this.ctx.emit({ type: 'inspect.check', check: 'isValidPath', site: 'ensurePath', path: req.path, valid, rooted: false, then: valid ? 'returned without a temp root' : 'found no substitute' });
        if (valid) return null;
        throw new RootraceError('nix.Build', `path '${req.path}' does not exist and cannot be created`, { path: req.path });
      }
      case 'daemon.addPermRoot': {
        const id = store.intern(req.path);
        await local.addTempRoot(id);
        await this.ctx.step('op.addPermRoot.symlink');
        store.roots.addIndirect(req.link, id);
        return req.link;
      }
      case 'daemon.collectGarbage': {
        const r = await collectGarbage(this.ctx, { action: 'deleteDead', maxFreed: req.maxFreed, run: `gc@${this.ctx.name}#${++this.gcRuns}` }, local.state);
        return r.bytesFreed;
      }
    }
  }

  /**
   * A derivation goal (§12.3): check the drv, root it, re-check with an
   * assertion — no release roots first (derivation-goal.cc:169/192/194 @2.8.0,
   * derivation-trampoline-goal.cc:87/116/129 @2.35.2). A GC between the check
   * and the root aborts the process running the goal.
   */
  private async build(drvPath: string): Promise<void> {
    const { store, switches } = this.ctx;
    const local = this.local;
    await local.autoGc.autoGC(false); // Worker::run: once per goal-loop iteration, async (build/worker.cc)
    const drvId = store.intern(drvPath);
    await this.ctx.step('build.loadDerivation');
    const valid = await local.isValidPath(drvId);
    this.ctx.emit({ type: 'inspect.check', check: 'isValidPath', site: 'build goal', path: drvPath, valid, rooted: false, then: valid ? 'went on to root it and re-check' : 'tried to substitute it' });
    if (!valid) {
      throw switches.missingDrvError === 'cannot-build-missing'
        ? new MissingDerivationError(drvPath)
        : new RootraceError('nix.MissingDerivation', `failed to obtain derivation of '${drvPath}'`, { path: drvPath });
    }
    await this.ctx.step('build.checkedDrv');
    // "`drvPath' should already be a root, but let's be on the safe side".
    await local.addTempRoot(drvId);
    if (!(await local.isValidPath(drvId))) {
      const a = RECHECK_ASSERTION[switches.buildRecheckAssertion];
      throw new AssertionAbort(a.where, a.expression, drvPath);
    }
    // Reading the .drv from disk (Derivation::parse of readFile).
    if (!store.disk.exists(drvId)) throw new RootraceError('nix.Io', `opening file '${drvPath}': No such file or directory`, { path: drvPath });
    const drv = drvByPath(resolve(this.ctx.scenario), drvPath);
    if (!drv) throw new InvalidPathError(drvPath);
    const outputs = [...drv.outputs.values()].map((o) => store.intern(o));
    for (const o of outputs) await local.addTempRoot(o);
    if (outputs.every((o) => store.db.isValid(o))) return;
    for (const input of drv.inputDrvs) await this.build(input);
    const refs: PathId[] = [];
    for (const input of drv.inputDrvs) {
      const inDrv = drvByPath(resolve(this.ctx.scenario), input)!;
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
      await this.ctx.step('build.run');
      await spendOn(this.ctx, 'build');
      for (const o of outputs) store.disk.create(o, drv.spec.outputSize);
      await this.ctx.step('build.register');
      await local.state.run(() => store.db.registerValidPaths(outputs.map((o) => ({ path: o, references: refs, deriver: drvId, narSize: drv.spec.outputSize }))));
    } finally {
      for (const l of locks) store.disk.remove(l);
    }
  }
}
