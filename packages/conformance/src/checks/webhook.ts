import { parseCost } from '@eggapi/contracts';
import { expect, expectEqual, type Check } from '../check.js';
import { PROMPT } from './tasks.js';

export const webhookChecks: Check[] = [
  {
    id: 'webhook.delivery-verified',
    description: 'a task with webhook_url delivers a signed event that @eggapi/webhook verifies',
    requires: 'webhook',
    async run(ctx) {
      const receiver = ctx.receiver!;
      const created = await ctx.client.generate({
        model: 'nanobanana',
        prompt: PROMPT,
        webhook_url: receiver.url,
      });
      const { task } = await ctx.waitForEnd(created.id);
      const event = await receiver.waitFor(created.id, ctx.options.taskTimeoutMs);
      expectEqual(event.status, task.status, 'event status vs task status');
      expectEqual(event.event, `task.${task.status}`, 'event name');
      expectEqual(event.model, task.model, 'model');
      expectEqual(parseCost(event.cost), parseCost(task.cost), 'event cost vs task cost');
      if (event.event === 'task.completed') {
        const urls = event.output.urls ?? (event.output.url ? [event.output.url] : []);
        expect(urls.length > 0, 'a completed event carries output URLs');
      }
    },
  },
];
