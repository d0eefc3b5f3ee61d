/** A task's or a delivery's status as a badge (text, never colour alone). */
export function Badge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{status}</span>;
}
