import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SPEC = new URL('../../../../docs/spec/eggapi-async-tasks.md', import.meta.url);
const FIXTURE = new URL('./seed-wait-for-task.mjs', import.meta.url);

describe("the seed's waitForTask fixture", () => {
  it('holds the spec\'s "Polling Helper" character for character', () => {
    const section = readFileSync(SPEC, 'utf8').split('## Polling Helper')[1] ?? '';
    const code = /```js\n([\s\S]*?\n)```/.exec(section)?.[1];
    expect(code).toContain('async function waitForTask(');
    expect(readFileSync(FIXTURE, 'utf8')).toContain(`// prettier-ignore\n${code}\nexport {`);
  });
});
