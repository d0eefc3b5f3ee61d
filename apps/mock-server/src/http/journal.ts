import type { IncomingMessage, ServerResponse } from 'node:http';
import { isImagePath, type MockEngine } from '@eggapi/mock-engine/host';
import type { RequestHandler } from 'express';

const BODY_TEXT = Symbol('eggapi.bodyText');
const ANSWER = Symbol('eggapi.answer');
const V1_PATH = /^\/v1(?:\/|$)/i;

/**
 * express.json's `verify`: keeps the body's text (decoded) for the request journal, so a body
 * that fails to parse is recorded as the text that was sent.
 */
export function keepBodyText(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  (req as IncomingMessage & { [BODY_TEXT]?: string })[BODY_TEXT] = buffer.toString('utf8');
}

/** Tells the journal the JSON answer of a request answered with raw bytes (the proxy). */
export function journalAnswer(res: ServerResponse, answer: unknown): void {
  (res as ServerResponse & { [ANSWER]?: unknown })[ANSWER] = answer;
}

/**
 * Records every `/v1` and image request in the engine's journal once it is answered (the
 * answer's status, its envelope's error code and task id), as the fetch transport does:
 * preflights (`OPTIONS`) are not the app's calls and are left out; a request whose connection
 * was dropped (a `reset` fault) is recorded with status 0. Recording never delays the answer.
 */
export function journal(engine: MockEngine): RequestHandler {
  return (req, res, next) => {
    const path = req.path;
    if (req.method === 'OPTIONS' || !(V1_PATH.test(path) || isImagePath(path))) return next();
    const record = engine.journalRequest();
    let answer: unknown;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      answer = body;
      return json(body);
    };
    let recorded = false;
    const done = (dropped: boolean) => {
      if (recorded) return;
      recorded = true;
      record({
        method: req.method,
        path,
        query: new URL(req.originalUrl, 'http://mock').searchParams,
        headers: Object.entries(req.headers),
        bodyText: (req as IncomingMessage & { [BODY_TEXT]?: string })[BODY_TEXT],
        status: dropped ? 0 : res.statusCode,
        answer: answer ?? (res as ServerResponse & { [ANSWER]?: unknown })[ANSWER],
      });
    };
    res.once('finish', () => done(false));
    res.once('close', () => done(!res.writableFinished));
    next();
  };
}
