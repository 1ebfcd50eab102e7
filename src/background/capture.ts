/**
 * "Send to TimeTonic" from the right-click menu and the keyboard command: what was clicked becomes
 * an outbox item, an image with its own bytes as an attachment.
 */
import { bookKey, isWritable } from '../domain/books';
import type { BookRef } from '../domain/refs';
import {
  bookOfMenuItem,
  captureOf,
  imageAsLink,
  imageFileName,
  MENU_CHOOSE,
  MENU_SIGN_IN,
  MENU_TABLE,
  messageOf,
  withNote,
  type Capture,
} from '../domain/capture';
import { MAX_FILE_BYTES, screenshotFileName } from '../domain/files';
import { pickScreenshotKey } from '../domain/kept-files';
import browser, { type Menus, type Tabs } from '../shared/browser';
import { t } from '../shared/i18n';
import { originPattern } from '../shared/permissions';
import { bookCacheItem, pendingPicksItem, recentBooksItem, type PendingPick } from '../shared/state';
import { attachment, forgetAttachment, keepAttachment } from '../shared/attachments';
import { showNotifications } from './notify';
import { enqueue } from './outbox';

const IMAGE_TIMEOUT_MS = 60_000;
const PICKER_PAGE = 'src/picker/index.html';
const PICKER = { width: 420, height: 640 };
const TABLE_WINDOW = { width: 480, height: 680 };
/** A pick never chosen is forgotten, with its screenshot, after a day. */
const PICK_LIFETIME_MS = 24 * 60 * 60 * 1000;

type Screenshot = { ok: true; blob: Blob; name: string } | { ok: false; why: string };

export function onMenuClicked(info: Menus.OnClickData, tab: Tabs.Tab | undefined): void {
  const sends = info.menuItemId === MENU_CHOOSE || info.menuItemId === MENU_TABLE || bookOfMenuItem(info.menuItemId) !== null;
  const fetchable = info.mediaType === 'image' && /^https?:/i.test(info.srcUrl ?? '');
  // Asked before anything is awaited: the click is the user gesture the permission prompt needs.
  const imageAllowed = sends && fetchable ? askForOrigin(info.srcUrl!) : Promise.resolve(false);
  const capture = captureOf(info, tab);
  // Taken at the click, for the picker to offer: now the click grants activeTab and the page is the
  // active tab; once the picker window opens, neither holds. An image is itself the message's file.
  const screenshot = info.menuItemId === MENU_CHOOSE && capture.kind !== 'image' ? takeScreenshot(tab, capture.pageTitle) : undefined;
  void handleMenuClick(info, tab, capture, imageAllowed, screenshot);
}

async function takeScreenshot(tab: Tabs.Tab | undefined, pageTitle: string): Promise<Screenshot> {
  const takenAt = new Date();
  try {
    const dataUrl = await browser.tabs.captureVisibleTab(tab?.windowId, { format: 'png' });
    const blob = await (await fetch(dataUrl)).blob();
    return { ok: true, blob, name: screenshotFileName(pageTitle, takenAt) };
  } catch {
    // The browser's own pages, other extensions' pages, and files it may not read refuse it.
    return { ok: false, why: t('screenshotRefused') };
  }
}

function askForOrigin(url: string): Promise<boolean> {
  return browser.permissions.request({ origins: [originPattern(url)] }).catch(() => false);
}

async function handleMenuClick(
  info: Menus.OnClickData,
  tab: Tabs.Tab | undefined,
  capture: Capture,
  imageAllowed: Promise<boolean>,
  screenshot: Promise<Screenshot> | undefined,
): Promise<void> {
  if (info.menuItemId === MENU_SIGN_IN) return openSignIn();
  if (capture.kind === 'link' && !capture.linkText && tab?.id !== undefined) {
    capture.linkText = await linkTextIn(tab.id, info.frameId ?? 0, capture.linkUrl!);
  }
  const book = bookOfMenuItem(info.menuItemId);
  if (book) await sendCapture(capture, book, await imageAllowed);
  else if (info.menuItemId === MENU_CHOOSE) await openPicker(capture, await imageAllowed, { screenshot: await screenshot });
  else if (info.menuItemId === MENU_TABLE) await openPicker(capture, await imageAllowed, { page: 'src/tables/index.html', size: TABLE_WINDOW });
}

