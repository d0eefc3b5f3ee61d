// A Cloudflare worker (module syntax) whose fetch is the mock's fetch handler; workerd runs it
// through Miniflare (bundled by ../bundle.ts, started by ../runtimes.ts). The handler is created
// in the worker's global scope, where workerd refuses random values, timers and I/O: creating it
// must do none of these (the engine starts at the first request).
import { createMockHandler } from '../mock-handler.js';
import { MOCK_OPTIONS } from '../mock-options.js';

const h = createMockHandler(MOCK_OPTIONS);
export default { fetch: h.fetch };
