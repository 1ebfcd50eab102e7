/**
 * "Save to a table": the time from Save in the window to the window closed (the save kept in the
 * outbox) and to the row (and the image in its cell) on the server, and the requests each save makes, in Chromium (the built extension, signed in to the
 * local server with repeated `tmp` ids not absorbed).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { startServer } from '../server';
import { solidPng } from '../server/demo';
import { DEMO_TABLES } from '../server/tables';
import { loadExtension, signInThroughPopup } from '../harness/extension';

export const TABLE_SAVES = 20;

export interface TableSaveFigures {
  /** Save clicked -> the window closed, the save kept in the outbox, ms. */
  closed: number[];
  /** Save clicked -> row on the server, ms, pages (no file). */
  page: number[];
  /** Save clicked -> row and its image in the cell, ms. */
  image: number[];
  /** API requests per save by call, over all saves (the first fetch of the book's tables included). */
  requestsByCall: Record<string, number>;
  saves: number;
}

export async function tableSaveFigures(): Promise<TableSaveFigures> {
  const png = solidPng(400, 300, [0x2a, 0x9d, 0x8f]);
  const images = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end(png));
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  const imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/cover.png`;
  const server = await startServer({ seed: 'demo', absorbRepeatedTmpId: false, absorbRepeatedUuid: false });
  const reading = server.control.tables(DEMO_TABLES.b_o, DEMO_TABLES.b_c).find((table) => table.name === 'Reading list')!.catId;
  const extension = await loadExtension();
  const figures: TableSaveFigures = { closed: [], page: [], image: [], requestsByCall: {}, saves: TABLE_SAVES };
  try {
    await extension.setServer(server.url);
    const signIn = await extension.openPopup();
    await signInThroughPopup(signIn, 'demo', 'demo');
    await signIn.getByLabel('Message').waitFor();
    await signIn.close();
    server.control.clearLog();
    for (let i = 0; i < TABLE_SAVES; i++) {
      const withImage = i % 2 === 1;
      const pick = `bench-${i}`;
      const capture = withImage
        ? { kind: 'image', pageUrl: `https://example.com/${i}`, pageTitle: `Bench page ${i}`, srcUrl: imageUrl }
        : { kind: 'page', pageUrl: `https://example.com/${i}`, pageTitle: `Bench page ${i}` };
      await extension.inExtension(
        ({ pick, capture }) => chrome.storage.session.set({ pendingPicks: { [pick]: { capture, imageAllowed: true, createdAt: Date.now() } } }),
        { pick, capture },
      );
      const window = await extension.openPage(`src/tables/index.html?pick=${pick}`);
      await window.getByLabel('Book').waitFor();
      if ((await window.getByLabel('Book').inputValue()) !== 'demo/marketing-2027') await window.getByLabel('Book').selectOption('demo/marketing-2027');
      await window.getByLabel('Title').waitFor();
      const before = server.control.tableRows(reading).length;
      const started = performance.now();
      const closed = window.waitForEvent('close').then(() => figures.closed.push(performance.now() - started));
      await window.getByRole('button', { name: 'Save' }).click();
      for (;;) {
        const row = server.control.tableRows(reading)[before];
        if (row && (!withImage || (row.files.Picture?.length ?? 0) > 0)) break;
        await delay(1);
      }
      (withImage ? figures.image : figures.page).push(performance.now() - started);
      await closed;
    }
    for (const entry of server.control.log()) figures.requestsByCall[entry.req] = (figures.requestsByCall[entry.req] ?? 0) + 1;
  } finally {
    await extension.close();
    await server.close();
    await new Promise((resolve) => images.close(resolve));
  }
  return figures;
}

export function printTableSaves(figures: TableSaveFigures): void {
  const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const max = (values: readonly number[]) => Math.max(...values);
  const perSave = (n: number) => (n / figures.saves).toFixed(2);
  const api = Object.entries(figures.requestsByCall);
  const all = api.reduce((sum, [, n]) => sum + n, 0);
  console.log(`Save to a table, ${figures.saves} saves into the Reading list, every other one with an image (Chromium, local server)`);
  console.log(`  Save -> window closed           : median ${median(figures.closed).toFixed(1)} ms, max ${max(figures.closed).toFixed(1)} ms`);
  console.log(`  Save -> row on the server       : median ${median(figures.page).toFixed(1)} ms, max ${max(figures.page).toFixed(1)} ms`);
  console.log(`  Save -> row and image in the cell: median ${median(figures.image).toFixed(1)} ms, max ${max(figures.image).toFixed(1)} ms`);
  console.log(`  requests / save                 : ${perSave(all)}  (${api.map(([req, n]) => `${req} ${perSave(n)}`).join(', ')})`);
}
