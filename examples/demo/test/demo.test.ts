import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const demoDir = fileURLToPath(new URL('..', import.meta.url));

describe('the demo', () => {
  it('Should run offline on the embedded mock gateway, show tool calls and a budget summary, and exit 0', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
    delete env.LOOPGUARD_API_KEY;
    const result = spawnSync(process.execPath, ['--conditions=@loopguard/source', '--import', 'tsx', 'src/main.ts'], {
      cwd: demoDir,
      env,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('embedded mock gateway');
    expect(result.stdout).toContain('→ get_current_weather({"location":"Boston, MA"})');
    expect(result.stdout).toContain('✓ calculator → {"result":14.4}');
    expect(result.stdout).toMatch(/spent: \d+\.\d+ credits/);
    expect(result.stdout).toContain('stop reason: end_turn');
  });
});
