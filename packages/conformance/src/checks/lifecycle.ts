import { costForImages, isTerminalStatus, parseCost, TASK_STATUSES } from '@eggapi/contracts';
import { expect, expectEqual, type Check } from '../check.js';
import { PROMPT } from './tasks.js';

const ORDER = new Map<string, number>(TASK_STATUSES.map((s, i) => [s, Math.min(i, 2)]));

export const lifecycleChecks: Check[] = [
  {
    id: 'lifecycle.forward-only',
    description:
      'a task only moves forward (pending → processing → completed | failed) and ends terminal',
    async run(ctx) {
      const created = await ctx.client.generate({ model: 'nanobanana', prompt: PROMPT });
      const { task, statuses } = await ctx.waitForEnd(created.id);
      expect(isTerminalStatus(task.status), `ended at ${task.status}`);
      for (const status of statuses) {
        expect(ORDER.has(status), `unknown status ${status}`);
      }
      const ranks = statuses.map((s) => ORDER.get(s)!);
      expect(
        ranks.every((r, i) => i === 0 || r >= ranks[i - 1]!),
        `statuses moved backwards: ${statuses.join(' → ')}`,
      );
      expect(
        statuses.filter(isTerminalStatus).length === 1,
        `more than one terminal status: ${statuses.join(' → ')}`,
      );
    },
  },
  {
    id: 'lifecycle.timestamps',
    description: 'created_at ≤ started_at ≤ completed_at on an ended task',
    async run(ctx) {
      const created = await ctx.client.generate({ model: 'nanobanana', prompt: PROMPT });
      const { task } = await ctx.waitForEnd(created.id);
      expect(task.started_at, 'an ended task has started_at');
      expect(task.completed_at, 'an ended task has completed_at');
      const [c, s, d] = [task.created_at, task.started_at, task.completed_at].map((t) =>
        Date.parse(t),
      );
      expect(
        c! <= s! && s! <= d!,
        `times out of order: ${task.created_at}, ${task.started_at}, ${task.completed_at}`,
      );
    },
  },
  {
    id: 'lifecycle.cost-and-output',
    description:
      'a completed task costs $0.0100 per image and has output.url and one URL per image',
    async run(ctx) {
      const created = await ctx.client.generate({
        model: 'nanobanana',
        prompt: PROMPT,
        num_outputs: 2,
      });
      expectEqual(created.cost, '$0.00', 'cost while pending');
      const { task } = await ctx.waitForEnd(created.id);
      if (task.status === 'failed') {
        expectEqual(parseCost(task.cost), 0, 'cost of a failed task');
        expect(
          typeof task.error === 'string' && task.error.length > 0,
          'a failed task has an error message',
        );
        return;
      }
      expectEqual(task.status, 'completed', 'status');
      expectEqual(parseCost(task.cost), costForImages(2), 'cost in micro-dollars for 2 images');
      expect(
        /^\$\d+\.\d{4,}$/.test(task.cost),
        `cost ${task.cost} is not a 4-decimal dollar string`,
      );
      expectEqual(task.output?.urls?.length, 2, 'output.urls length');
      expectEqual(
        task.output?.url,
        task.output?.urls?.[0],
        'output.url is the first of output.urls',
      );
    },
  },
];
