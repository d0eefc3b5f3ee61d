import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isTaskId } from '@eggapi/contracts';
import type { RecordedTask } from './recording.js';

/** The largest recorded image served. */
export const MAX_RECORDED_IMAGE_BYTES = 32 * 1024 * 1024;

const IMAGE = /^\/images\/([^/]+)\/(\d{1,2})\.png$/;

export interface ImageAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | null;
}

/** The task id and output index of a `/images/<task>/<n>.png` path, when it is one. */
export function imageRequest(path: string): { id: string; index: number } | undefined {
  const match = IMAGE.exec(path);
  if (!match) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  return isTaskId(id) ? { id, index: Number(match[2]) } : undefined;
}

/**
 * Output `index` of a recorded task from the recording's own file (only the path
 * `recordedImagePath` made, only a regular file of bounded size): `undefined` when the recording
 * has no such image.
 */
export async function recordedImage(
  root: string,
  task: RecordedTask,
  index: number,
  head: boolean,
): Promise<ImageAnswer | undefined> {
  const file = task.imageFiles.get(index);
  if (file === undefined) return undefined;
  const path = join(root, file);
  try {
    const stat = await lstat(path);
    if (!stat.isFile() || stat.size > MAX_RECORDED_IMAGE_BYTES) return undefined;
    const png = await readFile(path);
    return {
      status: 200,
      headers: {
        'Content-Type': 'image/png',
        'Content-Length': String(png.byteLength),
        'Cache-Control': 'public, max-age=31536000, immutable',
      },
      body: head ? null : png,
    };
  } catch {
    return undefined;
  }
}