/**
 * The keyboard commands: this page, or a screenshot of this tab with its page, to the last book
 * used (or the picker when there is none).
 */
export function onCommand(command: string, tab: Tabs.Tab | undefined): Promise<void> {
  if ((command !== 'send-page' && command !== 'send-screenshot') || !tab?.url) return Promise.resolve();
  const capture: Capture = { kind: 'page', pageUrl: tab.url, pageTitle: tab.title || tab.url };
  // Taken before anything is awaited, while the command's activeTab grant is on the page shown.
  const screenshot = command === 'send-screenshot' ? takeScreenshot(tab, capture.pageTitle) : undefined;
  return sendToLastBook(capture, screenshot);
}

async function sendToLastBook(capture: Capture, screenshot: Promise<Screenshot> | undefined): Promise<void> {
  const [recent, cache] = await Promise.all([recentBooksItem.get(), bookCacheItem.get()]);
  const last = recent.map((key) => cache.books[key]).find((book) => book && isWritable(book));
  if (last) await sendCapture(capture, last, false, '', await screenshot);
  else await openPicker(capture, false, { screenshot: await screenshot });
}

/** The picker window's choice for a send it was opened for, with its note and screenshot choice. */
export async function sendPicked(
  pick: string,
  book: BookRef,
  choice: { note: string; screenshot: boolean },
): Promise<{ ok: true } | { ok: false; error: string }> {
  const pending = (await pendingPicksItem.get())[pick];
  if (!pending) return { ok: false, error: t('sendExpired') };
  // Read while the pick still names it: once the pick is gone, the sweep of kept files may forget it.
  const screenshot = choice.screenshot && pending.screenshot ? await keptScreenshot(pick, pending.screenshot) : undefined;
  // Taken once: a second choice in the same window finds it gone.
  const { [pick]: taken, ...rest } = await pendingPicksItem.get();
  if (!taken) return { ok: false, error: t('sendExpired') };
  await pendingPicksItem.set(rest);
  await sendCapture(pending.capture, book, pending.imageAllowed, choice.note, screenshot);
  // The outbox keeps its own copy of the bytes.
  await forgetAttachment(pickScreenshotKey(pick));
  return { ok: true };
}

async function keptScreenshot(pick: string, taken: NonNullable<PendingPick['screenshot']>): Promise<Screenshot> {
  if (!taken.ok) return taken;
  const blob = await attachment(pickScreenshotKey(pick));
  return blob ? { ok: true, blob, name: taken.name } : { ok: false, why: t('screenshotLost') };
}

async function sendCapture(capture: Capture, book: BookRef, imageAllowed: boolean, note = '', screenshot?: Screenshot): Promise<void> {
  let send: Parameters<typeof enqueue>[0] = { book, text: messageOf(t, capture), origin: 'menu' };
  if (capture.kind === 'image') {
    const image = await fetchImage(capture.srcUrl!, imageAllowed);
    send = image.ok ? { ...send, files: [image.file] } : { ...send, ...imageAsLink(t, capture, image.why) };
  } else if (screenshot) {
    // Refused, it goes without the picture, and says why.
    send = screenshot.ok ? { ...send, files: [{ blob: screenshot.blob, name: screenshot.name }] } : { ...send, note: screenshot.why };
  }
  const outcome = await enqueue({ ...send, text: withNote(note, send.text) });
  if (!outcome.ok) {
    await showNotifications([{ id: `sent:${bookKey(book)}`, book, title: t('notSentToTimeTonic'), message: outcome.error }]);
  }
}

type FetchedImage = { ok: true; file: { blob: Blob; name: string } } | { ok: false; why: string };

