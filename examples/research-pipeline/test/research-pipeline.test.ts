import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaDrivenModel, startMockGateway } from '@loopguard/mock-gateway';
import { describe, expect, it } from 'vitest';
import { type PipelineState, Report, runResearchPipeline } from '../src/research-pipeline.js';

describe('example: research-pipeline', () => {
  it('Should save after each step and resume after a crash without redoing the plan', async () => {
    const gateway = await startMockGateway({ model: schemaDrivenModel() });
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-'));
    const options = {
      baseURL: gateway.baseURL,
      apiKey: 'sk-local-test',
      topic: 'solar',
      statePath: join(dir, 'state.json'),
      ledgerPath: join(dir, 'spend.jsonl'),
      log: () => undefined,
    };
    try {
      await expect(runResearchPipeline({ ...options, crashAfter: 'plan' })).rejects.toThrow(/simulated crash/);
      const saved = JSON.parse(readFileSync(options.statePath, 'utf8')) as PipelineState;
      expect(saved.step).toBe('gather');
      expect(saved.plan?.questions.length).toBeGreaterThan(0);
      const planRequests = gateway.requests.length;

      const state = await runResearchPipeline(options);
      expect(state.step).toBe('done');
      expect(Report.safeParse(state.report).success).toBe(true);
      expect(Object.keys(state.answers)).toEqual(saved.plan?.questions);
      const later = gateway.requests.slice(planRequests).map((r) => JSON.stringify(r.body));
      expect(later.some((body) => body.includes('Plan research on'))).toBe(false);
      // One budget across both runs: the ledger holds every request's spend.
      const ledgerLines = readFileSync(options.ledgerPath, 'utf8').trim().split('\n');
      expect(ledgerLines.filter((line) => line.includes('"op":"settle"'))).toHaveLength(gateway.requests.length);
    } finally {
      await gateway.close();
    }
  });

  it('Should start fresh for a new topic (a saved state of another topic is not resumed), and on fresh: true', async () => {
    const gateway = await startMockGateway({ model: schemaDrivenModel() });
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-'));
    const lines: string[] = [];
    const options = {
      baseURL: gateway.baseURL,
      apiKey: 'sk-local-test',
      statePath: join(dir, 'state.json'),
      ledgerPath: join(dir, 'spend.jsonl'),
      log: (line: string) => lines.push(line),
    };
    try {
      await expect(runResearchPipeline({ ...options, topic: 'solar', crashAfter: 'plan' })).rejects.toThrow();
      const wind = await runResearchPipeline({ ...options, topic: 'wind' });
      expect(wind.topic).toBe('wind');
      expect(wind.step).toBe('done');
      expect(lines).toContain('The saved state is for "solar"; starting fresh on "wind".');
      const plans = () => gateway.requests.filter((r) => JSON.stringify(r.body).includes('Plan research on')).length;
      expect(plans()).toBe(2);
      const again = await runResearchPipeline({ ...options, topic: 'wind' });
      expect(again.report).toEqual(wind.report);
      expect(plans()).toBe(2);
      const fresh = await runResearchPipeline({ ...options, topic: 'wind', fresh: true });
      expect(fresh.step).toBe('done');
      expect(plans()).toBe(3);
    } finally {
      await gateway.close();
    }
  });
});
