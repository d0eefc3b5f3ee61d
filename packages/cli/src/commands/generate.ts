import { MODELS, type AspectRatio, type Resolution } from '@eggapi/contracts';
import { isTaskId, type GenerateRequestInput } from '@eggapi/client';
import { apiClient, type GlobalOptions } from '../api-client.js';
import { CommandFailure } from '../errors.js';
import { printJson, printTask } from '../output/task.js';
import { outputOf, type Io } from '../output/terminal.js';
import { reportTask, waitForTask, type TaskResultOptions } from './wait-for-task.js';

/** `eggapi generate`'s options, as commander parsed them. */
export interface GenerateCommandOptions extends GlobalOptions, TaskResultOptions {
  aspectRatio?: AspectRatio;
  resolution?: Resolution;
  numOutputs?: number;
  negativePrompt?: string;
  imageUrl?: string[];
  webhookUrl?: string;
  wait?: boolean;
}

/** The request body for `prompt`: only what was given (the server applies its defaults). */
export function generateRequest(
  prompt: string,
  options: GenerateCommandOptions,
): GenerateRequestInput {
  return {
    model: MODELS[0],
    prompt,
    ...(options.negativePrompt !== undefined ? { negative_prompt: options.negativePrompt } : {}),
    ...(options.aspectRatio ? { aspect_ratio: options.aspectRatio } : {}),
    ...(options.resolution ? { resolution: options.resolution } : {}),
    ...(options.numOutputs !== undefined ? { num_outputs: options.numOutputs } : {}),
    ...(options.imageUrl && options.imageUrl.length > 0 ? { image_urls: options.imageUrl } : {}),
    ...(options.webhookUrl ? { webhook_url: options.webhookUrl } : {}),
  };
}

/**
 * Creates a task and prints it; with `--wait` (implied by `--out`) waits for its end showing
 * progress, with `--out` downloads its images, named after the id of the creation's answer.
 *
 * @throws CommandFailure when waiting and the creation's answer has an id that is not a task id
 */
export async function generate(
  prompt: string,
  options: GenerateCommandOptions,
  io: Io,
): Promise<void> {
  const client = apiClient(options);
  const created = await client.generate(generateRequest(prompt, options));
  if (!options.wait && !options.out) {
    const out = outputOf(io.stdout, io.env);
    if (options.json) printJson(out, created);
    else printTask(out, created);
    return;
  }
  // The id to wait for and to name files after comes from the server: one that is not a task
  // id is the server's fault (exit 1), not a usage mistake as the client would call it.
  if (!isTaskId(created.id)) {
    throw new CommandFailure(
      `the server answered an invalid task id ${JSON.stringify(created.id)}: a task id is ` +
        'letters, digits and -._~ (not "." or ".."); not waiting for it',
    );
  }
  const done = await waitForTask(client, created.id, io, options, created);
  await reportTask(created.id, done, io, options);
}
