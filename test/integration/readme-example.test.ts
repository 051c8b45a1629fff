/** The commented scenario in README.md is a real, valid scenario whose expectations hold. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('README’s scenario example passes rootrace check on every profile', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const m = /```yaml\n(schemaVersion: 1\nname: my-race[\s\S]*?)```/.exec(readme);
  expect(m).not.toBeNull();
  const file = join(mkdtempSync(join(tmpdir(), 'rootrace-readme-')), 'my-race.yaml');
  writeFileSync(file, m![1]!);
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) =>
    execFile(process.execPath, [join(root, 'dist/src/cli/main.js'), 'check', file, '--runs', '2'], { timeout: 120_000 }, (err, stdout) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout }),
    ),
  );
  expect(stdout).toMatch(/all 4 match/);
  expect(code).toBe(0);
});
