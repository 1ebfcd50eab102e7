/**
 * The extension in a French Chromium: the options page, the toolbar tooltip, the popup and the
 * real right-click menu speak French.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { loadExtension, type LoadedExtension } from '../../harness/extension';
import { startNativeMenuEnvironment, type NativeMenuEnvironment } from '../../harness/native-menu';
import { startPageServer, type PageServer } from '../../harness/page-server';

const SUPPORT = { b_o: 'alice', b_c: 'support-inbox', title: 'Support inbox' };
const HTML = '<!doctype html><title>Rapport trimestriel</title><p>Le chiffre d’affaires a progressé.</p>';

let server: LocalServer;
let pages: PageServer;
let origin: string;
let menus: NativeMenuEnvironment;
let extension: LoadedExtension;
let page: Page;

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  pages = await startPageServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(HTML));
  origin = pages.origin;
  menus = await startNativeMenuEnvironment();
  extension = await loadExtension({ nativeMenus: menus, lang: 'fr' });
  await extension.setServer(server.url);
  page = await extension.context.newPage();
  await page.goto(`${origin}/`);
});
afterAll(async () => {
  await extension?.close();
  await menus?.close();
  await pages?.close();
  await server?.close();
});

const title = () => extension.inExtension(() => chrome.action.getTitle({}));
/** Picks `path` in the right-click menu of the page: 'picked', or the error that names what it saw. */
const pick = (path: string[]) =>
  menus.pickContextMenuItem(page, { x: 600, y: 300 }, path, 1_000).then(
    () => 'picked',
    (error: Error) => error.message,
  );

describe('in French', () => {
  it('shows the options page in French, with French day names', async () => {
    const options = await extension.openOptions();
    await expect.poll(() => options.getByLabel('Serveur TimeTonic').inputValue()).toBe(server.url);
    expect(await options.title()).toBe('Options de TimeTonic Companion');
    expect(await options.getByRole('heading', { level: 2 }).allTextContents()).toEqual([
      'Connexion',
      'Connexion en direct',
      'Compte',
      'Mises à jour',
      'Heures de silence',
      'Classeurs en sourdine',
      'À propos',
    ]);
    expect(await options.locator('#poll-minutes option').allTextContents()).toEqual(['1 minute', '2 minutes', '5 minutes', '10 minutes', '15 minutes', '30 minutes']);
    expect(await options.locator('.days label').allTextContents()).toEqual(['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche']);
    await options.getByLabel('Serveur TimeTonic').fill('http://example.com');
    await options.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => options.locator('#server-status').textContent()).toBe('Utilisez une adresse https:// (http:// seulement pour cet ordinateur)');
    await options.close();
  });

  it('offers signing in, in French, before anyone signs in', async () => {
    await expect.poll(title).toBe('TimeTonic : non connecté');
    await expect.poll(() => pick(['Envoyer à TimeTonic', SUPPORT.title])).toMatch(/seen: 'Se connecter à TimeTonic…'/);
  });

  it('counts unread messages in French once signed in', async () => {
    const outcome = await extension.inExtension(() => chrome.runtime.sendMessage({ type: 'signIn', login: 'demo', password: 'demo' }));
    expect(outcome).toEqual({ ok: true });
    const unread = server.control.unreadTotal('demo');
    expect(unread).toBeGreaterThan(1);
    await expect.poll(title).toBe(`TimeTonic : ${unread} messages non lus`);
  });

  it('shows the popup in French once signed in', async () => {
    const popup = await extension.openPopup();
    const unread = server.control.unreadTotal('demo');
    await expect.poll(() => popup.locator('.popup-header .total').textContent()).toBe(`${unread} non lus`);
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await popup.getByLabel('Trouver un classeur').getAttribute('placeholder')).toBe('Trouver un classeur');
    const counts = await popup.locator('.book .count').evaluateAll((spans) => spans.map((span) => span.getAttribute('aria-label')));
    expect(counts.length).toBeGreaterThan(0);
    for (const count of counts) expect(count).toMatch(/^(1 non lu|\d+ non lus)$/);
    const quickSend = popup.getByRole('region', { name: 'Envoi rapide' });
    // The file controls are drawn once their code is in.
    await expect.poll(() => quickSend.locator('label').allTextContents()).toEqual(['Classeur', 'Message', 'Joindre des fichiers']);
    for (const name of ['Joindre des fichiers', 'Capture d’écran de cet onglet', 'Envoyer']) expect(await quickSend.getByRole('button', { name, exact: true }).count(), name).toBe(1);
    await quickSend.getByRole('button', { name: 'Envoyer' }).click();
    await expect.poll(() => quickSend.getByRole('alert').textContent()).toBe('Saisissez d’abord un message');
    await popup.close();
  });

  it('sends the page from "Envoyer à TimeTonic" in the right-click menu', async () => {
    // The menu lists the books once the first poll after sign-in has brought them.
    await expect.poll(() => pick(['Envoyer à TimeTonic', SUPPORT.title])).toBe('picked');
    await expect
      .poll(() => server.control.messages(SUPPORT.b_o, SUPPORT.b_c).filter((message) => message.u_c === 'demo').map((message) => message.msg))
      .toContain(`Rapport trimestriel\n${origin}/`);
  });
});
