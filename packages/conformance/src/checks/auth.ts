import { ErrorEnvelopeSchema } from '@eggapi/contracts';
import { expect, expectEqual, type Check, type CheckContext } from '../check.js';

const ROUTES = [
  ['POST', '/v1/generate'],
  ['GET', '/v1/tasks/gen_conformance_probe'],
  ['GET', '/v1/tasks'],
  ['GET', '/v1/usage'],
] as const;

async function expectUnauthorized(ctx: CheckContext, auth: string | null, what: string) {
  for (const [method, path] of ROUTES) {
    const answer = await ctx.http.request(method, path, {
      auth,
      ...(method === 'POST' ? { body: { model: 'nanobanana', prompt: 'conformance probe' } } : {}),
    });
    expectEqual(answer.status, 401, `${method} ${path} ${what}: status`);
    const envelope = ErrorEnvelopeSchema.safeParse(answer.json);
    expect(
      envelope.success,
      `${method} ${path} ${what}: not an error envelope: ${answer.text.slice(0, 200)}`,
    );
    expectEqual(envelope.data.error.code, 'UNAUTHORIZED', `${method} ${path} ${what}: error code`);
  }
}

export const authChecks: Check[] = [
  {
    id: 'auth.missing-key',
    description: 'every /v1 route answers 401 UNAUTHORIZED without an Authorization header',
    run: (ctx) => expectUnauthorized(ctx, null, 'without a key'),
  },
  {
    id: 'auth.wrong-key',
    description: 'every /v1 route answers 401 UNAUTHORIZED for an unknown key',
    run: (ctx) =>
      expectUnauthorized(ctx, `sk_conformance_invalid_${Date.now()}`, 'with a wrong key'),
  },
];
