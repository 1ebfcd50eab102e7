/**
 * The privacy text in the extension: the build turns PRIVACY.md into `privacy.html`, which the
 * options page links to, so that the text the stores publish and the one the user reads are one.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Bold and code spans, on escaped text. */
const inline = (text: string) =>
  escape(text)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/`(.+?)`/g, '<code>$1</code>');

/** The Markdown PRIVACY.md uses: headings, paragraphs, lists of one level, rules, bold and code. */
export function markdownToHtml(markdown: string): string {
  const html: string[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  const flush = () => {
    if (paragraph.length) html.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
    if (list) html.push(`<ul>${list.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
    list = null;
  };
  for (const line of markdown.split('\n')) {
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) {
      flush();
      const level = heading[1]!.length;
      html.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
    } else if (line.trim() === '---') {
      flush();
      html.push('<hr>');
    } else if (line.startsWith('- ')) {
      if (paragraph.length) flush();
      (list ??= []).push(line.slice(2));
    } else if (line.trim() === '') {
      flush();
    } else if (list && line.startsWith('  ')) {
      list[list.length - 1] += ` ${line.trim()}`;
    } else {
      paragraph.push(line.trim());
    }
  }
  flush();
  return html.join('\n');
}

export function privacyPageHtml(markdown: string): string {
  const title = /^# (.*)$/m.exec(markdown)?.[1] ?? 'Privacy';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
:root { color-scheme: light dark; font: 15px/1.5 system-ui, sans-serif; }
body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.5rem; }
hr { margin: 2.5rem 0; }
</style>
</head>
<body>
${markdownToHtml(markdown)}
</body>
</html>
`;
}

/** Vite plugin: writes `privacy.html` from PRIVACY.md into the build. */
export function privacyPage(source = resolve(import.meta.dirname, '../PRIVACY.md')): Plugin {
  return {
    name: 'privacy-page',
    buildStart() {
      this.addWatchFile(source);
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'privacy.html', source: privacyPageHtml(readFileSync(source, 'utf8')) });
    },
  };
}
