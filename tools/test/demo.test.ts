import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run } from './support/workspace.js';
import { tempDir } from '../../test-support/temp-dir.mjs';

describe('npm run demo', () => {
  it('creates a task, shows progress, prints the verified webhook and saves the PNG', async () => {
    const cwd = tempDir('eggapi-demo-');
    const { stdout } = await run(process.execPath, [join(ROOT, 'tools/scripts/demo.mjs')], {
      cwd,
      env: { ...process.env, EGGAPI_SKIP_BUILD: '1' },
    });
    expect(stdout).toMatch(/created gen_\w+: pending/);
    expect(stdout).toMatch(/gen_\w+: processing/);
    expect(stdout).toMatch(/gen_\w+: completed/);
    expect(stdout).toContain('verified webhook event:');
    expect(stdout).toContain('"event": "task.completed"');
    const file = /saved \d+ bytes of image\/png to (\S+\.png)/.exec(stdout)?.[1];
    expect(file && existsSync(file)).toBe(true);
    expect(file!.startsWith(join(cwd, 'demo-output'))).toBe(true);
    expect(readFileSync(file!).subarray(1, 4).toString()).toBe('PNG');
  });
});
