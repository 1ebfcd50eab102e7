/**
 * "Save to a table…" besides the field mapping (table-fill.ts): what the window offers and keeps.
 * Pure.
 */
import { bookKey, isWritable, type BookSummary } from './books';
import type { Capture } from './capture';
import type { ClipValues, FieldSpec, Role } from './table-fill';

/** A book's table as the window shows it. */
export interface TableSpec {
  id: number;
  name: string;
  fields: FieldSpec[];
}

/** A book's tables as fetched, and whether the user may write rows in them. */
export interface BookTables {
  canWrite: boolean;
  tables: TableSpec[];
}

/** The last book and table saved into, preselected next time. */
export interface LastTable {
  book: string;
  catId: number;
}

/** What the window holds before Save, kept if it closes: the choice and the edited values. */
export interface TableDraft {
  book: string;
  catId: number | null;
  /** Edited values by field id; fields not here keep their prefilled value. */
  values: Record<string, string>;
  /** The file field the image goes to; undefined: the mapping's. */
  imageFieldId?: number | null;
  savedAt: number;
}

/** Drafts older than this are forgotten. */
export const DRAFT_MAX_AGE_MS = 24 * 3600 * 1000;

/** What the clip brings to each role. The link's address wins over the page's. */
export function clipValuesOf(capture: Capture, now: Date): ClipValues {
  return {
    title: capture.pageTitle,
    url: capture.linkUrl ?? capture.pageUrl,
    selection: capture.selectionText ?? '',
    today: { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() },
    hasImage: capture.kind === 'image',
  };
}

/** The books one may write to, the last saved into first, then the recently used, then by title. */
export function tableBooks(books: readonly BookSummary[], recent: readonly string[], last: LastTable | null): BookSummary[] {
  const order = [...(last ? [last.book] : []), ...recent];
  const rank = (book: BookSummary) => {
    const i = order.indexOf(bookKey(book));
    return i < 0 ? order.length : i;
  };
  return books.filter(isWritable).sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title));
}

/** The same clip again (same page, link, selection or image) finds the draft it left. */
export function draftKey(capture: Capture): string {
  return JSON.stringify([capture.kind, capture.pageUrl, capture.linkUrl ?? '', capture.selectionText ?? '', capture.srcUrl ?? '']);
}

/** Keeps a draft and drops the stale ones. */
export function keepDraft(drafts: Readonly<Record<string, TableDraft>>, key: string, draft: TableDraft | null, now: number): Record<string, TableDraft> {
  const kept = Object.fromEntries(Object.entries(drafts).filter(([k, d]) => k !== key && now - d.savedAt < DRAFT_MAX_AGE_MS));
  return draft ? { ...kept, [key]: draft } : kept;
}

/** Choices are kept per table of a book of an account. */
export function tableChoicesKey(account: { server: string; o_u: string }, book: string, catId: number): string {
  return `${account.server}|${account.o_u}|${book}|${catId}`;
}

export type TableChoicesByTable = Record<string, Record<string, Role | null>>;

/**
 * The newest row holding exactly the values saved (every field given; a file field's list is not
 * compared), or null.
 */
export function savedRowIn(rows: readonly TableRowSeen[], values: Readonly<Record<string, string>>): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!;
    if (holdsValues(row, values)) return row.id;
  }
  return null;
}

/** A row as getTableValues gives it. */
export interface TableRowSeen {
  id: number;
  cells: Readonly<Record<string, unknown>>;
}

/** Whether the row holds exactly the values saved (every field given; a file field's list is not compared). */
export function holdsValues(row: TableRowSeen, values: Readonly<Record<string, string>>): boolean {
  return Object.entries(values).every(([fieldId, value]) => Object.hasOwn(row.cells, fieldId) && row.cells[fieldId] === value);
}
