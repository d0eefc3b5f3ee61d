import { useEffect, useState } from 'preact/hooks';

/**
 * Where the console is: `#/tasks?status=failed`, `#/tasks/gen_…`, `#/requests`, `#/violations`,
 * `#/controls`.
 */
export interface Route {
  page: 'tasks' | 'task' | 'requests' | 'violations' | 'controls';
  id?: string;
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'tasks' && parts[1]) {
    return { page: 'task', id: decodeURIComponent(parts[1]), params };
  }
  if (parts[0] === 'requests') return { page: 'requests', params };
  if (parts[0] === 'violations') return { page: 'violations', params };
  if (parts[0] === 'controls') return { page: 'controls', params };
  return { page: 'tasks', params };
}

export function href(
  page: 'tasks' | 'requests' | 'violations' | 'controls',
  params?: Record<string, string>,
): string;
export function href(page: 'task', id: string): string;
export function href(page: Route['page'], arg?: string | Record<string, string>): string {
  if (typeof arg === 'string') return `#/tasks/${encodeURIComponent(arg)}`;
  const query = new URLSearchParams(
    Object.entries(arg ?? {}).filter(([, v]) => v !== ''),
  ).toString();
  return `#/${page}${query ? `?${query}` : ''}`;
}

/** The current route, following `hashchange`. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return route;
}
