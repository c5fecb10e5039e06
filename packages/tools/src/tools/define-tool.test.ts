import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { defineTool } from './define-tool.js';
import { ToolDefinitionError } from './tool-definition-error.js';
import { ToolRegistry } from './tool-registry.js';

const weather = defineTool({
  name: 'get_current_weather',
  description: 'Get the current weather in a given location',
  input: z.object({
    location: z.string().describe('City and state, e.g. Boston, MA'),
    unit: z.enum(['c', 'f']).optional(),
  }),
  execute: ({ location, unit }) => `${location}: 22°${unit ?? 'c'}`,
});

function definitionError(make: () => unknown): ToolDefinitionError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ToolDefinitionError);
    return error as ToolDefinitionError;
  }
  throw new Error('expected a ToolDefinitionError');
}

describe('defineTool', () => {
  it("Should produce the seed's input_schema for get_current_weather", () => {
    expect(weather.definition()).toEqual({
      name: 'get_current_weather',
      description: 'Get the current weather in a given location',
      input_schema: {
        type: 'object',
        properties: {
          location: { type: 'string', description: 'City and state, e.g. Boston, MA' },
          unit: { type: 'string', enum: ['c', 'f'] },
        },
        required: ['location'],
        additionalProperties: false,
      },
    });
  });

  it('Should give the same input_schema for the same shape in zod 3 and zod 4', () => {
    const shape4 = z.object({
      city: z.string().describe('City'),
      days: z.number().int().min(1).max(14),
      units: z.enum(['metric', 'imperial']).optional(),
      tags: z.array(z.string()),
      nested: z.object({ flag: z.boolean() }).nullable(),
    });
    const shape3 = z3.object({
      city: z3.string().describe('City'),
      days: z3.number().int().min(1).max(14),
      units: z3.enum(['metric', 'imperial']).optional(),
      tags: z3.array(z3.string()),
      nested: z3.object({ flag: z3.boolean() }).nullable(),
    });
    const v4 = defineTool({ name: 'a', description: 'd', input: shape4, execute: () => 'ok' });
    const v3 = defineTool({ name: 'a', description: 'd', input: shape3, execute: () => 'ok' });
    expect(v3.inputSchema).toEqual(v4.inputSchema);
    expect(v4.inputSchema).not.toHaveProperty('$schema');
  });

  it('Should infer the execute input type from the zod schema', () => {
    defineTool({
      name: 'typed',
      description: 'types',
      input: z.object({ n: z.number(), s: z.string().optional() }),
      execute: (input) => {
        expectTypeOf(input).toEqualTypeOf<{ n: number; s?: string | undefined }>();
        return input.n;
      },
    });
  });

  it('Should accept a plain JSON Schema with a validator of your choice', () => {
    const tool = defineTool({
      name: 'plain',
      description: 'plain schema',
      input: {
        jsonSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
        validate: (value: unknown) =>
          typeof (value as { q?: unknown })?.q === 'string'
            ? { success: true as const, data: value as { q: string } }
            : { success: false as const, issues: ['q: expected a string'] },
      },
      execute: ({ q }) => q.toUpperCase(),
    });
    expect(tool.validate({ q: 1 })).toEqual({ success: false, issues: ['q: expected a string'] });
    expect(tool.definition().input_schema).toMatchObject({ required: ['q'] });
  });

  it('Should refuse at definition time a non-object root, a bad name, a missing description, naming the field', () => {
    expect(
      definitionError(() => defineTool({ name: 'x', description: 'd', input: z.string() as never, execute: () => '' }))
        .field,
    ).toBe('input');
    expect(
      definitionError(() => defineTool({ name: 'has space', description: 'd', input: z.object({}), execute: () => '' }))
        .field,
    ).toBe('name');
    expect(
      definitionError(() =>
        defineTool({ name: 'x'.repeat(65), description: 'd', input: z.object({}), execute: () => '' }),
      ).field,
    ).toBe('name');
    expect(
      definitionError(() => defineTool({ name: 'x', description: ' ', input: z.object({}), execute: () => '' })).field,
    ).toBe('description');
    expect(
      definitionError(() =>
        defineTool({ name: 'x', description: 'd', input: z.object({}), execute: () => '', timeoutMs: -1 }),
      ).field,
    ).toBe('timeoutMs');
  });

  it('Should refuse a duplicate name in a registry', () => {
    const error = definitionError(() => new ToolRegistry([weather, weather]));
    expect(error.field).toBe('name');
    expect(error.message).toContain('get_current_weather');
  });
});