/** The image's bytes, read up to the size cap; `data:` addresses are decoded, not fetched. */
export async function fetchImage(srcUrl: string, allowed: boolean): Promise<FetchedImage> {
  const isData = srcUrl.startsWith('data:');
  if (!isData && !allowed) {
    return { ok: false, why: t('imageNotGranted', hostOf(srcUrl)) };
  }
  try {
    const response = await fetch(srcUrl, { signal: AbortSignal.timeout(IMAGE_TIMEOUT_MS), credentials: 'include' });
    if (!response.ok) return { ok: false, why: t('imageHttpError', response.status) };
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_FILE_BYTES) return tooLarge();
    const blob = await readCapped(response);
    if (!blob) return tooLarge();
    return { ok: true, file: { blob, name: imageFileName(srcUrl, blob.type) } };
  } catch {
    return { ok: false, why: t('imageUnreachable', isData ? t('imageFromThePage') : hostOf(srcUrl)) };
  }
}

const tooLarge = (): FetchedImage => ({ ok: false, why: t('imageTooLarge', MAX_FILE_BYTES / 1024 / 1024) });

/** The body as a Blob, or null as soon as it passes the cap: a huge answer is never read whole. */
async function readCapped(response: Response): Promise<Blob | null> {
  const type = response.headers.get('content-type') ?? '';
  if (!response.body) return new Blob([], { type });
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_FILE_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new Blob(chunks as BlobPart[], { type: type.split(';')[0] ?? type });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return t('imageFromItsSite');
  }
}

/** Chrome's click data has no link text (Firefox's has): read it from the page the click granted. */
async function linkTextIn(tabId: number, frameId: number, href: string): Promise<string | undefined> {
  try {
    const [result] = await browser.scripting.executeScript({
      target: { tabId, frameIds: [frameId] },
      func: (wanted: string) => [...document.links].find((link) => link.href === wanted)?.textContent?.trim() ?? '',
      args: [href],
    });
    return typeof result?.result === 'string' && result.result ? result.result : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The window that finishes a send: the book picker (offering the screenshot taken at the click), or
 * the "Save to a table" window.
 */
async function openPicker(
  capture: Capture,
  imageAllowed: boolean,
  { screenshot, page = PICKER_PAGE, size = PICKER }: { screenshot?: Screenshot; page?: string; size?: { width: number; height: number } } = {},
): Promise<void> {
  const pick = crypto.randomUUID();
  const now = Date.now();
  // The bytes first: a pick never names a screenshot that is not kept.
  if (screenshot?.ok) await keepAttachment(pickScreenshotKey(pick), screenshot.blob);
  const picks = await pendingPicksItem.get();
  const stale = Object.keys(picks).filter((key) => now - picks[key]!.createdAt > PICK_LIFETIME_MS);
  await Promise.all(stale.map((key) => forgetAttachment(pickScreenshotKey(key))));
  const fresh = Object.fromEntries(Object.entries(picks).filter(([key]) => !stale.includes(key)));
  const taken: PendingPick['screenshot'] = screenshot && (screenshot.ok ? { ok: true, name: screenshot.name } : screenshot);
  await pendingPicksItem.set({ ...fresh, [pick]: { capture, imageAllowed, createdAt: now, screenshot: taken } });
  const window = await browser.windows.create({ url: browser.runtime.getURL(`${page}?pick=${pick}`), type: 'popup', ...size });
  // The picker's pick (and screenshot) goes with its window; the table window keeps its pick until it saves.
  const opened = await pendingPicksItem.get();
  if (page === PICKER_PAGE && opened[pick] && window.id !== undefined) await pendingPicksItem.set({ ...opened, [pick]: { ...opened[pick], windowId: window.id } });
}

/** A picker window closed unsent: its screenshot is not kept a moment longer than the window. */
export async function onWindowRemoved(windowId: number): Promise<void> {
  const picks = await pendingPicksItem.get();
  const closed = Object.keys(picks).filter((pick) => picks[pick]!.windowId === windowId);
  if (closed.length === 0) return;
  await pendingPicksItem.set(Object.fromEntries(Object.entries(picks).filter(([pick]) => !closed.includes(pick))));
  await Promise.all(closed.map((pick) => forgetAttachment(pickScreenshotKey(pick))));
}

async function openSignIn(): Promise<void> {
  // openPopup needs a focused window with the toolbar; a small window with the popup page does too.
  await browser.action.openPopup().catch(() =>
    browser.windows.create({ url: browser.runtime.getURL('src/popup/index.html'), type: 'popup', width: 400, height: 600 }),
  );
}
