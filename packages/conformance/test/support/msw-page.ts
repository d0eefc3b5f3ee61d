/// <reference lib="dom" />
// The browser test's page (bundled by msw-browser.test.ts with esbuild): the mock's MSW handlers
// in a service worker, the typed client as an app would use it, and the output image shown.
import { EggAPI } from '@eggapi/client';
import { createEggapiHandlers } from '@eggapi/mock-server/msw';
import { setupWorker } from 'msw/browser';

/** What the page reports to the test. */
export interface PageResult {
  id: string;
  status: string;
  src: string;
  naturalWidth: number;
  naturalHeight: number;
}

declare global {
  interface Window {
    eggapiResult: Promise<PageResult>;
  }
}

window.eggapiResult = (async () => {
  const mock = createEggapiHandlers({ timing: 'fast' });
  await setupWorker(...mock.handlers).start({
    serviceWorker: { url: '/mockServiceWorker.js' },
    onUnhandledRequest: 'bypass',
    quiet: true,
  });
  // Production code, unchanged: the real base URL, which only the worker answers here.
  const client = new EggAPI({ apiKey: mock.apiKey });
  const task = await client.run(
    { model: 'nanobanana', prompt: 'A red fox in a browser', aspect_ratio: '16:9' },
    { pollInterval: 100 },
  );
  const image = document.createElement('img');
  image.alt = 'the generated image';
  image.src = task.output!.urls![0]!;
  document.body.append(image);
  await image.decode();
  return {
    id: task.id,
    status: task.status,
    src: image.src,
    naturalWidth: image.naturalWidth,
    naturalHeight: image.naturalHeight,
  };
})();
