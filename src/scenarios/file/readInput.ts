/**
 * Reading an input file whole (a scenario, a schedule, a cost model, an
 * events stream, a sweep shard): one UsageError for a missing, unreadable,
 * special or oversized file, before anything is read into memory — so
 * `/dev/zero` or a FIFO is refused rather than hung on.
 */
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../../messages/errors.js';
import { LIMITS } from './limits.js';
import { displayName } from './where.js';

const WHY: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  ENOTDIR: 'a parent is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/** The text of `file`; `what` names it in messages (`scenario file`, `schedule file`). */
export function readInputFile(file: string, what: string): string {
  const name = displayName(file);
  const fail = (e: unknown): never => {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} '${name}': ${WHY[code ?? ''] ?? String(code ?? e)}`);
  };
  let size = 0;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw new UsageError(`cannot read ${what} '${name}': not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    fail(e);
  }
  const max = LIMITS.fileBytes.value;
  if (size > max) throw new UsageError(`${what} '${name}' is ${size} bytes; at most ${max} (${LIMITS.fileBytes.why})`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    return fail(e);
  }
}
