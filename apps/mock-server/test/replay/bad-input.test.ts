import { readFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMockApp, startMockServer } from '../../src/index.js';
import { mockServer } from '../support/harness.js';
import { rawRequest } from '../../../../test-support/raw-http.mjs';
import {
  RECORDED_KEY,
  RECORDED_TASK,
  useRecordings,
  type RecordingFixture,
} from '../support/recording.js';

const record = useRecordings();
let recording: RecordingFixture;

/** Rewrites one recorded exchange file through `change`. */
async function tamper(file: string, change: (entry: any) => void): Promise<void> {
  const entry = JSON.parse(await readFile(join(recording.dir, file), 'utf8'));
  change(entry);
  await recording.write(file, JSON.stringify(entry));
}

describe('a recording that cannot be replayed fails the start naming why', () => {
  it('a missing directory', async () => {
    await expect(startMockServer({ replay: '/nonexistent/recording' })).rejects.toThrow(
      'invalid mock server options: replay: /nonexistent/recording is not a directory',
    );
    expect(() => createMockApp({ replay: '/nonexistent/recording' })).toThrow(TypeError);
  });

  it('a corrupt file, naming it; temp files are ignored', async () => {
    recording = await record();
    await recording.write('exchanges/.20261204T180000000Z-000009-partial.json', '{"forma');
    await startMockServer({ replay: recording.dir }).then((server) => server.close());
    await recording.write(recording.files[2]!, '{"format": "eggapi-recording/1", "kind": "exch');
    await expect(startMockServer({ replay: recording.dir })).rejects.toThrow(
      `replay: ${recording.files[2]}: not JSON`,
    );
  });

  it('a hostile task id or image file in a recording', async () => {
    recording = await record();
    await tamper(recording.files[1]!, (entry) => (entry.task_id = '../../etc'));
    await expect(startMockServer({ replay: recording.dir })).rejects.toThrow(
      `replay: ${recording.files[1]}: task_id "../../etc" is not a task id`,
    );
    await recording.remove();
    recording = await record();
    await tamper(recording.files[3]!, (entry) => (entry.images[0].file = '../../../etc/passwd'));
    await expect(startMockServer({ replay: recording.dir })).rejects.toThrow(
      /images\.0\.file "\.\.\/\.\.\/\.\.\/etc\/passwd" is not images\/gen_rec0rded0001\/<n>\.png/,
    );
  });

  it('replay with redis', async () => {
    await expect(
      startMockServer({ replay: '/tmp', redis: { url: 'redis://127.0.0.1:1' } }),
    ).rejects.toThrow(/replay cannot be used with redis/);
  });

  it('replay with a validating proxy', async () => {
    await expect(
      startMockServer({ replay: '/tmp', proxyTo: 'http://127.0.0.1:1' }),
    ).rejects.toThrow(/replay cannot be used with proxyTo/);
  });
});

describe('image requests of a replay', () => {
  it('never leave the recording', async () => {
    recording = await record();
    await recording.write('secret.png', 'not for you');
    const server = await mockServer({ replay: recording.dir, apiKeys: [RECORDED_KEY] });
    for (const path of [
      `/images/..%2Fsecret.png/0.png`,
      `/images/%2e%2e/0.png`,
      `/images/${RECORDED_TASK}/..%2F..%2Fsecret.png`,
      `/images/${RECORDED_TASK}/..%2f0.png`,
      `/images/${RECORDED_TASK}/%ff.png`,
      `/images/${RECORDED_TASK}/../../secret.png`,
    ]) {
      const answer = await rawRequest(
        server.port,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      // 400 for a path that does not decode, as anywhere else.
      expect([400, 404], path).toContain(answer.status);
      expect(answer.body, path).not.toContain('not for you');
    }
  });

  it('answers 404 for a recorded image file that is missing or not a regular file', async () => {
    recording = await record();
    const file = join(recording.dir, 'images', RECORDED_TASK, '0.png');
    await rm(file);
    const server = await mockServer({ replay: recording.dir, apiKeys: [RECORDED_KEY] });
    expect((await fetch(`${server.url}/images/${RECORDED_TASK}/0.png`)).status).toBe(404);
    await recording.write('elsewhere.png', recording.png);
    await symlink(join(recording.dir, 'elsewhere.png'), file);
    expect((await fetch(`${server.url}/images/${RECORDED_TASK}/0.png`)).status).toBe(404);
  });
});
