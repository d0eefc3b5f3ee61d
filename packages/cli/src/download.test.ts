import { basename, dirname, resolve } from 'node:path';
import { isTaskId } from '@eggapi/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imagePath } from './download.js';
import { CommandFailure } from './errors.js';

const DIR = '/tmp/o/a/b/imgs';

describe('imagePath', () => {
  it.each(['gen_ok', 'gen_A-1.2~b', '..a', 'a..', '...', '~', '-'])(
    'names %j’s image <dir>/<id>-<n>.png, directly inside <dir>',
    (id) => {
      expect(imagePath(DIR, id, 2)).toBe(`${DIR}/${id}-2.png`);
    },
  );

  it.each([
    '../../../../escaped',
    '../x',
    '/tmp/abs',
    'a/b',
    'a\\b',
    'x\u0000y',
    '..',
    '.',
    '',
    'gen ok',
    'gen%2F',
    'gen_1\n',
  ])('refuses %j with a CommandFailure that quotes it', (id) => {
    expect(() => imagePath(DIR, id, 1)).toThrow(CommandFailure);
    expect(() => imagePath(DIR, id, 1)).toThrow(JSON.stringify(id));
  });

  it('any string: refused exactly when it is not a task id, and otherwise a file directly inside <dir>', () => {
    const ids = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.stringMatching(/^[A-Za-z0-9._~/\\-]{1,12}$/),
      fc.constantFrom('.', '..', '../', '/', '\u0000'),
    );
    const dirs = fc.constantFrom(DIR, 'relative/out', '.', '../up', '/');
    fc.assert(
      fc.property(dirs, ids, fc.integer({ min: 1, max: 4 }), (dir, id, n) => {
        if (!isTaskId(id)) {
          expect(() => imagePath(dir, id, n)).toThrow(CommandFailure);
          return;
        }
        const path = imagePath(dir, id, n);
        expect(dirname(resolve(path))).toBe(resolve(dir));
        expect(basename(path)).toBe(`${id}-${n}.png`);
      }),
      { numRuns: 2_000 },
    );
  });
});
