import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaDrivenModel, startMockGateway } from '@loopguard/mock-gateway';
import { fileStore } from '@loopguard/workflow';
import { describe, expect, it } from 'vitest';
import { Report, runResearchPipeline } from '../src/research-pipeline.js';

const plans = (requests: Array<{ body: unknown }>) =>
  requests.filter((r) => JSON.stringify(r.body).includes('Plan research on')).length;

describe('example: research-pipeline (on @loopguard/workflow)', () => {
  it('Should journal each step and, after a crash, replay the plan instead of paying for it again', async () => {
    const gateway = await startMockGateway({ model: schemaDrivenModel() });
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-'));
    const options = {
      baseURL: gateway.baseURL,
      apiKey: 'sk-local-test',
      topic: 'solar',
      storeDir: join(dir, 'runs'),
      ledgerPath: join(dir, 'spend.jsonl'),
      log: () => undefined,
    };
    try {
      await expect(runResearchPipeline({ ...options, crashAfter: 'plan' })).rejects.toThrow(/simulated crash/);
      const [failed] = await fileStore(options.storeDir).listRuns();
      expect(failed?.status).toBe('failed');
      expect((await fileStore(options.storeDir).journal(failed?.runId as string)).map((e) => e.name)).toEqual(['plan']);
      const requestsAfterPlan = gateway.requests.length;

      const state = await runResearchPipeline(options);
      expect(state.runId).toBe(failed?.runId);
      expect(state.status).toBe('done');
      expect(Report.safeParse(state.report).success).toBe(true);
      expect(Object.keys(state.answers)).toEqual(state.plan?.questions);
      expect(plans(gateway.requests.slice(requestsAfterPlan))).toBe(0);
      // One budget across both runs: the ledger holds every request's spend.
      const ledgerLines = readFileSync(options.ledgerPath, 'utf8').trim().split('\n');
      expect(ledgerLines.filter((line) => line.includes('"op":"settle"'))).toHaveLength(gateway.requests.length);
    } finally {
      await gateway.close();
    }
  });

  it('Should start a new run for a new topic or with fresh: true, and give a finished topic its report again for free', async () => {
    const gateway = await startMockGateway({ model: schemaDrivenModel() });
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-'));
    const options = {
      baseURL: gateway.baseURL,
      apiKey: 'sk-local-test',
      storeDir: join(dir, 'runs'),
      ledgerPath: join(dir, 'spend.jsonl'),
      log: () => undefined,
    };
    try {
      await expect(runResearchPipeline({ ...options, topic: 'solar', crashAfter: 'plan' })).rejects.toThrow();
      const wind = await runResearchPipeline({ ...options, topic: 'wind' });
      expect(wind).toMatchObject({ topic: 'wind', status: 'done' });
      expect(plans(gateway.requests)).toBe(2);
      const again = await runResearchPipeline({ ...options, topic: 'wind' });
      expect(again.report).toEqual(wind.report);
      expect(plans(gateway.requests)).toBe(2);
      const fresh = await runResearchPipeline({ ...options, topic: 'wind', fresh: true });
      expect(fresh.runId).not.toBe(wind.runId);
      expect(plans(gateway.requests)).toBe(3);
    } finally {
      await gateway.close();
    }
  });
});
