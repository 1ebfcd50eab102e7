/**
 * `npm run screenshots`: the store screenshots, from the built extension (`dist/`) in Chromium
 * against the local server with its demo data, in English and French, at 1280×800, into
 * store/screenshots/<language>/. The popup is pictured on a 1280×800 card with a line of text; the
 * right-click menu, a native window, is read from the X screen of a private Xvfb (see native-menu.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { startServer } from '../server';
import { DEMO_LOGIN } from '../server/demo';
import { loadExtension } from '../harness/extension';
import { startNativeMenuEnvironment, type NativeMenuEnvironment } from '../harness/native-menu';
import { rgbToPng, xwdToRgb } from './screen-image';
import { pngSize, SCREENSHOT_SIZE, type ScreenshotName } from './screenshot-list';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'store', 'screenshots');

type Lang = 'en' | 'fr';
/** The card's heading and line for each picture of the popup. */
const CAPTIONS: Record<Lang, Record<Exclude<ScreenshotName, '4-right-click'>, [string, string]>> = {
  en: {
    '1-books': ['Your TimeTonic books, one click away', 'Unread counts and the last message of every book, the moment you open it.'],
    '2-book': ['Read and reply without leaving your page', 'The latest messages of a book, with pictures and documents.'],
    '3-quick-send': ['Quick send', 'Pick a book, type, send. Nothing lost, nothing sent twice.'],
  },
  fr: {
    '1-books': ['Vos classeurs TimeTonic à un clic', 'Les non-lus et le dernier message de chaque classeur, dès l’ouverture.'],
    '2-book': ['Lire et répondre sans quitter votre page', 'Les derniers messages d’un classeur, avec images et documents.'],
    '3-quick-send': ['Envoi rapide', 'Choisissez un classeur, tapez, envoyez. Rien de perdu, rien en double.'],
  },
};
const MENU: Record<Lang, string> = { en: 'Send to TimeTonic', fr: 'Envoyer à TimeTonic' };
const QUICK_TEXT: Record<Lang, string> = {
  en: 'The new pricing page is live: can you check the French version before Friday?',
  fr: 'La nouvelle page des tarifs est en ligne : pouvez-vous relire la version anglaise avant vendredi ?',
};
const ARTICLE_STYLE = '<style>body { font: 18px/1.6 Georgia, serif; max-width: 46rem; margin: 3rem auto; color: #222; } h1 { font: 700 2rem system-ui, sans-serif; }</style>';
/** The web page right-clicked in the menu's picture, in each language. */
const ARTICLE: Record<Lang, string> = {
  en: `<!doctype html><html lang="en"><meta charset="utf-8"><title>Q3 report – Northwind</title>${ARTICLE_STYLE}
<h1>Q3 report</h1>
<p>Revenue grew 12% over the quarter, driven by the new subscription plans and a strong September.</p>
<p>Support answered 2,400 requests with a median first reply of 41 minutes. The team will grow by two in Q4.</p>
<p>Next steps: a pricing review in October, and the customer day in Lisbon on 14 November.</p>`,
  fr: `<!doctype html><html lang="fr"><meta charset="utf-8"><title>Rapport T3 – Northwind</title>${ARTICLE_STYLE}
<h1>Rapport du troisième trimestre</h1>
<p>Le chiffre d’affaires a progressé de 12 % sur le trimestre, porté par les nouveaux abonnements et un bon mois de septembre.</p>
<p>Le support a traité 2 400 demandes, avec une première réponse en 41 minutes en médiane. L’équipe s’agrandira de deux personnes au T4.</p>
<p>Prochaines étapes : la révision des tarifs en octobre, et la journée clients à Lisbonne le 14 novembre.</p>`,
};

