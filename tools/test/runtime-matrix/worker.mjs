// @ts-check
// The runtime matrix in workerd (a module worker, bundled): the input as the request's JSON body,
// the result as the answer's.
import { runMatrix } from './cases.mjs';

export default {
  /** @param {Request} request */
  async fetch(request) {
    return Response.json({ runtime: 'workerd', ...(await runMatrix(await request.json())) });
  },
};
