import { describe, expect, it } from 'vitest';
import { DOCUMENT_PAGE_TOKENS, pdfPageCount } from './document-tokens.js';
import { estimateInputTokens } from './estimate-input-tokens.js';

/** A minimal PDF body with `pages` page objects, base64 as the API takes it. */
function pdf(pages: number, padding = 0): string {
  const objects = Array.from({ length: pages }, (_, i) => `${i + 3} 0 obj << /Type /Page /Parent 2 0 R >> endobj`);
  const text = `%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Count ${pages} >> endobj\n${objects.join('\n')}\n${'%'.repeat(padding)}\n%%EOF`;
  return Buffer.from(text, 'latin1').toString('base64');
}

const withDocument = (source: Record<string, unknown>) => ({
  messages: [{ role: 'user' as const, content: [{ type: 'document', source } as never] }],
});

describe('document blocks in the input estimate', () => {
  it('Should count a PDF by its pages, not by the length of its base64', () => {
    expect(pdfPageCount(pdf(3))).toBe(3);
    const small = estimateInputTokens(withDocument({ type: 'base64', media_type: 'application/pdf', data: pdf(2) }));
    // 1.5 MB of padding (a scanned page is big) does not make a two-page PDF cost more.
    const heavy = estimateInputTokens(
      withDocument({ type: 'base64', media_type: 'application/pdf', data: pdf(2, 1_500_000) }),
    );
    expect(heavy).toBe(small);
    expect(small).toBeGreaterThanOrEqual(2 * DOCUMENT_PAGE_TOKENS);
    expect(small).toBeLessThan(2 * DOCUMENT_PAGE_TOKENS + 100);
  });

  it('Should count a plain-text document by its text', () => {
    const text = 'x'.repeat(30_000);
    const estimate = estimateInputTokens(withDocument({ type: 'text', media_type: 'text/plain', data: text }), {
      charsPerToken: 3,
    });
    expect(estimate).toBeGreaterThanOrEqual(10_000);
    expect(estimate).toBeLessThan(10_100);
  });
});
