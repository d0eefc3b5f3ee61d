import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRoutes,
  completedTask,
  filesUnder,
  startHostileServer,
  task,
  TINY_PNG,
  type HostileServer,
} from './support/hostile-server.js';
import { eggapi } from './support/run-cli.js';

// Issue #19, item 1: where `--out` writes is decided by the id the user asked for (the argument
// of `tasks wait`, the id `generate` got at creation), checked against the client's task-id
// rule; an id in a poll answer never names a file. The API here is a hostile server.

let root: string;
let server: HostileServer | undefined;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'eggapi-cli-paths-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(join(root, 'run'), { recursive: true, force: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh tree per run: `--out` is four levels below the tree's root, as in the issue. */
function paths() {
  const tree = join(root, 'run');
  return { tree, out: join(tree, 'o', 'a', 'b', 'imgs') };
}

/** Runs `eggapi <args>` against `server` with a key. */
function run(args: string[]) {
  return eggapi(args, { env: { EGGAPI_BASE_URL: server!.url, EGGAPI_API_KEY: 'sk_test' } });
}

/** The two commands that download: `generate … --out` and `tasks wait gen_ok --out`. */
const COMMANDS: [string, (out: string) => string[]][] = [
  ['generate', (out) => ['generate', 'x', '--out', out]],
  ['tasks wait', (out) => ['tasks', 'wait', 'gen_ok', '--out', out]],
];

describe('--out names files after the id asked for, never after a poll answer’s id', () => {
  const escapes = ['../../../../escaped', '../escaped', 'a/b', '..', '.', 'x\u0000y', 'gen_other'];

  describe.each(COMMANDS)('eggapi %s', (_name, args) => {
    it.each(escapes)(
      'a poll answering id %j: the image is saved as <out>/gen_ok-1.png and nowhere else',
      async (pollId) => {
        server = await startHostileServer({
          ...apiRoutes((url) => completedTask(pollId, [`${url}/img/0.png`])),
          'GET /img/0.png': (_req, res) =>
            void res.writeHead(200, { 'Content-Type': 'image/png' }).end(TINY_PNG),
        });
        const { tree, out } = paths();
        const result = await run(args(out));
        expect(result.stderr).not.toMatch(/eggapi:/);
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(new RegExp(`^saved +${out}/gen_ok-1\\.png$`, 'm'));
        expect(filesUnder(tree)).toEqual([join('o', 'a', 'b', 'imgs', 'gen_ok-1.png')]);
        expect(readFileSync(join(out, 'gen_ok-1.png')).equals(TINY_PNG)).toBe(true);
      },
    );

    it('an absolute path as the poll answer’s id is not used either', async () => {
      const { tree, out } = paths();
      const target = join(tree, 'abs');
      server = await startHostileServer({
        ...apiRoutes((url) => completedTask(target, [`${url}/img/0.png`])),
        'GET /img/0.png': (_req, res) =>
          void res.writeHead(200, { 'Content-Type': 'image/png' }).end(TINY_PNG),
      });
      const result = await run(args(out));
      expect(result.code).toBe(0);
      expect(filesUnder(tree)).toEqual([join('o', 'a', 'b', 'imgs', 'gen_ok-1.png')]);
    });
  });
});

describe('--out and what is already there', () => {
  it('a symlink at the target name is replaced, not written through', async () => {
    server = await startHostileServer({
      ...apiRoutes((url) => completedTask('gen_ok', [`${url}/img/0.png`])),
      'GET /img/0.png': (_req, res) =>
        void res.writeHead(200, { 'Content-Type': 'image/png' }).end(TINY_PNG),
    });
    const { tree, out } = paths();
    mkdirSync(out, { recursive: true });
    writeFileSync(join(tree, 'outside.txt'), 'keep');
    symlinkSync(join(tree, 'outside.txt'), join(out, 'gen_ok-1.png'));
    const result = await run(['tasks', 'wait', 'gen_ok', '--out', out, '--json']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(tree, 'outside.txt'), 'utf8')).toBe('keep');
    expect(lstatSync(join(out, 'gen_ok-1.png')).isFile()).toBe(true);
    expect(readFileSync(join(out, 'gen_ok-1.png')).equals(TINY_PNG)).toBe(true);
  });
});

describe('eggapi generate: a creation answer whose id is not a task id', () => {
  it.each(['../../../../escaped', 'a/b', '/tmp/abs', '..', '.', 'x\u0000y', 'gen ok', 'gen%2F'])(
    'id %j: exit 1 saying the server answered an invalid id; no poll, nothing written',
    async (id) => {
      server = await startHostileServer(
        apiRoutes(
          (url) => completedTask(id, [`${url}/img/0.png`]),
          task({ id, status: 'pending' }),
        ),
      );
      const { tree, out } = paths();
      const result = await run(['generate', 'x', '--out', out]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `eggapi: the server answered an invalid task id ${JSON.stringify(id)}: a task id is ` +
          'letters, digits and -._~ (not "." or ".."); not waiting for it\n',
      );
      expect(server.requests).toEqual(['POST /v1/generate']);
      expect(filesUnder(tree)).toEqual([]);
    },
  );

  it('without --wait or --out the task is only printed, whatever its id', async () => {
    server = await startHostileServer(
      apiRoutes(() => undefined, task({ id: 'a/b', status: 'pending' })),
    );
    const result = await run(['generate', 'x', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: 'a/b' });
  });
});

describe('eggapi tasks wait: an id given that is not a task id', () => {
  // NUL cannot be passed in an argument at all (the OS strings end there).
  it.each(['../escaped', 'a/b', '/etc/passwd', '..', '.', 'gen ok', ''])(
    '%j: bad usage (exit 2) naming the id, nothing sent, nothing written',
    async (id) => {
      server = await startHostileServer();
      const { tree, out } = paths();
      const result = await run(['tasks', 'wait', id, '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`Invalid task id ${JSON.stringify(id)}`);
      expect(server.requests).toEqual([]);
      expect(filesUnder(tree)).toEqual([]);
    },
  );
});
