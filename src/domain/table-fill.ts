/**
 * "Save to a table": what goes into which field of a smart table's new row. Pure.
 *
 * A field's role comes, in this order, from what the user chose for that table before (remembered
 * per table), from the field's type (url, date, file), else from its name, ignoring case and
 * accents, in English and French. Each role fills at most one field; a field the user may not
 * write gets nothing.
 */

/** What a clip can put in a row. */
export type Role = 'title' | 'url' | 'selection' | 'date' | 'image';
const ROLES: readonly Role[] = ['title', 'url', 'selection', 'date', 'image'];

/** A table field as the API describes it (`type`, `format` empty when the server says nothing). */
export interface FieldSpec {
  id: number;
  name: string;
  type: string;
  format: string;
  readOnly: boolean;
}

/** What was clipped: the texts each role stands for, and whether there is an image to upload. */
export interface ClipValues {
  title: string;
  url: string;
  selection: string;
  /** Today, in the user's calendar. */
  today: { year: number; month: number; day: number };
  hasImage: boolean;
}

/**
 * What the user chose for a table, by field id: the role it takes, or null for "leave it empty".
 * Wins over types and names.
 */
export type TableChoices = Readonly<Record<string, Role | null>>;

export interface FieldFill {
  field: FieldSpec;
  role: Role | null;
  /** The prefilled text; empty for the image (it goes as a file) and for fields left empty. */
  value: string;
  writable: boolean;
}

const TEXT_TYPES = new Set(['', 'text', 'richtext', 'textarea', 'longtext', 'string']);
const BY_TYPE: Record<string, Role> = { url: 'url', link_url: 'url', date: 'date', datetime: 'date', file: 'image', files: 'image', image: 'image' };

/** The name vocabulary, English and French, written without accents. */
const VOCABULARY: Readonly<Record<Role, readonly string[]>> = {
  title: ['title', 'name', 'nom', 'titre', 'subject', 'sujet'],
  url: ['url', 'link', 'lien', 'website', 'site', 'address', 'adresse', 'source'],
  selection: ['notes', 'note', 'description', 'excerpt', 'extrait', 'quote', 'citation', 'comment', 'commentaire'],
  date: ['date', 'added', 'ajoute', 'saved', 'enregistre', 'created', 'cree'],
  image: ['image', 'picture', 'photo', 'screenshot', 'capture', 'file', 'fichier', 'attachment', 'piece jointe'],
};

/** Lower case, accents off, full-width letters plain, words split on anything but letters and digits. */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function containsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((w, j) => words[i + j] === w)) return true;
  }
  return false;
}

const PHRASES = ROLES.map((role) => ({ role, phrases: VOCABULARY[role].map((p) => p.split(' ')) }));

/** The roles a field's name speaks of, with whether the name is nothing but that word. */
function rolesByName(name: string): { role: Role; exact: boolean }[] {
  const words = nameWords(name);
  return PHRASES.flatMap(({ role, phrases }) => {
    const matched = phrases.filter((p) => containsPhrase(words, p));
    return matched.length ? [{ role, exact: matched.some((p) => p.length === words.length) }] : [];
  });
}

function isWritable(field: FieldSpec): boolean {
  return !field.readOnly;
}

/** A field that takes files, not text. */
export function isFileField(field: FieldSpec): boolean {
  return BY_TYPE[field.type.toLowerCase()] === 'image';
}

/** Whether a field can hold what a role brings: the image only goes into a file field (or one of no type). */
function canHold(field: FieldSpec, role: Role): boolean {
  const type = field.type.toLowerCase();
  if (role === 'image') return type === '' || BY_TYPE[type] === 'image';
  const typed = BY_TYPE[type];
  if (typed) return typed === role;
  return TEXT_TYPES.has(type);
}

/** The role of each field, by id; fields without one are absent. */
export function fieldRoles(fields: readonly FieldSpec[], choices: TableChoices = {}): Map<number, Role> {
  const roles = new Map<number, Role>();
  const taken = new Set<Role>();
  const decided = new Set<number>();
  const give = (field: FieldSpec, role: Role) => {
    roles.set(field.id, role);
    taken.add(role);
    decided.add(field.id);
  };
  const writable = fields.filter(isWritable);
  // 1. What the user chose before.
  for (const field of writable) {
    const key = String(field.id);
    if (!Object.hasOwn(choices, key)) continue;
    const role = choices[key];
    decided.add(field.id);
    if (role && ROLES.includes(role) && !taken.has(role) && canHold(field, role)) give(field, role);
  }
  // 2. The field's type.
  for (const field of writable) {
    const role = BY_TYPE[field.type.toLowerCase()];
    if (role && !decided.has(field.id) && !taken.has(role)) give(field, role);
  }
  // 3. The field's name: a name that is only the word first, then a name containing it.
  for (const exactOnly of [true, false]) {
    for (const field of writable) {
      if (decided.has(field.id)) continue;
      const match = rolesByName(field.name).find(({ role, exact }) => (exact || !exactOnly) && !taken.has(role) && canHold(field, role));
      if (match) give(field, match.role);
    }
  }
  return roles;
}

