/**
 * The built-in catalogue: every *.yaml, *.yml and *.json file in the package's
 * `scenarios/` folder, each named after its file (the file's `name` must agree).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../messages/errors.js';

export const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * The package's `scenarios/` folder. Found by walking up to rootrace's own
 * package.json, so the same code works compiled (dist/src/scenarios/file) and
 * from source (src/scenarios/file, under vitest).
 */
export function packageScenariosDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'rootrace') return join(dir, 'scenarios');
    dir = dirname(dir);
  }
  throw new Error('rootrace package.json not found above the scenarios module');
}

export interface CatalogueFile {
  readonly name: string;
  readonly file: string;
}

/** Catalogue files by name, sorted; a name given by two files is an input error. */
export function catalogueFiles(dir: string = packageScenariosDir()): CatalogueFile[] {
  if (!existsSync(dir)) return [];
  const out = new Map<string, CatalogueFile>();
  for (const entry of readdirSync(dir).sort()) {
    const ext = extname(entry).toLowerCase();
    if (!SCENARIO_EXTENSIONS.includes(ext)) continue;
    const name = basename(entry, extname(entry));
    const seen = out.get(name);
    if (seen) throw new UsageError(`catalogue scenario '${name}' is defined twice: ${basename(seen.file)} and ${entry}`);
    out.set(name, { name, file: join(dir, entry) });
  }
  return [...out.values()];
}

/** `run ./x.yaml` names a file; `run pr-15158` names a catalogue scenario. */
export function looksLikePath(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || SCENARIO_EXTENSIONS.some((e) => arg.toLowerCase().endsWith(e));
}
