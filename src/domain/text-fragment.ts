/**
 * The way back to a quote: the page's address with a text fragment (`#:~:text=…`), which
 * Chromium and Firefox (131+) scroll to and highlight when the address is opened. Pure.
 */

/** Up to this many words, the whole quote is the fragment; longer ones go by their first and last words. */
const WHOLE_QUOTE_WORDS = 8;
/** Words of the start and of the end of a long quote: enough to be found once, short enough to read. */
const EDGE_WORDS = 4;

/**
 * `pageUrl` with a text fragment for `quote`, or `pageUrl` as it is when there is no quote or the
 * address is not a web page's. A fragment already on the address is kept; a text directive on it
 * gives way to the new one.
 */
export function quoteAddress(pageUrl: string, quote: string): string {
  const directive = textDirective(quote);
  if (!directive || !/^https?:/i.test(pageUrl)) return pageUrl;
  const hash = pageUrl.indexOf('#');
  const base = hash < 0 ? pageUrl : pageUrl.slice(0, hash);
  const fragment = hash < 0 ? '' : pageUrl.slice(hash + 1);
  const directives = fragment.indexOf(':~:');
  const ownFragment = directives < 0 ? fragment : fragment.slice(0, directives);
  return `${base}#${ownFragment}:~:text=${directive}`;
}

/**
 * `text=` value for a quote: the quote whole when it is one short line, else `textStart,textEnd`
 * from the first words of its first line and the last words of its last line. A text directive
 * matches whole words and, alone, only within one block of the page (a paragraph, a list item),
 * so a quote over several lines goes by its two ends, each within its own block.
 */
export function textDirective(quote: string): string {
  const lines = quote
    .split(/\r?\n|\r|\u2028|\u2029/)
    .map((line) => line.trim().split(/\s+/).filter(Boolean))
    .filter((words) => words.length > 0);
  if (lines.length === 0) return '';
  const first = lines[0]!;
  const last = lines.at(-1)!;
  if (lines.length === 1 && first.length <= WHOLE_QUOTE_WORDS) return encodeTerm(first.join(' '));
  const start = first.slice(0, EDGE_WORDS).join(' ');
  // A single long line: its end words follow its start words, never overlap them.
  const end = (lines.length === 1 ? last.slice(Math.max(EDGE_WORDS, last.length - EDGE_WORDS)) : last.slice(-EDGE_WORDS)).join(' ');
  return `${encodeTerm(start)},${encodeTerm(end)}`;
}

/**
 * A term of a text directive: percent-encoded as a URL component, and `-` too, which the directive
 * syntax reserves (as `,` and `&`, which encodeURIComponent already encodes).
 */
export function encodeTerm(term: string): string {
  return encodeURIComponent(term).replaceAll('-', '%2D');
}
