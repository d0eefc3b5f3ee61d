import type { MockEngine } from '../engine/engine.js';
import { imageHeaders, IMAGES_BUCKET, noImage, outputIndex } from '../protocol/images.js';
import { noRoute } from '../protocol/routes.js';
import type { RequestFacts } from './types.js';

const IMAGES = /^\/images(?:\/|$)/i;
const IMAGE = /^\/images\/([^/]+)\/([^/]+)\/?$/i;

/** An answer with a binary body (`null`: none, for `HEAD` and 304). */
export interface BinaryAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | null;
}

/** Whether a path (below the base) is under `/images/`. */
export const isImagePath = (path: string) => IMAGES.test(path);

/**
 * `GET /images/:taskId/:n.png`: the PNG outputs of completed tasks, public like upstream's file
 * host (no API key), for every transport. Sized by the task's aspect ratio and resolution; the
 * same request (and seed) always gives the same bytes; 304 when `If-None-Match` holds its ETag.
 * Every request under `/images/` counts against the rate limit in a bucket of its own
 * (`images:<client>`), so image fetches never eat a client's `/v1` budget.
 */
export async function answerImage(
  engine: MockEngine,
  request: RequestFacts,
): Promise<BinaryAnswer> {
  await engine.checkRateLimit(`${IMAGES_BUCKET}${request.client}`);
  const match = IMAGE.exec(request.path);
  const head = request.method === 'HEAD';
  if (!match || (!head && request.method !== 'GET')) throw noRoute(request.method, request.path);
  const index = outputIndex(decodeURIComponent(match[2]!));
  const image =
    index === undefined ? undefined : await engine.image(decodeURIComponent(match[1]!), index);
  if (!image) throw noImage(request.path);
  const headers = imageHeaders(image.etag);
  if (fresh(request, image.etag)) return { status: 304, headers, body: null };
  headers['Content-Length'] = String(image.png.byteLength);
  return { status: 200, headers, body: head ? null : image.png };
}

/** Whether the caller's cached copy is current (`If-None-Match`), as express's `req.fresh`. */
function fresh(request: RequestFacts, etag: string): boolean {
  const match = request.header('if-none-match');
  if (!match || /(?:^|,)\s*no-cache\s*(?:,|$)/.test(request.header('cache-control') ?? '')) {
    return false;
  }
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return match.trim() === '*' || match.split(',').some((tag) => bare(tag) === bare(etag));
}
