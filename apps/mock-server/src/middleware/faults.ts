import type { Request, RequestHandler } from 'express';
import { HttpError, invalidHeader } from '../errors.js';
import { FAULT_HEADER, parseFault, ScenarioSyntaxError, type FaultSpec } from '../scenarios.js';

/** A fault queued through the admin API: the next `times` matching requests get it. */
export interface QueuedFault extends FaultSpec {
  /** `METHOD /path`; `*` at the end of the path matches any rest. Absent: every /v1 route. */
  route?: string;
}

function faultError(fault: FaultSpec): HttpError {
  const retryAfter: Record<string, string> =
    fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) };
  switch (fault.kind) {
    case '429':
      return new HttpError('RATE_LIMITED', 'rate limit exceeded (injected fault)', {
        headers: { 'Retry-After': String(fault.retryAfterSeconds ?? 1) },
      });
    case '500':
      return new HttpError('INTERNAL_ERROR', 'internal server error (injected fault)');
    case '502':
      return new HttpError('UPSTREAM_ERROR', 'provider error (injected fault)');
    default:
      return new HttpError('SERVICE_UNAVAILABLE', 'service unavailable (injected fault)', {
        headers: retryAfter,
      });
  }
}

function routeMatches(route: string | undefined, req: Request): boolean {
  if (route === undefined) return true;
  const [method, path = ''] = route.trim().split(/\s+/, 2);
  if (method !== '*' && method?.toUpperCase() !== req.method) return false;
  const full = req.baseUrl + req.path;
  return path.endsWith('*') ? full.startsWith(path.slice(0, -1)) : full === path;
}

/** Fault injection: admin-queued faults first, then the `X-EggAPI-Mock-Fault` header. */
export class FaultInjector {
  readonly queue: QueuedFault[] = [];
  readonly #seen = new Map<string, number>();

  enqueue(fault: QueuedFault): void {
    this.queue.push({ ...fault });
  }

  clear(): void {
    this.queue.length = 0;
    this.#seen.clear();
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      let fault: FaultSpec | undefined;
      try {
        fault = this.#fromQueue(req) ?? this.#fromHeader(req);
      } catch (error) {
        if (!(error instanceof ScenarioSyntaxError)) throw error;
        return next(invalidHeader('X-EggAPI-Mock-Fault', error.message));
      }
      if (!fault) return next();
      res.setHeader('X-EggAPI-Mock-Fault-Injected', fault.kind);
      if (fault.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      next(faultError(fault));
    };
  }

  #fromQueue(req: Request): FaultSpec | undefined {
    const index = this.queue.findIndex((f) => routeMatches(f.route, req));
    if (index < 0) return undefined;
    const fault = this.queue[index]!;
    fault.times -= 1;
    if (fault.times <= 0) this.queue.splice(index, 1);
    return fault;
  }

  #fromHeader(req: Request): FaultSpec | undefined {
    const value = req.get(FAULT_HEADER);
    if (value === undefined || value.trim() === '') return undefined;
    const fault = parseFault(value);
    const key = [
      req.get('authorization') ?? '',
      req.method,
      req.baseUrl + req.path,
      value,
      req.get('idempotency-key') ?? '',
    ].join('\n');
    const count = (this.#seen.get(key) ?? 0) + 1;
    this.#seen.set(key, count);
    if (this.#seen.size > 10_000) this.#seen.delete(this.#seen.keys().next().value as string);
    return count <= fault.times ? fault : undefined;
  }
}
