import { notFound } from '../engine/errors.js';

/** The prefix of the images' rate-limit bucket: `images:<client>`, apart from `/v1`'s. */
export const IMAGES_BUCKET = 'images:';

const PNG_FILE = /^(\d{1,4})\.png$/;

/** The output index of an image file name (`0.png` → 0), or `undefined` for any other name. */
export function outputIndex(file: string): number | undefined {
  const match = PNG_FILE.exec(file);
  return match ? Number(match[1]) : undefined;
}

/** 404 NOT_FOUND for a path under `/images/` with no image. */
export const noImage = (path: string) => notFound(`no image at ${path}`);

/** The headers of an image: public and immutable, like upstream's file host. */
export function imageHeaders(etag: string): Record<string, string> {
  return {
    'Content-Type': 'image/png',
    'Cache-Control': 'public, max-age=31536000, immutable',
    ETag: etag,
  };
}
