/**
 * Quiet hours: a daily stretch of time, on chosen days, without desktop notifications for new
 * messages. What arrives meanwhile is held and summed up in one notification when they end. Pure:
 * times are the local wall-clock times of the `Date` given.
 */
import type { BookRef } from './refs';
import { bookKey } from './books';
import type { BookNews, BookNotification } from './notifications';
import type { Words } from './words';

/** Days as `Date.getDay()` numbers them: 0 is Sunday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** In the order a week is shown, Monday first. */
export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 0];

/** The day's name in `locale`, capitalised as a label ("Lundi", not "lundi"). */
export function weekdayName(day: Weekday, locale: string): string {
  // 4 January 2026 was a Sunday; UTC on both sides, so no time zone shifts the day.
  const name = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2026, 0, 4 + day));
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}

export interface QuietHours {
  enabled: boolean;
  /** Minutes after local midnight. */
  start: number;
  /**
   * Minutes after local midnight. Earlier than `start`: the period ends the next day; equal to it:
   * the period lasts a whole day.
   */
  end: number;
  /** The days on which a quiet period starts (a 20:00–08:00 period on Friday ends on Saturday). */
  days: Weekday[];
}

const MINUTES_PER_DAY = 24 * 60;

/**
 * The end of the quiet period that `now` falls in, or null when `now` is not within quiet hours.
 * A period runs from its start (included) to its end (excluded).
 */
export function quietUntil(quietHours: QuietHours, now: Date): Date | null {
  if (!quietHours.enabled) return null;
  const length = (quietHours.end - quietHours.start + MINUTES_PER_DAY) % MINUTES_PER_DAY || MINUTES_PER_DAY;
  // A period lasts at most a day, so only one that started today or yesterday can hold `now`.
  for (const daysBack of [0, 1]) {
    const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysBack);
    if (!quietHours.days.includes(day.getDay() as Weekday)) continue;
    // Wall-clock arithmetic through the Date constructor, so that a daylight-saving change moves
    // neither end: 22:00–07:00 stays 22:00–07:00 on the night the clocks change.
    const start = new Date(day.getFullYear(), day.getMonth(), day.getDate(), 0, quietHours.start);
    const end = new Date(day.getFullYear(), day.getMonth(), day.getDate(), 0, quietHours.start + length);
    if (start <= now && now < end) return end;
  }
  return null;
}

/** "20:00" → 1200 minutes; null for anything but a 24-hour HH:MM time (what `<input type="time">` gives). */
export function parseTimeOfDay(text: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

export function formatTimeOfDay(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Quiet hours as the options page's form holds them. */
export interface QuietHoursDraft {
  enabled: boolean;
  start: string;
  end: string;
  days: readonly Weekday[];
}

export type QuietHoursField = 'start' | 'end' | 'days';

export function parseQuietHours(
  t: Words,
  draft: QuietHoursDraft,
): { ok: true; quietHours: QuietHours } | { ok: false; field: QuietHoursField; error: string } {
  const start = parseTimeOfDay(draft.start);
  if (start === null) return { ok: false, field: 'start', error: t('quietStartInvalid') };
  const end = parseTimeOfDay(draft.end);
  if (end === null) return { ok: false, field: 'end', error: t('quietEndInvalid') };
  if (draft.enabled && draft.days.length === 0) return { ok: false, field: 'days', error: t('quietNoDay') };
  const days = WEEKDAYS.filter((day) => draft.days.includes(day));
  return { ok: true, quietHours: { enabled: draft.enabled, start, end, days } };
}

/** New messages of one book, held while quiet. */
export interface HeldBookNews {
  book: BookRef;
  title: string;
  count: number;
}

/** Adds a poll's news to what is held: one entry per book, in the order the books first had news. */
export function holdNews(held: readonly HeldBookNews[], news: readonly BookNews[]): HeldBookNews[] {
  const next = held.map((entry) => ({ ...entry }));
  for (const { book, count } of news) {
    const entry = next.find((candidate) => bookKey(candidate.book) === bookKey(book));
    if (entry) {
      entry.count += count;
      entry.title = book.title;
    } else {
      next.push({ book: { b_o: book.b_o, b_c: book.b_c }, title: book.title, count });
    }
  }
  return next;
}

export const QUIET_SUMMARY_ID = 'quiet-summary';

/** The one notification raised when quiet hours end, or null when nothing arrived. */
export function quietSummary(t: Words, held: readonly HeldBookNews[]): BookNotification | null {
  if (held.length === 0) return null;
  const total = held.reduce((sum, entry) => sum + entry.count, 0);
  return {
    id: QUIET_SUMMARY_ID,
    book: null,
    title: t('newsInBooksWhileQuiet', t.plural('newMessages', total), t.plural('books', held.length)),
    message: held.map((entry) => `${entry.title} (${entry.count})`).join(', '),
  };
}
