/**
 * "Save to a table…" in Firefox ESR: picked in Firefox's own right-click menu, the page ends as
 * exactly one row of the demo's Reading list, against the local server with repeated `tmp` ids not
 * absorbed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { DEMO_TABLES } from '../../server/tables';
import { button, labelled, loadFirefoxExtension, signIn, type FirefoxExtension } from '../support/firefox';
import { startPageServer, type PageServer } from '../../harness/page-server';

// Firefox's own `browser` global, as code run inside an extension page sees it.
declare const browser: import('webextension-polyfill').Browser;

const HTML = `<!doctype html>
<title>Field notes</title>
<style>body { font: 20px sans-serif; margin: 40px; }</style>
<p>Tables keep records.</p>`;

let server: LocalServer;
let pages: PageServer;
let origin: string;
let extension: FirefoxExtension;

beforeAll(async () => {
  server = await startServer({ seed: 'demo', absorbRepeatedTmpId: false });
  pages = await startPageServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(HTML));
  origin = pages.origin;
  extension = await loadFirefoxExtension();
  await extension.setServer(server.url);
  const popup = await extension.openPopup();
  await signIn(popup, 'demo', 'demo');
  await popup.locator(labelled('Message')).wait();
  await popup.close();
});
afterAll(async () => {
  await extension?.close();
  await pages?.close();
  await server?.close();
});

describe('Save to a table', () => {
  it('saves the page picked in the real menu into one row', async () => {
    const reading = server.control.tables(DEMO_TABLES.b_o, DEMO_TABLES.b_c).find((table) => table.name === 'Reading list')!.catId;
    const tab = await extension.openTab(`${origin}/`);
    await extension.pickContextMenuItem(tab, { x: 600, y: 300 }, ['Send to TimeTonic', 'Save to a table…']);
    // The menu opened the window for this clip; the same page, opened in a tab puppeteer drives.
    let pick = '';
    await expect
      .poll(async () => {
        const picks = await extension.inExtension(async () => Object.keys((await browser.storage.session.get('pendingPicks')).pendingPicks ?? {}));
        pick = picks[0] ?? '';
        return picks.length;
      })
      .toBe(1);
    const window = await extension.openPage(`src/tables/index.html?pick=${pick}`);
    await window.locator(labelled('Book')).wait();
    await window.select('#table-book', 'demo/marketing-2027');
    await window.waitForFunction((id) => (document.querySelector('#table-table') as HTMLSelectElement | null)?.value === id, {}, String(reading));
    // The first field, Title, prefilled with the page title.
    await window.waitForFunction(() => (document.querySelector('[id^="field-"]') as HTMLInputElement | null)?.value === 'Field notes');
    await window.locator(button('Save')).click();
    await expect.poll(() => server.control.tableRows(reading).filter((row) => row.u_c === 'demo' && row.tmpId !== 'tmp-seed').length).toBe(1);
    const [row] = server.control.tableRows(reading).filter((candidate) => candidate.tmpId !== 'tmp-seed');
    expect(row!.values).toMatchObject({ Title: 'Field notes', Link: `${origin}/` });
  });
});
