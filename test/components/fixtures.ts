/** What the worker would have written to storage, for the popup's component tests. */
import type { BookCache, BookSummary } from '../../src/domain/books';
import type { BookMessages, CachedMessage, MessageCache } from '../../src/domain/messages';
import { newItem, type OutboxItem } from '../../src/domain/outbox';
import type { Account } from '../../src/domain/refs';

export const SERVER = 'https://tt.example';
export const ME: Account = { server: SERVER, o_u: 'demo' };
export const NOW_S = Math.floor(Date.now() / 1000);

function book(b_o: string, b_c: string, title: string, more: Partial<BookSummary> = {}): BookSummary {
  return {
    b_o,
    b_c,
    title,
    nbNotRead: 0,
    archived: false,
    accepted: true,
    favorite: false,
    order: 0,
    sstamp: 10,
    canWrite: true,
    lastMsg: null,
    ...more,
  };
}

export const SUPPORT = book('alice', 'support-inbox', 'Support inbox', {
  nbNotRead: 3,
  lastMsg: { smid: 5, u_c: 'bob', text: 'Confirmed by the customer', created: NOW_S - 60 },
});
export const LISBON = book('bob', 'team-offsite', 'Team offsite – Lisbon', {
  nbNotRead: 1,
  lastMsg: { smid: 9, u_c: 'demo', text: 'Mornings work best', created: NOW_S - 3600 },
});
export const CAFE = book('demo', 'equipe', 'Équipe café', { lastMsg: { smid: 12, u_c: 'alice', text: 'Un café ?', created: NOW_S - 7200 } });
export const INVOICES = book('carla', 'invoices-q3', 'Invoices Q3', { archived: true, nbNotRead: 1 });
export const ROADMAP = book('alice', 'product-roadmap', 'Product roadmap', { accepted: false, canWrite: false });
export const READ_ONLY = book('bob', 'garden', 'Community garden', { canWrite: false });

export const BOOK_CACHE: BookCache = {
  sstamp: 100,
  books: Object.fromEntries([SUPPORT, LISBON, CAFE, INVOICES, ROADMAP, READ_ONLY].map((b) => [`${b.b_o}/${b.b_c}`, b])),
  names: { alice: 'Alice Martin', bob: 'Bob Okafor', carla: 'Carla Rossi' },
};

export function message(smid: number, u_c: string, text: string, more: Partial<CachedMessage> = {}): CachedMessage {
  return { smid, uuid: `uuid-${smid}`, u_c, created: NOW_S - (100 - smid) * 60, text, files: [], ...more };
}

export const SUPPORT_MESSAGES: BookMessages = {
  sstamp: 100,
  hasOlder: true,
  fetchedAt: Date.now(),
  messages: [
    message(5, 'bob', 'Confirmed by the customer', {
      files: [
        { kind: 'image', internName: 'pNtSmPl16a.png', name: 'paint sample.png' },
        { kind: 'doc', internName: 'qUoTe0001.pdf', name: 'quote.pdf' },
      ],
    }),
    message(4, 'demo', 'I will call them'),
    message(3, 'alice', '<img src=x onerror="document.title=1"><script>document.title=2</script>'),
  ],
};

export function messageCache(books: Record<string, BookMessages>, account: Account = ME): MessageCache {
  return { account, books };
}

export function outboxItem(text: string, more: Partial<OutboxItem> = {}): OutboxItem {
  return {
    ...newItem({ uuid: `send-${text}`, account: ME, book: SUPPORT, bookTitle: SUPPORT.title, text, sinceStamp: 100, now: Date.now() }),
    ...more,
  };
}
