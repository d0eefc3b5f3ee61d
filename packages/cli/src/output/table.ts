import Table from 'cli-table3';
import type { Output } from './terminal.js';

/** Rows of cells under a header; `footer` rows (totals) come last, bold on a terminal. */
export interface TableData {
  head: string[];
  rows: string[][];
  footer?: string[][];
}

/**
 * A table on a terminal (cli-table3, colour only in the cells we colour ourselves: its own
 * header colour is switched off so that `NO_COLOR` holds); tab-separated lines without a header
 * when the output is piped, one per row, footer rows last (`cut`, `awk` and `sort` read them).
 */
export function printTable(out: Output, data: TableData): void {
  if (!out.tty) {
    for (const row of [...data.rows, ...(data.footer ?? [])]) out.line(row.join('\t'));
    return;
  }
  const table = new Table({
    head: data.head.map((cell) => out.c.bold(cell)),
    style: { head: [], border: [], compact: true },
  });
  table.push(...data.rows);
  table.push(
    ...(data.footer ?? []).map((row) => row.map((cell) => (cell ? out.c.bold(cell) : cell))),
  );
  out.line(table.toString());
}
