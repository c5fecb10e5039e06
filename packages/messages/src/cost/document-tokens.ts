/**
 * `documentTokens(block)`: the tokens a `document` block is counted as in the local estimate. The API reads
 * a PDF page by page, as text and as an image of the page (1,500–3,000 tokens a page, by Anthropic's
 * guide), so a PDF counts {@link DOCUMENT_PAGE_TOKENS} per page — pages counted from its `/Type /Page`
 * objects — never by the length of its base64. A plain-text document counts its text; a document of
 * content blocks counts them; a PDF by URL, unseen, counts one page.
 * @module
 */

/** Tokens a PDF page is counted as (the high end of the API's 1,500–3,000, so budgets err high). @default 3000 */
export const DOCUMENT_PAGE_TOKENS = 3000;

/** Pages of a base64 PDF: its `/Type /Page` objects (not `/Pages`), at least 1. */
export function pdfPageCount(base64: string): number {
  const text = Buffer.from(base64, 'base64').toString('latin1');
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g);
  return Math.max(1, pages?.length ?? 0);
}

/**
 * What a document block costs: `{ tokens }` counted per page for a PDF, or `{ text }` to count as
 * characters (a text document's data, a content document's blocks).
 */
export function documentTokens(block: Record<string, unknown>): { tokens: number; text: unknown } {
  const source = (block.source ?? {}) as Record<string, unknown>;
  if (source.type === 'text') return { tokens: 0, text: source.data };
  if (source.type === 'content') return { tokens: 0, text: source.content };
  if (source.type === 'base64' && typeof source.data === 'string') {
    return { tokens: pdfPageCount(source.data) * DOCUMENT_PAGE_TOKENS, text: undefined };
  }
  return { tokens: DOCUMENT_PAGE_TOKENS, text: undefined };
}
