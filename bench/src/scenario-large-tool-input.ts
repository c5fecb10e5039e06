/**
 * Scenario 2: one tool_use whose input is 1 MiB and then 4 MiB of JSON, in 8-byte `input_json_delta`s:
 * milliseconds to the final message, lower is better; and the growth from 1 to 4 MiB (linear is ≤ 4.5).
 * Reference: loopguard. A contender past the time limit is reported as such, not waited for.
 * @module
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import Anthropic from '@anthropic-ai/sdk';
import { MessagesClient } from '@loopguard/messages';
import { jsonSchema, streamText, tool } from 'ai';
import { type Sample, timeRuns, withinLimit } from './measure.js';
import type { ReportRow } from './report-table.js';
import { largeToolInputStream, sseFetch } from './stream-fixture.js';

const params = {
  model: 'claude-opus-4-6',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'store it' }],
};

type Contender = [name: string, make: (fetch: typeof globalThis.fetch) => (signal: AbortSignal) => Promise<unknown>];

const contenders: Contender[] = [
  [
    'loopguard MessagesClient.stream',
    (fetch) => {
      const client = new MessagesClient({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:1/v1', fetch, maxRetries: 0 });
      return (signal) => client.stream(params, { signal }).finalMessage();
    },
  ],
  [
    'official SDK messages.stream',
    (fetch) => {
      const client = new Anthropic({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:1/v1', fetch, maxRetries: 0 });
      return (signal) => client.messages.stream(params, { signal }).finalMessage();
    },
  ],
  [
    'AI SDK streamText',
    (fetch) => {
      const anthropic = createAnthropic({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:1/v1', fetch });
      return async (signal) => {
        const result = streamText({
          abortSignal: signal,
          model: anthropic('claude-opus-4-6'),
          prompt: 'store it',
          maxRetries: 0,
          tools: { store: tool({ description: 'store', inputSchema: jsonSchema({ type: 'object' }) }) },
        });
        await result.consumeStream();
        return result.toolCalls;
      };
    },
  ],
];

/** Runs the scenario at the two sizes (in KiB), `runs` times each, giving up on a contender after `limitMs`. */
export async function largeToolInputScenario(
  sizesKiB: [number, number],
  runs: number,
  limitMs: number,
): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  const medians = new Map<string, number[]>();
  for (const sizeKiB of sizesKiB) {
    const bytes = largeToolInputStream(sizeKiB * 1024, 8);
    const scenario = `2. Large tool input, ${sizeKiB >= 1024 ? `${sizeKiB / 1024} MiB` : `${sizeKiB} KiB`} in 8-byte deltas`;
    const results = new Map<string, Sample | undefined>();
    for (const [name, make] of contenders) {
      const work = make(sseFetch(bytes, 16 * 1024));
      results.set(name, await withinLimit((signal) => timeRuns(() => work(signal), runs), limitMs));
    }
    const reference = results.get(contenders[0]?.[0] as string);
    for (const [name] of contenders) {
      const sample = results.get(name);
      if (!sample) {
        rows.push({
          scenario,
          contender: name,
          median: Number.NaN,
          min: Number.NaN,
          max: Number.NaN,
          unit: 'ms',
          ratio: undefined,
          note: `gave up after ${limitMs / 1000} s`,
        });
        medians.set(name, [...(medians.get(name) ?? []), Number.NaN]);
        continue;
      }
      rows.push({
        scenario,
        contender: name,
        median: sample.median,
        min: sample.min,
        max: sample.max,
        unit: 'ms',
        ratio: reference ? reference.median / sample.median : undefined,
      });
      medians.set(name, [...(medians.get(name) ?? []), sample.median]);
    }
  }
  for (const [name] of contenders) {
    const [small, large] = medians.get(name) ?? [];
    const gaveUp = small !== undefined && Number.isFinite(small) && large !== undefined && Number.isNaN(large);
    // Past the limit at the large size, the growth is at least limit / small.
    const growth = gaveUp
      ? limitMs / (small as number)
      : small !== undefined && large !== undefined
        ? large / small
        : Number.NaN;
    rows.push({
      ...(gaveUp ? { note: 'at least: gave up at the large size' } : {}),
      scenario: `2. Large tool input, growth ×${sizesKiB[1] / sizesKiB[0]} in size`,
      contender: name,
      median: growth,
      min: growth,
      max: growth,
      unit: 'time ratio (linear ≤ 4.5)',
      ratio: undefined,
    });
  }
  return rows;
}
