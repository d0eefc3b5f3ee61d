import { HttpError } from './answers.js';

/**
 * The methods each path of `routes` takes, as `Allow` names them (`GET` adds `HEAD`), e.g.
 * `/v1/tasks/:id` → `GET, HEAD`.
 */
export function allowedMethods(contract: object): Map<string, string> {
  const routes = Object.values(contract as Record<string, { method?: unknown; path?: unknown }>);
  const methods = new Map<string, Set<string>>();
  for (const route of routes) {
    if (typeof route.method !== 'string' || typeof route.path !== 'string') continue;
    const set = methods.get(route.path) ?? new Set<string>();
    set.add(route.method);
    if (route.method === 'GET') set.add('HEAD');
    methods.set(route.path, set);
  }
  return new Map([...methods].map(([path, set]) => [path, [...set].sort().join(', ')]));
}

/**
 * 404 NOT_FOUND for a request no route takes; with `allow`, the path exists on those methods
 * (named in `Allow`). Not 405: upstream documents no code for it, and every error answers with a
 * documented code.
 */
export function noRoute(method: string, path: string, allow?: string): HttpError {
  if (allow === undefined) return new HttpError('NOT_FOUND', `no route for ${method} ${path}`);
  return new HttpError('NOT_FOUND', `no route for ${method} ${path}; it takes ${allow}`, {
    Allow: allow,
  });
}
