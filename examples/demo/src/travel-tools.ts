/**
 * The demo's three tools: a weather lookup (a fixed table, so runs repeat), a unit converter and a calculator.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { defineTool } from '@loopguard/tools';
import { z } from 'zod';

const WEATHER: Record<string, { temperatureC: number; conditions: string }> = {
  'boston, ma': { temperatureC: 3, conditions: 'light snow' },
  'paris, france': { temperatureC: 11, conditions: 'overcast' },
  'tokyo, japan': { temperatureC: 14, conditions: 'clear' },
};

/** Looks up the (fixed, demo) weather of a city. */
export const getCurrentWeather = defineTool({
  name: 'get_current_weather',
  description: 'Get the current weather in a given location',
  input: z.object({ location: z.string().describe('City and state or country, e.g. Boston, MA') }),
  execute: async ({ location }, { signal }) => {
    await sleep(300, undefined, { signal });
    const found = WEATHER[location.toLowerCase()];
    if (!found)
      throw new Error(`No weather station for "${location}". Known: Boston, MA; Paris, France; Tokyo, Japan.`);
    return { location, ...found };
  },
});

/** Converts temperatures and distances. */
export const convertUnits = defineTool({
  name: 'convert_units',
  description: 'Convert a value between units: celsius/fahrenheit, km/miles',
  input: z.object({
    value: z.number(),
    from: z.enum(['celsius', 'fahrenheit', 'km', 'miles']),
    to: z.enum(['celsius', 'fahrenheit', 'km', 'miles']),
  }),
  execute: ({ value, from, to }) => {
    const key = `${from}->${to}`;
    const conversions: Record<string, (v: number) => number> = {
      'celsius->fahrenheit': (v) => (v * 9) / 5 + 32,
      'fahrenheit->celsius': (v) => ((v - 32) * 5) / 9,
      'km->miles': (v) => v * 0.621371,
      'miles->km': (v) => v / 0.621371,
    };
    const convert = from === to ? (v: number) => v : conversions[key];
    if (!convert) throw new Error(`Cannot convert ${from} to ${to}.`);
    return { value, from, to, result: Math.round(convert(value) * 100) / 100 };
  },
});

/** Does one arithmetic operation. */
export const calculator = defineTool({
  name: 'calculator',
  description: 'Compute a op b for op in add, subtract, multiply, divide',
  input: z.object({ a: z.number(), op: z.enum(['add', 'subtract', 'multiply', 'divide']), b: z.number() }),
  execute: ({ a, op, b }) => {
    if (op === 'divide' && b === 0) throw new Error('Division by zero.');
    const result = op === 'add' ? a + b : op === 'subtract' ? a - b : op === 'multiply' ? a * b : a / b;
    return { result: Math.round(result * 1000) / 1000 };
  },
});
