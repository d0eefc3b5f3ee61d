import { TaskPageEnvelopeSchema, UsagePageEnvelopeSchema } from '@eggapi/contracts';
import { expect, expectEqual, type Check } from '../check.js';
import { PROMPT } from './tasks.js';

export const paginationChecks: Check[] = [
  {
    id: 'tasks.list.pagination',
    description:
      'GET /v1/tasks pages newest first with consistent page, per_page, total and total_pages',
    async run(ctx) {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push(
          (await ctx.client.generate({ model: 'nanobanana', prompt: `${PROMPT} #${i}` })).id,
        );
      }
      const first = await ctx.http.request('GET', '/v1/tasks?page=1&per_page=2');
      expectEqual(first.status, 200, 'status');
      const parsed = TaskPageEnvelopeSchema.safeParse(first.json);
      expect(parsed.success, `not a task page envelope: ${first.text.slice(0, 300)}`);
      const { items, pagination } = parsed.data.data;
      expectEqual([pagination.page, pagination.per_page], [1, 2], 'page and per_page');
      expect(pagination.total >= 3, `total ${pagination.total} is below the 3 tasks just created`);
      expectEqual(pagination.total_pages, Math.ceil(pagination.total / 2), 'total_pages');
      expectEqual(items.length, 2, 'items on a full page');
      expectEqual(
        items.map((t) => t.id),
        [ids[2], ids[1]],
        'newest first',
      );
      const second = TaskPageEnvelopeSchema.parse(
        (await ctx.http.request('GET', '/v1/tasks?page=2&per_page=2')).json,
      ).data;
      expectEqual(second.items[0]?.id, ids[0], 'first item of page 2');
      const times = [...items, ...second.items].map((t) => Date.parse(t.created_at));
      expect(
        times.every((t, i) => i === 0 || t <= times[i - 1]!),
        `created_at not in descending order: ${JSON.stringify(times)}`,
      );
    },
  },
  {
    id: 'tasks.list.iterates-all',
    description: 'the client iterates every task across pages, as many as pagination.total',
    async run(ctx) {
      const page = await ctx.client.tasks.list({ per_page: 2 });
      let count = 0;
      const seen = new Set<string>();
      for await (const task of ctx.client.tasks.list({ per_page: 2 })) {
        count++;
        seen.add(task.id);
        if (count > page.pagination.total + 10) break;
      }
      expect(count >= page.pagination.total, `iterated ${count} of ${page.pagination.total} tasks`);
      expectEqual(seen.size, count, 'distinct tasks while iterating');
    },
  },
  {
    id: 'usage.list',
    description: 'GET /v1/usage answers usage records in the paginated envelope',
    async run(ctx) {
      const answer = await ctx.http.request('GET', '/v1/usage?page=1&per_page=5');
      expectEqual(answer.status, 200, 'status');
      const parsed = UsagePageEnvelopeSchema.safeParse(answer.json);
      expect(parsed.success, `not a usage page envelope: ${answer.text.slice(0, 300)}`);
      expectEqual(parsed.data.data.pagination.per_page, 5, 'per_page');
      expect(parsed.data.data.items.length <= 5, 'more items than per_page');
    },
  },
];
