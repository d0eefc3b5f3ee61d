// A Hono app that hands every request to the mock's fetch handler (served on Node by
// @hono/node-server in ../hono.test.ts; the same app runs on any runtime Hono runs on).
import { Hono } from 'hono';
import { createMockHandler } from '../mock-handler.js';
import { MOCK_OPTIONS } from '../mock-options.js';

const h = createMockHandler(MOCK_OPTIONS);
export const app = new Hono();
app.all('*', (c) => h.fetch(c.req.raw));
export const closeMock = () => h.close();
