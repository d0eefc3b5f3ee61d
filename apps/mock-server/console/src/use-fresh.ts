import { useRef } from 'preact/hooks';

/** The ids among `ids` that an earlier render did not show, so a new row catches the eye. */
export function useFresh(ids: string[] | undefined): Set<string> {
  const seen = useRef<Set<string> | undefined>(undefined);
  const fresh = new Set<string>();
  if (ids) {
    if (seen.current) for (const id of ids) if (!seen.current.has(id)) fresh.add(id);
    seen.current = new Set([...(seen.current ?? []), ...ids]);
  }
  return fresh;
}
