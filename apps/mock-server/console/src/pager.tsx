/** Newer / Older buttons and "26–50 of 120" under a list, newest first. */
export function Pager({
  page,
  perPage,
  total,
  pages,
  go,
}: {
  page: number;
  perPage: number;
  total: number;
  pages: number;
  go: (page: number) => void;
}) {
  const first = (page - 1) * perPage + 1;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => go(page - 1)}>
        Newer
      </button>
      <span>
        {first}–{Math.min(total, first + perPage - 1)} of {total}
      </span>
      <button type="button" disabled={page >= pages} onClick={() => go(page + 1)}>
        Older
      </button>
    </nav>
  );
}
