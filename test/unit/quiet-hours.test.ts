import { describe, expect, it } from 'vitest';
import { english } from '../support/words';
import { newsFor, type NotificationContext } from '../../src/domain/notifications';
import {
  QUIET_SUMMARY_ID,
  formatTimeOfDay,
  holdNews,
  parseQuietHours,
  parseTimeOfDay,
  quietSummary,
  quietUntil,
  type QuietHours,
} from '../../src/domain/quiet-hours';
import { bookSummary } from '../support/book-summary';

/** Local wall-clock time; 6 January 2025 is a Monday. */
const at = (day: number, hours: number, minutes = 0, month = 0, year = 2025) => new Date(year, month, day, hours, minutes);
const hm = (text: string) => parseTimeOfDay(text)!;
const quiet = (start: string, end: string, days: QuietHours['days'] = [0, 1, 2, 3, 4, 5, 6]): QuietHours => ({
  enabled: true,
  start: hm(start),
  end: hm(end),
  days,
});

describe('quiet hours that cross midnight', () => {
  const nightly = quiet('20:00', '08:00');

  it('hold from the start time to the end time the next morning', () => {
    expect(quietUntil(nightly, at(6, 20, 0))).toEqual(at(7, 8, 0));
    expect(quietUntil(nightly, at(6, 23, 59))).toEqual(at(7, 8, 0));
    expect(quietUntil(nightly, at(7, 0, 0))).toEqual(at(7, 8, 0));
    expect(quietUntil(nightly, at(7, 7, 59))).toEqual(at(7, 8, 0));
  });

  it('end at the end time, and start no sooner than the start time', () => {
    expect(quietUntil(nightly, at(7, 8, 0))).toBeNull();
    expect(quietUntil(nightly, at(7, 12, 0))).toBeNull();
    expect(quietUntil(nightly, at(7, 19, 59))).toBeNull();
  });

  it('belong to the day they start on', () => {
    const fridayNight = quiet('20:00', '08:00', [5]);
    expect(quietUntil(fridayNight, at(10, 19, 0))).toBeNull(); // Friday evening, before
    expect(quietUntil(fridayNight, at(10, 22, 0))).toEqual(at(11, 8, 0)); // Friday night
    expect(quietUntil(fridayNight, at(11, 7, 0))).toEqual(at(11, 8, 0)); // Saturday morning: Friday's period
    expect(quietUntil(fridayNight, at(11, 22, 0))).toBeNull(); // Saturday night: not a chosen day
    expect(quietUntil(fridayNight, at(9, 7, 0))).toBeNull(); // Thursday morning: Wednesday was not chosen
  });

  it('cross from Sunday into Monday, and into a new month and year', () => {
    expect(quietUntil(quiet('22:00', '06:00', [0]), at(13, 5, 0))).toEqual(at(13, 6, 0));
    expect(quietUntil(quiet('22:00', '06:00', [0]), at(7, 5, 0))).toBeNull();
    expect(quietUntil(quiet('22:00', '06:00', [3]), at(31, 23, 0, 11, 2025))).toEqual(at(1, 6, 0, 0, 2026));
    // 28 February 2025 is a Friday: early on 1 March is Friday's night, not Saturday's.
    expect(quietUntil(quiet('22:00', '06:00', [5]), at(1, 1, 0, 2))).toEqual(at(1, 6, 0, 2));
    expect(quietUntil(quiet('22:00', '06:00', [6]), at(1, 1, 0, 2))).toBeNull();
  });

  it('keep their wall-clock end on the night the clocks change', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Europe/Paris';
    try {
      // 30 March 2025: clocks go from 02:00 to 03:00 in Paris, so the night is an hour shorter.
      const end = quietUntil(quiet('22:00', '07:00', [6]), at(30, 4, 0, 2))!;
      expect(end).toEqual(at(30, 7, 0, 2));
      expect(end.getTime() - at(29, 22, 0, 2).getTime()).toBe(8 * 3_600_000);
    } finally {
      // Assigning undefined would set the zone named "undefined".
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe('quiet hours within one day', () => {
  const lunch = quiet('12:00', '14:00', [1, 2, 3, 4, 5]);

  it('hold on the chosen days only', () => {
    expect(quietUntil(lunch, at(8, 13, 0))).toEqual(at(8, 14, 0)); // Wednesday
    expect(quietUntil(lunch, at(11, 13, 0))).toBeNull(); // Saturday
    expect(quietUntil(lunch, at(8, 11, 59))).toBeNull();
    expect(quietUntil(lunch, at(8, 14, 0))).toBeNull();
  });

  it('hold for a whole day when the start and end times are the same', () => {
    const weekend = quiet('00:00', '00:00', [6, 0]);
    expect(quietUntil(weekend, at(10, 23, 59))).toBeNull(); // Friday
    expect(quietUntil(weekend, at(11, 0, 0))).toEqual(at(12, 0, 0)); // Saturday: its day
    expect(quietUntil(weekend, at(12, 23, 59))).toEqual(at(13, 0, 0)); // Sunday: the next one
    expect(quietUntil(weekend, at(13, 0, 0))).toBeNull(); // Monday
  });

  it('never hold while turned off', () => {
    expect(quietUntil({ ...quiet('00:00', '00:00'), enabled: false }, at(8, 12, 0))).toBeNull();
    expect(quietUntil({ enabled: false, start: 20 * 60, end: 8 * 60, days: [0, 1, 2, 3, 4, 5, 6] }, at(8, 23, 0))).toBeNull();
  });
});

describe('the quiet hours form', () => {
  it('reads 24-hour times', () => {
    expect(parseTimeOfDay('00:00')).toBe(0);
    expect(parseTimeOfDay('08:30')).toBe(510);
    expect(parseTimeOfDay('23:59')).toBe(1439);
    for (const bad of ['', '24:00', '8:30', '12:60', '12:00:00', 'noon']) expect(parseTimeOfDay(bad)).toBeNull();
    expect(formatTimeOfDay(510)).toBe('08:30');
    expect(formatTimeOfDay(1439)).toBe('23:59');
  });

  it('saves a valid form, its days in week order', () => {
    expect(parseQuietHours(english, { enabled: true, start: '21:30', end: '07:15', days: [0, 5, 1] })).toEqual({
      ok: true,
      quietHours: { enabled: true, start: 1290, end: 435, days: [1, 5, 0] },
    });
  });

  it('names the control to fix when the form is not valid', () => {
    expect(parseQuietHours(english, { enabled: true, start: '', end: '08:00', days: [1] })).toEqual({
      ok: false,
      field: 'start',
      error: 'Enter the time quiet hours start, such as 20:00',
    });
    expect(parseQuietHours(english, { enabled: true, start: '20:00', end: '', days: [1] })).toMatchObject({ ok: false, field: 'end' });
    expect(parseQuietHours(english, { enabled: true, start: '20:00', end: '08:00', days: [] })).toEqual({
      ok: false,
      field: 'days',
      error: 'Choose at least one day',
    });
  });

  it('lets quiet hours be turned off with no day chosen', () => {
    expect(parseQuietHours(english, { enabled: false, start: '20:00', end: '08:00', days: [] })).toMatchObject({ ok: true });
  });
});

const book = bookSummary;

const message = (smid: number) => ({ smid, u_c: 'bob', text: 'Hello', created: 0 });
const news = (b_c: string, count: number, title = b_c.toUpperCase()) => ({ book: book(b_c, { title }), count });

describe('what arrives during quiet hours', () => {
  it('is held per book, in the order the books first had news', () => {
    const held = holdNews(holdNews([], [news('sales', 2), news('support', 1)]), [news('support', 3, 'Support desk'), news('hr', 1)]);
    expect(held).toEqual([
      { book: { b_o: 'alice', b_c: 'sales' }, title: 'SALES', count: 2 },
      { book: { b_o: 'alice', b_c: 'support' }, title: 'Support desk', count: 4 },
      { book: { b_o: 'alice', b_c: 'hr' }, title: 'HR', count: 1 },
    ]);
  });

  it('is summed up in one notification', () => {
    const held = holdNews([], [news('sales', 2), news('support', 3)]);
    expect(quietSummary(english, held)).toEqual({
      id: QUIET_SUMMARY_ID,
      book: null,
      title: '5 new messages in 2 books while quiet',
      message: 'SALES (2), SUPPORT (3)',
    });
    expect(quietSummary(english, holdNews([], [news('sales', 1)]))?.title).toBe('1 new message in 1 book while quiet');
    expect(quietSummary(english, [])).toBeNull();
  });

  it('is the news notifications would tell: none with notifications off or on the first sync', () => {
    const previous = { 'alice/sales': book('sales', { nbNotRead: 1, lastMsg: message(1) }) };
    const updated = [book('sales', { nbNotRead: 3, lastMsg: message(3) })];
    const context: NotificationContext = { me: 'demo', firstSync: false, enabled: true, muted: new Set(), sincePreviousPoll: 0 };
    expect(newsFor(previous, updated, context)).toEqual([{ book: updated[0], count: 2 }]);
    expect(newsFor(previous, updated, { ...context, enabled: false })).toEqual([]);
    expect(newsFor(previous, updated, { ...context, firstSync: true })).toEqual([]);
    expect(newsFor(previous, updated, { ...context, muted: new Set(['alice/sales']) })).toEqual([]);
  });
});
