import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Terminal } from '../src/terminal.js';

/** What a terminal shows for `bytes`: `\r\x1b[2K` erases the current line, `\n` starts a new one. */
function screen(bytes: string): string[] {
  const clear = '\r\x1b[2K';
  const lines = [''];
  for (const part of bytes.split(new RegExp(`(${clear.replace('[', '\\[')}|\n)`))) {
    if (part === clear) lines[lines.length - 1] = '';
    else if (part === '\n') lines.push('');
    else lines[lines.length - 1] += part;
  }
  return lines;
}

function capture(): { terminal: Terminal; shown: () => string[] } {
  const stream = new PassThrough();
  let bytes = '';
  stream.on('data', (chunk) => (bytes += String(chunk)));
  const terminal = new Terminal(stream, true);
  return { terminal, shown: () => screen(bytes) };
}

describe('the demo terminal', () => {
  it('Should leave nothing of the spinner on screen once it stops, and keep lines whole around it', async () => {
    const { terminal, shown } = capture();
    terminal.line('→ get_current_weather({})');
    terminal.spin('running 1 tool call(s)…');
    expect(shown().at(-1)).toMatch(/running 1 tool call/);
    terminal.line('✓ get_current_weather → 3');
    terminal.stopSpinner();
    terminal.text('The weather is mild.');
    terminal.line('── budget');
    await new Promise((resolve) => setImmediate(resolve));
    expect(shown()).toEqual([
      '→ get_current_weather({})',
      '✓ get_current_weather → 3',
      'The weather is mild.',
      '── budget',
      '',
    ]);
    expect(shown().join('\n')).not.toContain('running');
  });

  it('Should count the running calls down as they finish', async () => {
    const { terminal, shown } = capture();
    terminal.spin('running 1 tool call(s)…');
    terminal.spin('running 2 tool call(s)…');
    await new Promise((resolve) => setImmediate(resolve));
    expect(shown().at(-1)).toMatch(/running 2 tool call/);
    terminal.line('✓ first');
    terminal.spin('running 1 tool call(s)…');
    await new Promise((resolve) => setImmediate(resolve));
    expect(shown().at(-1)).toMatch(/running 1 tool call/);
    expect(shown().filter((line) => line.includes('running'))).toHaveLength(1);
    terminal.stopSpinner();
  });

  it('Should write plain lines and no escape codes when not interactive', async () => {
    const stream = new PassThrough();
    let bytes = '';
    stream.on('data', (chunk) => (bytes += String(chunk)));
    const terminal = new Terminal(stream, false);
    terminal.spin('running 1 tool call(s)…');
    terminal.line('done');
    terminal.stopSpinner();
    await new Promise((resolve) => setImmediate(resolve));
    expect(bytes).toBe('done\n');
  });
});
