/**
 * The scripted scenario the demo plays on the embedded mock gateway when no API key is set.
 * @module
 */
import type { ScriptedReply } from '@loopguard/mock-gateway';

/** The demo's question. */
export const QUESTION =
  'Is it warmer in Boston or in Paris right now? Give me both temperatures in Fahrenheit and the difference.';

/** Three turns: two weather lookups in parallel, then conversions and a subtraction, then the answer. */
export const SCENARIO: ScriptedReply[] = [
  {
    text: "I'll look up the current weather in both cities at once.",
    toolCalls: [
      { name: 'get_current_weather', input: { location: 'Boston, MA' } },
      { name: 'get_current_weather', input: { location: 'Paris, France' } },
    ],
  },
  {
    text: 'Boston is 3°C and Paris is 11°C. Converting both to Fahrenheit and taking the difference.',
    toolCalls: [
      { name: 'convert_units', input: { value: 3, from: 'celsius', to: 'fahrenheit' } },
      { name: 'convert_units', input: { value: 11, from: 'celsius', to: 'fahrenheit' } },
      { name: 'calculator', input: { a: 51.8, op: 'subtract', b: 37.4 } },
    ],
  },
  {
    text: 'Paris is warmer right now: it is 51.8°F (11°C, overcast) in Paris and 37.4°F (3°C, light snow) in Boston — a difference of 14.4°F.',
  },
];
