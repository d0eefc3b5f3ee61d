import * as z from 'zod/mini';
import './locale.js';
import { described, formatted } from './describe.js';
import { HTTP_URL_PATTERN, parsesWithoutCredentials } from './url-pattern.js';
import { WebhookUrlSchema } from './webhook-url.js';

/** The models in the public catalog. */
export const MODELS = ['nanobanana'] as const;
export type Model = (typeof MODELS)[number];

export const ASPECT_RATIOS = ['16:9', '9:16'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const RESOLUTIONS = ['1k', '2k', '4k'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const DEFAULT_ASPECT_RATIO: AspectRatio = '16:9';
export const DEFAULT_NUM_OUTPUTS = 1;

export const PROMPT_MAX_LENGTH = 2000;
export const NEGATIVE_PROMPT_MAX_LENGTH = 1000;
export const NUM_OUTPUTS_MAX = 4;
export const IMAGE_URLS_MAX = 9;

const HTTP_URL_REGEX = new RegExp(HTTP_URL_PATTERN);
const HTTP_URL_ERROR = 'must be an http(s) URL';

/** A source image URL: exactly {@link HTTP_URL_PATTERN}, and one that parses. */
const HttpUrlSchema = formatted(
  z.string().check(
    z.regex(HTTP_URL_REGEX, { error: HTTP_URL_ERROR }),
    // Reported only when the pattern passed, so that one mistake gives one message.
    z.refine((value) => !HTTP_URL_REGEX.test(value) || parsesWithoutCredentials(value), {
      error: HTTP_URL_ERROR,
    }),
  ),
  'uri',
);

/**
 * The body of `POST /v1/generate`. Strict: unknown fields and every rule of the upstream facts
 * table are rejected with the path of the offending field.
 */
export const GenerateRequestSchema = z.strictObject({
  model: z.enum(MODELS, { error: `model must be one of: ${MODELS.join(', ')}` }),
  prompt: z.string({ error: 'prompt is required and must be a string' }).check(
    z.minLength(1, { error: 'prompt must not be empty' }),
    z.maxLength(PROMPT_MAX_LENGTH, {
      error: `prompt must be at most ${PROMPT_MAX_LENGTH} characters`,
    }),
  ),
  negative_prompt: z.optional(
    z.string().check(
      z.maxLength(NEGATIVE_PROMPT_MAX_LENGTH, {
        error: `negative_prompt must be at most ${NEGATIVE_PROMPT_MAX_LENGTH} characters`,
      }),
    ),
  ),
  aspect_ratio: z._default(
    z.enum(ASPECT_RATIOS, { error: `aspect_ratio must be one of: ${ASPECT_RATIOS.join(', ')}` }),
    DEFAULT_ASPECT_RATIO,
  ),
  num_outputs: described(
    z._default(
      z
        .number({ error: 'num_outputs must be an integer' })
        .check(
          z.int({ error: 'num_outputs must be an integer' }),
          z.gte(1, { error: `num_outputs must be between 1 and ${NUM_OUTPUTS_MAX}` }),
          z.lte(NUM_OUTPUTS_MAX, { error: `num_outputs must be between 1 and ${NUM_OUTPUTS_MAX}` }),
        ),
      DEFAULT_NUM_OUTPUTS,
    ),
    'Images to generate; billing multiplies by the images returned.',
  ),
  resolution: described(
    z.optional(
      z.enum(RESOLUTIONS, { error: `resolution must be one of: ${RESOLUTIONS.join(', ')}` }),
    ),
    'Output resolution (provider-dependent).',
  ),
  image_urls: described(
    z.optional(
      z.array(HttpUrlSchema).check(
        z.maxLength(IMAGE_URLS_MAX, {
          error: `image_urls must hold at most ${IMAGE_URLS_MAX} URLs`,
        }),
      ),
    ),
    'Source images; any present makes the task an image_edit. Each an http(s) URL whose host is ' +
      'a DNS name or an IPv4 address, without credentials.',
  ),
  webhook_url: z.optional(WebhookUrlSchema),
});

/** What a caller sends to `POST /v1/generate` (defaults optional). */
export type GenerateRequestInput = z.input<typeof GenerateRequestSchema>;
/** A validated generate request, defaults applied. */
export type GenerateRequest = z.infer<typeof GenerateRequestSchema>;
