// @ts-check
// The comparison point: a bare express 5 app that validates the POST body with zod (as any
// real API would) and answers JSON bodies of the given sizes. Spawned exactly like the mock.
import express from 'express';
import { z } from 'zod';

const [getBody, postBody] = [process.argv[2] ?? '{}', process.argv[3] ?? '{}'].map((s) =>
  JSON.parse(s),
);
const Request = z.strictObject({
  model: z.literal('nanobanana'),
  prompt: z.string().min(1).max(2000),
});
const app = express();
app.get('/bare/:id', (_req, res) => {
  res.json(getBody);
});
app.post('/bare', express.json(), (req, res) => {
  const parsed = Request.safeParse(req.body);
  if (!parsed.success) return void res.status(400).json({ error: parsed.error.issues });
  res.status(202).json(postBody);
});
// The same probe the start-up measure polls on the mock.
app.get('/v1/tasks', (_req, res) => {
  res.json(getBody);
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
