/**
 * How soon the popup shows the book list from the cache: opened again and again in Chromium (the
 * built extension, signed in to the local server), with the server answering normally and with it
 * answering 3 s late. And what each surface weighs, gzipped, as it loads.
 */
import { startServer, type LocalServer } from '../server';
import { popupFiles, workerFiles, type Surface } from '../harness/bundle';
import { DIST, type LoadedExtension, loadExtension, signInThroughPopup } from '../harness/extension';

const OPENINGS = 25;
const WARM_UP = 3;
const LATE_MS = 3_000;

export interface OpeningTimes {
  /** From navigation start to the list in the DOM (the `books-rendered` mark), ms. */
  fromNavigation: number[];
  /** From DOMContentLoaded to the same mark, ms. */
  fromDomContentLoaded: number[];
  /** From navigation start to the first paint with content, ms: the frame that shows the list. */
  firstPaint: number[];
}

export interface PopupFigures {
  normal: OpeningTimes;
  late: OpeningTimes;
  popup: Surface;
  worker: Surface;
}

export async function popupFigures(): Promise<PopupFigures> {
  const server = await startServer({ seed: 'demo' });
  // Without the message socket: the popup then asks for a poll as it opens, the case measured here.
  server.control.socket.refuseFor(24 * 3600_000);
  const extension = await loadExtension();
  try {
    await extension.setServer(server.url);
    const signIn = await extension.openPopup();
    await signInThroughPopup(signIn, 'demo', 'demo');
    await signIn.getByRole('button', { name: /^Support inbox/ }).waitFor();
    await signIn.close();

    const normal = await openingTimes(server, extension, { openings: OPENINGS, late: false });
    server.control.injectFaults({ kind: 'delay', req: 'getAllBooks', delayMs: LATE_MS, count: 1_000 });
    const late = await openingTimes(server, extension, { openings: OPENINGS, late: true });
    return { normal, late, popup: popupFiles(DIST), worker: workerFiles(DIST) };
  } finally {
    await extension.close();
    await server.close();
  }
}

/**
 * Opens the popup of a signed-in extension again and again: when the list is drawn and painted. With
 * `late`, the server holds its answer (a fault the caller queued), and openings do not wait for it.
 */
export async function openingTimes(
  server: LocalServer,
  extension: LoadedExtension,
  { openings, late }: { openings: number; late: boolean },
): Promise<OpeningTimes> {
  const answeredPolls = () => server.control.log().filter((entry) => entry.req === 'getAllBooks' && entry.responseBytes > 0).length;
  const answered = async (count: number) => {
    const deadline = Date.now() + 10_000;
    while (answeredPolls() < count) {
      if (Date.now() > deadline) throw new Error('The popup asked for no poll, or the server never answered it');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  let polls = answeredPolls();
  const times: OpeningTimes = { fromNavigation: [], fromDomContentLoaded: [], firstPaint: [] };
  for (let i = 0; i < WARM_UP + openings; i++) {
    const page = await extension.openPopup();
    const timing = await page.evaluate(async () => {
      // Once the list is drawn, and the frame that shows it is painted. (No named functions in
      // here: tsx would wrap them in a helper the page does not have.)
      const [mark, paint] = await Promise.all(
        [
          ['mark', 'books-rendered'],
          ['paint', 'first-contentful-paint'],
        ].map(
          ([type, name]) =>
            new Promise<PerformanceEntry>((resolve) =>
              new PerformanceObserver((list, observer) => {
                const found = list.getEntries().find((candidate) => candidate.name === name);
                if (!found) return;
                observer.disconnect();
                resolve(found);
              }).observe({ type: type!, buffered: true }),
            ),
        ),
      );
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { mark: mark!.startTime, dcl: navigation.domContentLoadedEventStart, paint: paint!.startTime };
    });
    // The poll this opening asked for is answered (a late server leaves the worker waiting,
    // which costs no work): the next opening does not share the processor with its aftermath.
    if (!late) await answered(polls + 1);
    polls = polls + 1;
    await page.close();
    if (i < WARM_UP) continue;
    times.fromNavigation.push(timing.mark);
    times.fromDomContentLoaded.push(timing.mark - timing.dcl);
    times.firstPaint.push(timing.paint);
  }
  return times;
}

export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentileOf(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export { LATE_MS, OPENINGS };
