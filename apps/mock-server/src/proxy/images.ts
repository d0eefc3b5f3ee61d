import { recordedImagePath } from '@eggapi/contracts';

/** An image a completed task's output links, with where a recording stores it. */
export interface OutputImage {
  taskId: string;
  url: string;
  /** Relative to the recording's root (`images/<task id>/<index>.png`). */
  file: string;
}

/**
 * The images of the completed tasks in an answer's envelope (one task, or a page's `items`):
 * only http(s) links, and only of tasks whose id is a task id (an upstream's ids never choose a
 * path otherwise).
 */
export function outputImages(answer: unknown): OutputImage[] {
  const data = (answer as { data?: unknown } | null | undefined)?.data as
    { items?: unknown } | null | undefined;
  const tasks: unknown[] = Array.isArray(data?.items) ? data.items : [data];
  const images: OutputImage[] = [];
  for (const task of tasks) {
    const { id, status, output } = (task ?? {}) as {
      id?: unknown;
      status?: unknown;
      output?: { url?: unknown; urls?: unknown } | null;
    };
    if (typeof id !== 'string' || status !== 'completed' || !output) continue;
    const urls = Array.isArray(output.urls) ? output.urls : [output.url];
    urls.forEach((url, index) => {
      const file = recordedImagePath(id, index);
      if (typeof url === 'string' && file !== undefined && isHttpUrl(url)) {
        images.push({ taskId: id, url, file });
      }
    });
  }
  return images;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