/** The popup on a 1280×800 card, its heading and line beside it, in the extension's colours. */
function card(popup: Buffer, [heading, line]: [string, string]): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html><meta charset="utf-8"><style>
html, body { margin: 0; width: 1280px; height: 800px; overflow: hidden; }
body { display: flex; align-items: center; justify-content: center; gap: 80px; background: #116e8c; font-family: system-ui, sans-serif; color: #fff; }
div { width: 520px; } h1 { font-size: 44px; line-height: 1.15; margin: 0 0 20px; } p { font-size: 22px; line-height: 1.45; margin: 0; opacity: 0.92; }
img { border-radius: 10px; box-shadow: 0 18px 50px rgba(0, 0, 0, 0.35); max-height: 720px; }
</style><div><h1>${escape(heading)}</h1><p>${escape(line)}</p></div><img src="data:image/png;base64,${popup.toString('base64')}">`;
}

async function composed(page: Page, popup: Buffer, caption: [string, string]): Promise<Buffer> {
  await page.setViewportSize(SCREENSHOT_SIZE);
  await page.setContent(card(popup, caption));
  await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
  return page.screenshot({ type: 'png' });
}

/** The X screen once two looks a moment apart agree: the menu has been drawn. */
async function settledScreen(screen: NativeMenuEnvironment): Promise<Buffer> {
  let last = readFileSync(screen.screenFile!);
  for (let look = 0; look < 50; look++) {
    await delay(100);
    const now = readFileSync(screen.screenFile!);
    if (now.equals(last)) return rgbToPng(xwdToRgb(now));
    last = now;
  }
  throw new Error('The screen kept changing');
}

async function shoot(lang: Lang, serverUrl: string, siteUrl: string): Promise<Record<ScreenshotName, Buffer>> {
  // Chromium on Linux speaks the language LANGUAGE names in its own menus; --lang is the pages'.
  process.env.LANGUAGE = lang;
  const framebuffer = await mkdtemp(join(tmpdir(), 'ttc-screen-'));
  const screen = await startNativeMenuEnvironment({ framebufferDir: framebuffer });
  const extension = await loadExtension({ nativeMenus: screen, lang, window: SCREENSHOT_SIZE }).catch(async (error: unknown) => {
    await screen.close();
    throw error;
  });
  try {
    await extension.setServer(serverUrl);
    const popup = await extension.openPopup();
    await popup.locator('#login').fill(DEMO_LOGIN.login);
    await popup.locator('#password').fill(DEMO_LOGIN.password);
    await popup.locator('button[type=submit]').click();
    await popup.locator('.book-open').first().waitFor();
    await popup.locator('.sync.ok').waitFor();
    const compose = await extension.context.newPage();
    const books = await composed(compose, await popup.locator('.popup').screenshot(), CAPTIONS[lang]['1-books']);

    await popup.locator('#send-text').fill(QUICK_TEXT[lang]);
    const quickSend = await composed(compose, await popup.locator('.popup').screenshot(), CAPTIONS[lang]['3-quick-send']);
    await popup.locator('#send-text').fill('');

    await popup.locator('.book-open', { hasText: 'House renovation' }).click();
    await popup.locator('.message-text').first().waitFor();
    await popup.locator('.sync.ok').waitFor();
    const book = await composed(compose, await popup.locator('.popup').screenshot(), CAPTIONS[lang]['2-book']);
    await compose.close();
    await popup.close();

    const article = await extension.context.newPage();
    // The browser window shows the article's tab alone.
    for (const other of extension.context.pages()) if (other !== article) await other.close();
    await article.goto(siteUrl);
    await article.bringToFront();
    await screen.openContextMenu(article, { x: 420, y: 420 }, [MENU[lang]]);
    const menu = await settledScreen(screen);
    await screen.closeMenus();
    return { '1-books': books, '2-book': book, '3-quick-send': quickSend, '4-right-click': menu };
  } finally {
    await extension.close();
    await screen.close();
    await rm(framebuffer, { recursive: true, force: true });
  }
}

const server = await startServer({ seed: 'demo' });
const site = createServer((request, response) =>
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(ARTICLE[request.url?.endsWith('/fr') ? 'fr' : 'en']),
);
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
try {
  const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/q3-report`;
  for (const lang of ['en', 'fr'] as const) {
    const shots = await shoot(lang, server.url, `${siteUrl}/${lang}`);
    mkdirSync(join(OUT, lang), { recursive: true });
    for (const [name, png] of Object.entries(shots)) {
      const { width, height } = pngSize(png);
      if (width !== SCREENSHOT_SIZE.width || height !== SCREENSHOT_SIZE.height) throw new Error(`${lang}/${name} is ${width}×${height}`);
      const path = join(OUT, lang, `${name}.png`);
      writeFileSync(path, png);
      console.log(`  ${relative(ROOT, path)}  ${(png.length / 1024).toFixed(0)} KiB`);
    }
  }
} finally {
  await new Promise((resolve) => site.close(resolve));
  await server.close();
}
