import { invalidHeader } from '../engine/errors.js';
import { bodyErrors, isJson } from '../protocol/answers.js';
import { isJsonMediaType } from '../protocol/media-type.js';

/** The text of each body `readJson` read, for the request journal. */
const bodyTexts = new WeakMap<Request, string>();

/** The body text `readJson` read of `request` (decoded), if it read one. */
export function bodyTextOf(request: Request): string | undefined {
  return bodyTexts.get(request);
}

const DECODERS: Record<string, 'gzip' | 'deflate'> = {
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
};

/**
 * The JSON body of a `POST`, read as the HTTP server's `express.json({ strict: true })` reads it,
 * with the same 400 VALIDATION_ERRORs: a body that is not `application/json` (or `*+json`), a
 * charset other than UTF-*, a body over `limit` bytes, malformed JSON, or JSON that is not an
 * object or array. An empty body reads as `{}` (validated later, naming the missing fields).
 * `gzip` and `deflate` bodies are decoded with Web Streams; other encodings are refused.
 */
export async function readJson(request: Request, limit: number): Promise<unknown> {
  const headers = request.headers;
  const declaredEmpty = headers.get('content-length') === '0' && !headers.has('transfer-encoding');
  if (declaredEmpty || request.body === null) return {};
  const type = headers.get('content-type') ?? '';
  const params = type
    .split(';')
    .slice(1)
    .map((part) => part.trim());
  if (!isJsonMediaType(type)) {
    // An empty body passes whatever its type, as on the server (where it comes with
    // `Content-Length: 0`, which a Fetch Request does not always carry).
    const empty =
      !headers.has('transfer-encoding') && (await request.arrayBuffer()).byteLength === 0;
    if (empty) return {};
    throw invalidHeader('Content-Type', 'must be application/json');
  }
  const charset =
    params
      .map((p) => /^charset=(?:"([^"]*)"|(\S*))$/i.exec(p))
      .map((m) => m && (m[1] ?? m[2]))
      .find((c) => c)
      ?.toLowerCase() ?? 'utf-8';
  if (!charset.startsWith('utf-')) throw bodyErrors.unsupportedCharset();
  const declared = Number(headers.get('content-length') ?? NaN);
  if (declared > limit) throw bodyErrors.tooLarge(limit);
  const bytes = await decoded(request, headers.get('content-encoding'));
  if (bytes.byteLength > limit) throw bodyErrors.tooLarge(limit);
  if (bytes.byteLength === 0) return {};
  let text: string;
  try {
    text = new TextDecoder(charset).decode(bytes);
  } catch {
    throw bodyErrors.unsupportedCharset();
  }
  bodyTexts.set(request, text);
  // Strict, as the server's parser: only an object or an array is a body.
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') {
    throw isJson(text) ? bodyErrors.notObject() : bodyErrors.notJson();
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bodyErrors.notJson();
  }
}

/** The body's bytes, decoded from its `Content-Encoding`. */
async function decoded(request: Request, encoding: string | null): Promise<Uint8Array> {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity') return new Uint8Array(await request.arrayBuffer());
  const format = DECODERS[name];
  if (!format) throw bodyErrors.unsupportedCharset();
  try {
    const stream = request.body!.pipeThrough(new DecompressionStream(format));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    throw bodyErrors.undecodable();
  }
}
