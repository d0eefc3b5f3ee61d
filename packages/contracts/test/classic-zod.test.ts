import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import {
  GenerateRequestSchema,
  PaginationQuerySchema,
  TaskSchema,
  type GenerateRequest,
  type Task,
} from '../src/index.js';
import { generateRequestFixture, taskFixture } from '../src/testing/index.js';

/**
 * The contracts' schemas are built with `zod/mini`; an application that writes its own schemas
 * with classic `zod` composes them as shown in the README ("Using the schemas with classic zod").
 */
describe('the schemas in an application that uses classic zod', () => {
  it('nest inside classic schemas: z.object, z.array, z.optional', () => {
    const Batch = z.object({ tasks: z.array(TaskSchema), next: z.optional(TaskSchema) });
    const task = taskFixture();
    expect(Batch.parse({ tasks: [task] })).toEqual({ tasks: [task] });
    expect(Batch.safeParse({ tasks: [{ ...task, cost: 'free' }] }).error?.issues[0]).toMatchObject({
      path: ['tasks', 0, 'cost'],
      message: 'cost must look like "$0.0100"',
    });
    expectTypeOf<z.infer<typeof Batch>['tasks'][number]>().toEqualTypeOf<Task>();
  });

  it('spread their shape into a classic object and extend it, keeping every rule and message', () => {
    const Mine = z.strictObject(GenerateRequestSchema.shape).extend({ project: z.string() });
    const body = { ...generateRequestFixture(), project: 'p1' };
    expect(Mine.parse(body)).toMatchObject({ project: 'p1', aspect_ratio: '16:9', num_outputs: 1 });
    expect(Mine.safeParse({ ...body, prompt: '' }).error?.issues[0]?.message).toBe(
      'prompt must not be empty',
    );
    expect(Mine.safeParse({ ...body, seed: 7 }).error?.issues[0]?.message).toBe(
      'Unrecognized key: "seed"',
    );
    expectTypeOf<Omit<z.infer<typeof Mine>, 'project'>>().toEqualTypeOf<GenerateRequest>();
    expectTypeOf<z.infer<typeof Mine>['project']>().toEqualTypeOf<string>();
  });

  it('take classic modifiers as functions: z.optional, z.nullable, z.array', () => {
    const Maybe = z.nullable(z.optional(TaskSchema));
    expect(Maybe.parse(null)).toBeNull();
    expect(Maybe.parse(undefined)).toBeUndefined();
  });

  it('extend with zod/mini itself, which keeps the strictness of the original', () => {
    const Mine = zm.extend(GenerateRequestSchema, { project: zm.string() });
    expect(Mine.safeParse({ ...generateRequestFixture(), project: 'p', seed: 7 }).success).toBe(
      false,
    );
    const Query = zm.extend(PaginationQuerySchema, { status: zm.optional(zm.string()) });
    expect(Query.parse({ page: '2', status: 'failed' })).toEqual({
      page: 2,
      per_page: 20,
      status: 'failed',
    });
  });

  it('parse and safeParse as classic schemas do; their errors are zod 4 core errors', () => {
    expect(TaskSchema.parse(taskFixture())).toEqual(taskFixture());
    expect(GenerateRequestSchema.safeParse({ model: 'nanobanana' }).error?.issues[0]).toMatchObject(
      {
        path: ['prompt'],
        message: 'prompt is required and must be a string',
      },
    );
    // A mini schema throws zod's core error: `z.core.$ZodError`, not classic `z.ZodError`; the
    // helpers that take an error (z.flattenError, z.treeifyError, z.prettifyError) read it.
    let thrown: unknown;
    try {
      GenerateRequestSchema.parse({ model: 'nanobanana', prompt: '' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(z.core.$ZodError);
    expect(z.flattenError(thrown as z.core.$ZodError).fieldErrors).toEqual({
      prompt: ['prompt must not be empty'],
    });
  });

  it('convert to JSON Schema inside classic schemas', () => {
    const json = z.toJSONSchema(z.object({ task: TaskSchema }), { io: 'output' }) as unknown as {
      properties: { task: { properties: { error: { description?: string } } } };
    };
    expect(json.properties.task.properties.error.description).toBe(
      'The failure message of a failed task.',
    );
  });
});
