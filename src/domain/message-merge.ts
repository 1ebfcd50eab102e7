/**
 * How fetched pages of a book's messages are merged into the message cache, and how the cache is
 * kept small. Pure; only the worker runs it.
 */
import type { BookMessage } from '../api';
import type { ApiError } from '../api/errors';
import { accountOf, sameAccount, type Account } from './refs';
import { MAX_KEPT_MESSAGES, type BookMessages, type CachedMessage, type MessageCache, type MessageFile } from './messages';

/** Messages asked for at a time: a popup's worth. */
export const MESSAGE_PAGE_SIZE = 20;

export interface MessageCacheLimits {
  /** Books kept; the ones fetched least recently go first. */
  books: number;
  /** Messages kept of each book but the one just fetched. */
  messagesPerBook: number;
  /** Messages kept of the book just fetched, which may have been paged further back. */
  messagesOfLatestBook: number;
}

export const MESSAGE_CACHE_LIMITS: MessageCacheLimits = { books: 20, messagesPerBook: 60, messagesOfLatestBook: MAX_KEPT_MESSAGES };

const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'gif', 'webp', 'avif', 'bmp']);

function fileOf(media: BookMessage['medias'][number]): MessageFile {
  const ext = (media.ext || media.internName.split('.').pop() || '').toLowerCase();
  const kind = media.type === 'doc' ? 'doc' : IMAGE_EXTENSIONS.has(ext) ? 'image' : 'media';
  return { kind, internName: media.internName, name: media.originName || media.internName };
}

export function toCachedMessage(message: BookMessage): CachedMessage {
  return {
    smid: message.smid,
    uuid: message.uuid,
    u_c: message.u_c,
    created: message.created,
    text: message.msg || message.msgBody,
    files: message.medias.filter((media) => !media.del && media.internName).map(fileOf),
  };
}

const newestFirst = (a: CachedMessage, b: CachedMessage) => b.smid - a.smid;

/**
 * Merges the answer to a fetch of the newest page: alone on a first fetch, or with every message
 * changed since `entry.sstamp` (new, edited, deleted) when the cache had the book. An answer older
 * than the entry (two fetches crossed) is dropped: it could bring back a deleted message.
 */
export function mergeLatest(
  entry: BookMessages | undefined,
  reply: { sstamp: number; messages: readonly BookMessage[] },
  now: number,
  pageSize = MESSAGE_PAGE_SIZE,
): BookMessages {
  if (entry && reply.sstamp < entry.sstamp) return entry;
  const bySmid = new Map((entry?.messages ?? []).map((message) => [message.smid, message]));
  for (const message of reply.messages) {
    if (message.del) bySmid.delete(message.smid);
    else bySmid.set(message.smid, toCachedMessage(message));
  }
  return {
    sstamp: Math.max(reply.sstamp, entry?.sstamp ?? 0),
    messages: [...bySmid.values()].sort(newestFirst),
    // A first fetch is one page, and a full one says more wait further back.
    hasOlder: entry ? entry.hasOlder : reply.messages.filter((message) => !message.del).length >= pageSize,
    fetchedAt: now,
  };
}

/**
 * Appends a page of messages older than `before`, the oldest kept when the page was asked for. If
 * another fetch changed the end of the list meanwhile, the page may not join it and is dropped.
 */
export function mergeOlder(
  entry: BookMessages,
  page: readonly BookMessage[],
  before: number,
  now: number,
  pageSize = MESSAGE_PAGE_SIZE,
): BookMessages {
  if (entry.messages.at(-1)?.smid !== before) return entry;
  const older = page.filter((message) => !message.del && message.smid < before).map(toCachedMessage).sort(newestFirst);
  return { ...entry, messages: [...entry.messages, ...older], hasOlder: older.length >= pageSize, fetchedAt: now };
}

function trimmed(entry: BookMessages, max: number): BookMessages {
  return entry.messages.length <= max ? entry : { ...entry, messages: entry.messages.slice(0, max), hasOlder: true };
}

/**
 * The cache with one book's messages stored, kept within its limits: the books fetched least
 * recently go first, and every book but this one keeps its newest messages only.
 */
export function storeBookMessages(
  cache: MessageCache,
  account: Account,
  key: string,
  entry: BookMessages,
  limits: MessageCacheLimits = MESSAGE_CACHE_LIMITS,
): MessageCache {
  const books = { ...(sameAccount(cache.account, account) ? cache.books : {}), [key]: entry };
  const kept = Object.entries(books)
    .sort(([, a], [, b]) => b.fetchedAt - a.fetchedAt)
    .slice(0, limits.books)
    .map(([other, messages]) => [other, trimmed(messages, other === key ? limits.messagesOfLatestBook : limits.messagesPerBook)]);
  return { account: accountOf(account), books: Object.fromEntries(kept) };
}

/** Plain words for why a book's messages could not be fetched. */
export function readFailure(error: Pick<ApiError, 'kind' | 'message' | 'details'>): string {
  switch (error.kind) {
    case 'network':
    case 'timeout':
    case 'cancelled':
      return 'TimeTonic could not be reached';
    case 'httpStatus':
      return `TimeTonic had a server error (HTTP ${error.details.status ?? '?'})`;
    case 'badReply':
      return 'TimeTonic sent an answer that could not be read';
    case 'invalidSession':
    case 'badCredentials':
    case 'invalidAppkey':
      return 'Sign in again to read this book';
    case 'noRights':
      return 'You may not read this book';
    case 'notFound':
      return 'This book no longer exists';
    case 'badInput':
    case 'refused':
      return `TimeTonic refused: ${error.message}`;
  }
}
