/** Every malformed fixture fails with one UsageError naming the file, the field's path and its line. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isRootraceError } from '../../../src/messages/errors.js';
import { expandScenario } from '../../../src/scenarios/file/expand.js';
import { loadScenarioFile } from '../../../src/scenarios/file/load.js';
import { MALFORMED } from './malformedCases.js';

const dir = fileURLToPath(new URL('../../fixtures/malformed/', import.meta.url));

function failure(file: string): unknown {
  try {
    expandScenario(loadScenarioFile(`${dir}${file}`));
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('malformed scenario files', () => {
  it('the table covers every fixture, and there are at least 20', () => {
    expect(MALFORMED.map((c) => c.file).sort()).toEqual(readdirSync(dir).sort());
    expect(MALFORMED.length).toBeGreaterThanOrEqual(20);
  });

  it.each(MALFORMED)('$file: $path', ({ file, path, line, says }) => {
    const e = failure(file);
    expect(isRootraceError(e, 'rootrace.usage')).toBe(true);
    const message = (e as Error).message;
    expect(message).toContain(file);
    expect(message).toContain(line === null ? `: ${path}: ` : `: line ${line}: ${path}: `);
    expect(message).toMatch(says);
    expect(message).not.toContain('\n');
  });
});
