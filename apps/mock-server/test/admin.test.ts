import { describe, expect, it } from 'vitest';
import { call, createTask, mockServer, validRequest } from './support/harness.js';

describe('admin routes', () => {
  it('complete and fail a task now', async () => {
    const server = await mockServer({ timing: 'realistic' });
    const a = await createTask(server);
    const b = await createTask(server);
    const completed = await call(server, 'POST', `/__admin/tasks/${a}/complete`, { auth: null });
    expect(completed.body.data).toMatchObject({ id: a, status: 'completed', cost: '$0.0100' });
    const failed = await call(server, 'POST', `/__admin/tasks/${b}/fail`, {
      auth: null,
      body: { error: 'Content moderation: prompt contains prohibited content' },
    });
    expect(failed.body.data).toMatchObject({
      status: 'failed',
      error: 'Content moderation: prompt contains prohibited content',
    });
    expect((await call(server, 'GET', `/v1/tasks/${b}`)).body.data.status).toBe('failed');
    const again = await call(server, 'POST', `/__admin/tasks/${a}/fail`, { auth: null });
    expect(again.status).toBe(409);
    expect(
      (await call(server, 'POST', '/__admin/tasks/gen_none/complete', { auth: null })).status,
    ).toBe(404);
  });

  it('reset forgets every task and usage record', async () => {
    const server = await mockServer();
    await createTask(server);
    await call(server, 'GET', '/v1/usage');
    expect((await call(server, 'POST', '/__admin/reset', { auth: null })).status).toBe(200);
    expect((await call(server, 'GET', '/v1/tasks')).body.data.pagination.total).toBe(0);
    expect((await call(server, 'GET', '/v1/usage')).body.data.pagination.total).toBe(0);
  });

  it('changes timing at runtime for new tasks', async () => {
    const server = await mockServer({ timing: 'instant' });
    const patched = await call(server, 'PATCH', '/__admin/config', {
      auth: null,
      body: { timing: 'realistic' },
    });
    expect(patched.body.data.timing).toEqual({ queueMs: 1000, processingMs: 4000, jitter: 1 });
    const id = await createTask(server);
    expect((await call(server, 'GET', `/v1/tasks/${id}`)).body.data.status).toBe('pending');
    const bad = await call(server, 'PATCH', '/__admin/config', {
      auth: null,
      body: { timing: 'warp' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('timing');
  });

  it('requires the admin token when one is configured', async () => {
    const server = await mockServer({ adminToken: 'admin-secret' });
    expect((await call(server, 'GET', '/__admin/config', { auth: null })).status).toBe(401);
    expect((await call(server, 'GET', '/__admin/config', { auth: 'wrong' })).status).toBe(401);
    expect((await call(server, 'GET', '/__admin/config', { auth: 'admin-secret' })).status).toBe(
      200,
    );
  });

  it('shows a task with its owner, and health', async () => {
    const server = await mockServer();
    const id = await createTask(server, validRequest);
    const task = await call(server, 'GET', `/__admin/tasks/${id}`, { auth: null });
    // The owner's fingerprint, never the key itself.
    expect(task.body.data).toMatchObject({ id, owner: 'sk_t…ggapi' });
    expect(task.text).not.toContain('sk_test_eggapi');
    const health = await call(server, 'GET', '/__admin/health', { auth: null });
    expect(health.body.data).toMatchObject({ status: 'ok', tasks: 1 });
  });
});

describe('memory bound', () => {
  it('keeps at most maxTasks tasks, evicting the oldest first', async () => {
    const server = await mockServer({ maxTasks: 3 });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await createTask(server));
    expect((await call(server, 'GET', `/v1/tasks/${ids[0]}`)).status).toBe(404);
    expect((await call(server, 'GET', `/v1/tasks/${ids[1]}`)).status).toBe(404);
    const list = await call(server, 'GET', '/v1/tasks');
    expect(list.body.data.items.map((t: { id: string }) => t.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect(list.body.data.pagination.total).toBe(3);
  });
});
