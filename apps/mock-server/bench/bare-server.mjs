// @ts-check
// The comparison point: a bare express 5 app answering JSON bodies of the given sizes.
import express from 'express';

const [getBody, postBody] = [process.argv[2] ?? '{}', process.argv[3] ?? '{}'].map((s) =>
  JSON.parse(s),
);
const app = express();
app.get('/bare/:id', (_req, res) => {
  res.json(getBody);
});
app.post('/bare', express.json(), (_req, res) => {
  res.status(202).json(postBody);
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