/** Today in a field's date format (`YYYY`, `YY`, `MM`, `M`, `DD`, `D`); ISO when it says nothing usable. */
export function formatDate(today: ClipValues['today'], format: string): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const parts: Record<string, string> = {
    YYYY: pad(today.year, 4),
    YY: pad(today.year % 100, 2),
    MM: pad(today.month, 2),
    M: String(today.month),
    DD: pad(today.day, 2),
    D: String(today.day),
  };
  const upper = format.toUpperCase();
  if (!/Y/.test(upper) || !/M/.test(upper) || !/D/.test(upper)) return `${parts.YYYY}-${parts.MM}-${parts.DD}`;
  return upper.replace(/YYYY|YY|MM|M|DD|D/g, (token) => parts[token] ?? token);
}

function roleValue(role: Role, field: FieldSpec, clip: ClipValues): string {
  switch (role) {
    case 'title':
      return clip.title.trim();
    case 'url':
      return clip.url;
    case 'selection':
      return clip.selection.trim();
    case 'date':
      return formatDate(clip.today, field.format);
    case 'image':
      return '';
  }
}

/** Every field of the table, in its order, with its role and prefilled value. */
export function fillTable(fields: readonly FieldSpec[], clip: ClipValues, choices: TableChoices = {}): FieldFill[] {
  const roles = fieldRoles(fields, choices);
  return fields.map((field) => {
    const role = roles.get(field.id) ?? null;
    const usable = role !== null && (role !== 'image' || clip.hasImage);
    return { field, role: usable ? role : null, value: usable ? roleValue(role, field, clip) : '', writable: isWritable(field) };
  });
}

/**
 * What to remember after the user saved: a field whose final text is what a role brings takes that
 * role; a prefilled field the user emptied takes none; the file field the image went to takes the
 * image. Other edits (their own words) change nothing. A role moved to a field leaves the field
 * that had it.
 */
export function learnChoices(
  fills: readonly FieldFill[],
  clip: ClipValues,
  saved: { values: Readonly<Record<string, string>>; imageFieldId: number | null },
  before: TableChoices = {},
): Record<string, Role | null> {
  const choices: Record<string, Role | null> = {};
  for (const [key, role] of Object.entries(before)) choices[key] = role;
  const assign = (fieldId: number, role: Role | null) => {
    if (role) for (const [key, other] of Object.entries(choices)) if (other === role) choices[key] = null;
    choices[String(fieldId)] = role;
  };
  for (const fill of fills) {
    if (!fill.writable) continue;
    const { field } = fill;
    if (fill.role === 'image' || isFileField(field)) {
      const gotImage = saved.imageFieldId === field.id;
      if (gotImage && fill.role !== 'image') assign(field.id, 'image');
      else if (!gotImage && fill.role === 'image' && clip.hasImage) assign(field.id, null);
      continue;
    }
    const key = String(field.id);
    const final = (Object.hasOwn(saved.values, key) ? saved.values[key] ?? '' : fill.value).trim();
    if (final === fill.value.trim()) continue;
    const candidates = ROLES.filter((r) => r !== 'image' && canHold(field, r) && final !== '' && roleValue(r, field, clip) === final);
    if (candidates.length) assign(field.id, candidates.includes(fill.role as Role) ? fill.role : candidates[0]!);
    else if (final === '' && fill.role) assign(field.id, null);
  }
  return choices;
}

/** The values to write, by field id: writable text fields with something in them. */
export function rowValues(fills: readonly FieldFill[], edited: Readonly<Record<string, string>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const fill of fills) {
    if (!fill.writable || isFileField(fill.field) || fill.role === 'image') continue;
    const key = String(fill.field.id);
    const value = Object.hasOwn(edited, key) ? edited[key] ?? '' : fill.value;
    if (value !== '') values[key] = value;
  }
  return values;
}
