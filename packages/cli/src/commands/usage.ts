import { formatTaskCost, MAX_PER_PAGE, parseCost } from '@eggapi/contracts';
import type { UsageRecord } from '@eggapi/client';
import { apiClient, type GlobalOptions } from '../api-client.js';
import { printTable } from '../output/table.js';
import { printJson } from '../output/task.js';
import { outputOf, type Io } from '../output/terminal.js';

/** Images and cost of some usage records, summed exactly in micro-dollars. */
export function usageTotal(records: UsageRecord[]): { images: number; cost: string } {
  const micros = records.reduce((sum, record) => sum + parseCost(record.cost), 0);
  const images = records.reduce((sum, record) => sum + record.quantity, 0);
  return { images, cost: formatTaskCost(micros) };
}

/**
 * `eggapi usage`: billed tasks (the newest page, or every page with `--all`) with their total. A table
 * with a total row on a terminal; tab-separated lines and a last `total` line otherwise;
 * `--json` prints `{ items, pagination?, total: { images, cost } }`.
 */
export async function usage(
  options: GlobalOptions & { all?: boolean; json?: boolean },
  io: Io,
): Promise<void> {
  const client = apiClient(options);
  const out = outputOf(io.stdout, io.env);
  let items: UsageRecord[];
  let summary: string;
  let pagination;
  if (options.all) {
    items = [];
    for await (const record of client.usage.list({ per_page: MAX_PER_PAGE })) {
      items.push(record);
    }
    summary = `${items.length} record(s)`;
  } else {
    const page = await client.usage.list();
    items = page.items;
    pagination = page.pagination;
    const { page: n, total_pages, total } = pagination;
    summary =
      total_pages > 1
        ? `page ${n} of ${total_pages}, ${total} record(s); the total covers this page — --all for every page`
        : `${total} record(s)`;
  }
  const total = usageTotal(items);
  if (options.json) return printJson(out, { items, ...(pagination ? { pagination } : {}), total });
  printTable(out, {
    head: ['TASK', 'TYPE', 'IMAGES', 'COST', 'DATE'],
    rows: items.map((r) => [r.task_id, r.type, String(r.quantity), r.cost, r.created_at]),
    footer: [['total', '', String(total.images), total.cost, '']],
  });
  if (out.tty) out.line(out.c.dim(summary));
}
