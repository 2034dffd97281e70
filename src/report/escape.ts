/**
 * Everything in a finding that came from the audited account (resource names, tag values, policy
 * text) is untrusted: a bucket name or tag chosen by an attacker must not be able to rewrite a
 * terminal, break a Markdown table or run script in a browser. Each output escapes here.
 */

// C0 and C1 control characters and DEL: the introducers of every terminal escape sequence.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Bidirectional overrides and isolates reorder what a reader sees ("Trojan Source").
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/** One line of plain text safe for a terminal: controls become spaces, bidi controls go. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, ' ').replace(BIDI, '');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c).replace(BIDI, '');
}

/**
 * Inline Markdown text (GitHub Flavored): HTML is neutralised as entities and every character
 * that can start Markdown syntax is backslash-escaped, so the text renders literally, also
 * inside a table cell. Newlines become spaces: a cell or heading is one line.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(CONTROL, ' ')
    .replace(BIDI, '')
    .replace(/[\\`*_{}[\]()!|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // At the start of a line these open a heading, list, quote or setext underline.
    .replace(/^[#+\-=]/, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * A fenced code block whose fence is longer than any backtick run in the content, so
 * untrusted content cannot close the fence early (CommonMark: a closing fence must be at least
 * as long as the opening one).
 */
export function markdownFence(content: string, language = ''): string {
  const longestRun = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${content.replace(BIDI, '')}\n${fence}`;
}
