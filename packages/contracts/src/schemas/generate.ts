import { z } from 'zod';
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

const HttpUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/**
 * The body of `POST /v1/generate`. Strict: unknown fields and every rule of the upstream facts
 * table are rejected with the path of the offending field.
 */
export const GenerateRequestSchema = z.strictObject({
  model: z.enum(MODELS, { error: `model must be one of: ${MODELS.join(', ')}` }),
  prompt: z
    .string({ error: 'prompt is required and must be a string' })
    .min(1, { error: 'prompt must not be empty' })
    .max(PROMPT_MAX_LENGTH, { error: `prompt must be at most ${PROMPT_MAX_LENGTH} characters` }),
  negative_prompt: z
    .string()
    .max(NEGATIVE_PROMPT_MAX_LENGTH, {
      error: `negative_prompt must be at most ${NEGATIVE_PROMPT_MAX_LENGTH} characters`,
    })
    .optional(),
  aspect_ratio: z
    .enum(ASPECT_RATIOS, { error: `aspect_ratio must be one of: ${ASPECT_RATIOS.join(', ')}` })
    .default(DEFAULT_ASPECT_RATIO),
  num_outputs: z
    .number({ error: 'num_outputs must be an integer' })
    .int({ error: 'num_outputs must be an integer' })
    .min(1, { error: `num_outputs must be between 1 and ${NUM_OUTPUTS_MAX}` })
    .max(NUM_OUTPUTS_MAX, { error: `num_outputs must be between 1 and ${NUM_OUTPUTS_MAX}` })
    .default(DEFAULT_NUM_OUTPUTS)
    .describe('Images to generate; billing multiplies by the images returned.'),
  resolution: z
    .enum(RESOLUTIONS, { error: `resolution must be one of: ${RESOLUTIONS.join(', ')}` })
    .optional()
    .describe('Output resolution (provider-dependent).'),
  image_urls: z
    .array(HttpUrlSchema)
    .max(IMAGE_URLS_MAX, { error: `image_urls must hold at most ${IMAGE_URLS_MAX} URLs` })
    .optional()
    .describe('Source images; any present makes the task an image_edit.'),
  webhook_url: WebhookUrlSchema.optional(),
});

/** What a caller sends to `POST /v1/generate` (defaults optional). */
export type GenerateRequestInput = z.input<typeof GenerateRequestSchema>;
/** A validated generate request, defaults applied. */
export type GenerateRequest = z.infer<typeof GenerateRequestSchema>;
