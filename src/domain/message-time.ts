/** When a message was written, in the user's words. Pure, given a locale and a time zone. */

const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: string | undefined, timeZone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([locale, timeZone, options]);
  let made = formats.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, made);
  }
  return made;
}

/**
 * When a message was written, in the user's locale: the time alone for today, the day and time
 * this year, the full date before. `locale` and `timeZone` default to the user's.
 */
export function messageTime(createdSeconds: number, nowMs: number, locale?: string, timeZone?: string): string {
  const created = new Date(createdSeconds * 1000);
  const day = format(locale, timeZone, { year: 'numeric', month: 'numeric', day: 'numeric' });
  if (day.format(created) === day.format(nowMs)) return format(locale, timeZone, { timeStyle: 'short' }).format(created);
  const year = format(locale, timeZone, { year: 'numeric' });
  const sameYear = year.format(created) === year.format(nowMs);
  return format(locale, timeZone, {
    ...(sameYear ? {} : { year: 'numeric' }),
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(created);
}
