/**
 * Smart tables of the local server: the table calls of the API text (getBookTables, getTableRows,
 * getTableValues, createOrUpdateTableRow, deleteTableRow) and fileUpload into a cell. The data lives
 * in `ServerState.tables`; the calls are added to the API's handlers by `server/api.ts`.
 *
 * The text shows no field definition, so a field here is `{id, name, type, format?, readOnly}`:
 * `type` one of `FIELD_TYPES`, `format` the expected date format (`YYYY-MM-DD` when absent), and
 * `readOnly` true when the caller may not write it (server-computed or locked for that user).
 */

import { createHash } from 'node:crypto';
import { MissingParameter, optionalInt, required, type Call, type Handler } from './api';
import { StateError, type Book, type ServerState, type StoredFile } from './state';
import { uploadView } from './views';

export const FIELD_TYPES = ['text', 'richtext', 'url', 'email', 'phone', 'number', 'date', 'checkbox', 'file'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface TableField {
  id: number;
  name: string;
  type: FieldType;
  /** For dates: `YYYY-MM-DD`, `DD/MM/YYYY` or `MM/DD/YYYY`. */
  format?: string;
  /** Nobody but the server writes it. */
  readOnly: boolean;
}

export interface TableRow {
  id: number;
  /** The `tmp` id that created it. */
  tmpId: string;
  u_c: string;
  /** Seconds since the epoch. */
  created: number;
  lastModified: number;
  /** By field id; file fields keep their files in `files`. */
  values: Map<number, string>;
  files: Map<number, StoredFile[]>;
  del: boolean;
}

export interface Table {
  id: number;
  b_o: string;
  b_c: string;
  name: string;
  order: number;
  viewId: number;
  fields: TableField[];
  /** Oldest first, deleted ones included (with `del`). */
  rows: TableRow[];
  lastModified: number;
}

/** The tables of every book, and the counters of their ids. */
export interface TableData {
  byId: Map<number, Table>;
  nextTableId: number;
  nextFieldId: number;
  nextRowId: number;
}

export interface NewTable {
  b_o: string;
  b_c: string;
  name: string;
  fields: { name: string; type: FieldType; format?: string; readOnly?: boolean }[];
}

/** Adds a table to a book (seeding, control); returns it. */
export function addTable(state: ServerState, spec: NewTable): Table {
  state.getBook(spec.b_o, spec.b_c);
  const data = state.tables;
  const table: Table = {
    id: data.nextTableId++,
    b_o: spec.b_o,
    b_c: spec.b_c,
    name: spec.name,
    order: tablesOf(state, spec.b_o, spec.b_c).length,
    viewId: data.nextTableId++,
    fields: spec.fields.map((f) => ({ id: data.nextFieldId++, name: f.name, type: f.type, format: f.format, readOnly: f.readOnly ?? false })),
    rows: [],
    lastModified: Math.floor(state.now() / 1000),
  };
  data.byId.set(table.id, table);
  return table;
}

export function tablesOf(state: ServerState, b_o: string, b_c: string): Table[] {
  return [...state.tables.byId.values()].filter((t) => t.b_o === b_o && t.b_c === b_c);
}

// ---- rights ----

function readableTable(state: ServerState, u_c: string, catId: number): { table: Table; book: Book } {
  const table = state.tables.byId.get(catId);
  if (!table) throw new StateError('unknownTable');
  const book = state.getBook(table.b_o, table.b_c);
  state.memberOf(book, u_c);
  return { table, book };
}

/** Writing needs an accepted membership with right 2 or 3, as posting does. */
function writableTable(state: ServerState, u_c: string, catId: number): Table {
  const { table, book } = readableTable(state, u_c, catId);
  const member = state.memberOf(book, u_c);
  if (member.invite !== 'accepted' || member.right < 2) throw new StateError('noRights');
  return table;
}

function rowById(state: ServerState, rowId: number): { table: Table; row: TableRow } {
  for (const table of state.tables.byId.values()) {
    const row = table.rows.find((r) => r.id === rowId && !r.del);
    if (row) return { table, row };
  }
  throw new StateError('unknownRow');
}

// ---- values ----

/** A refused value: the `invalidValue` nok, with what was wrong in its message. */
function invalidValue(detail: string): StateError {
  return new StateError('invalidValue', detail);
}

const MAX_TEXT = 100_000;

const DATE_PARTS: Record<string, RegExp> = {
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})$/,
  'DD/MM/YYYY': /^(?<d>\d{2})\/(?<m>\d{2})\/(?<y>\d{4})$/,
  'MM/DD/YYYY': /^(?<m>\d{2})\/(?<d>\d{2})\/(?<y>\d{4})$/,
};

function validDate(value: string, format: string): boolean {
  const parts = (DATE_PARTS[format] ?? DATE_PARTS['YYYY-MM-DD'])?.exec(value)?.groups;
  if (!parts) return false;
  const [y, m, d] = [Number(parts.y), Number(parts.m), Number(parts.d)];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The value as stored, or the refusal. An empty value clears the cell. */
function checkedValue(field: TableField, raw: unknown): string {
  if (field.readOnly) throw new StateError('readOnlyField');
  if (field.type === 'file') throw invalidValue(`"${field.name}" takes files through fileUpload`);
  if (raw === null || raw === undefined) return '';
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    throw invalidValue(`"${field.name}" takes text`);
  }
  const value = String(raw);
  if (value.length > MAX_TEXT) throw invalidValue(`"${field.name}" is longer than ${MAX_TEXT} characters`);
  if (value === '') return '';
  switch (field.type) {
    case 'url':
      if (!/^https?:\/\/[^\s]+$/i.test(value)) throw invalidValue(`"${field.name}" takes a web address`);
      break;
    case 'date': {
      const format = field.format ?? 'YYYY-MM-DD';
      if (!validDate(value, format)) throw invalidValue(`"${field.name}" takes a date as ${format}`);
      break;
    }
    case 'number':
      if (!Number.isFinite(Number(value))) throw invalidValue(`"${field.name}" takes a number`);
      break;
    case 'email':
      if (!/^[^\s@]+@[^\s@]+$/.test(value)) throw invalidValue(`"${field.name}" takes an email address`);
      break;
    case 'checkbox':
      if (!['0', '1', 'true', 'false'].includes(value)) throw invalidValue(`"${field.name}" takes true or false`);
      break;
    default:
  }
  return value;
}

/** `fieldValues` as a map of field id to stored value, all checked before anything is written. */
function parseFieldValues(table: Table | undefined, state: ServerState, raw: string | undefined): { table: Table | undefined; values: Map<number, string> } {
  const values = new Map<number, string>();
  if (raw === undefined || raw === '') return { table, values };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new StateError('invalidFieldValues');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new StateError('invalidFieldValues');
  let owner = table;
  for (const [key, value] of Object.entries(parsed)) {
    const id = Number(key);
    const found = Number.isInteger(id) ? fieldById(state, id) : undefined;
    if (!found) throw new StateError('unknownField');
    owner ??= found.table;
    if (found.table !== owner) throw new StateError('unknownField');
    values.set(id, checkedValue(found.field, value));
  }
  return { table: owner, values };
}

function fieldById(state: ServerState, id: number): { table: Table; field: TableField } | undefined {
  for (const table of state.tables.byId.values()) {
    const field = table.fields.find((f) => f.id === id);
    if (field) return { table, field };
  }
  return undefined;
}

// ---- views ----

function fileCellView(f: StoredFile) {
  return { id: f.id, uuid: f.uuid, internName: f.internName, originName: f.originName, ext: f.ext, type: f.type, size: f.bytes.length };
}

function fieldView(field: TableField) {
  return {
    id: field.id,
    name: field.name,
    type: field.type,
    ...(field.format ? { format: field.format } : {}),
    readOnly: field.readOnly,
  };
}

function cellValue(row: TableRow, field: TableField): unknown {
  if (field.type === 'file') return (row.files.get(field.id) ?? []).map(fileCellView);
  return row.values.get(field.id) ?? '';
}

function categoryView(table: Table, includeFields: boolean) {
  return {
    id: table.id,
    name: table.name,
    description: null,
    order: table.order,
    locked: false,
    lastModified: new Date(table.lastModified * 1000).toISOString().replace('T', ' ').slice(0, 19),
    views: [{ id: table.viewId, name: 'Default view', description: null, presentation: 1, locked: false, filterGroup: null }],
    selectedViewId: table.viewId,
    fields: includeFields ? table.fields.map(fieldView) : null,
  };
}

function flag(params: Record<string, string>, name: string): boolean {
  const value = params[name];
  return value === 'true' || value === '1';
}

function liveRows(table: Table): TableRow[] {
  return table.rows.filter((r) => !r.del);
}

// ---- calls ----

function user(call: Call) {
  const { state, params } = call;
  return state.checkSession(required(params, 'o_u'), required(params, 'u_c'), required(params, 'sesskey'));
}

function catIdOf(call: Call): number {
  const id = Number(required(call.params, 'catId'));
  if (!Number.isInteger(id)) throw new StateError('unknownTable');
  return id;
}

function rowIdList(raw: string | undefined): number[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = raw.split(',');
  }
  if (!Array.isArray(parsed)) throw new MissingParameter('rowIds (a JSON array)');
  return parsed.map(Number).filter(Number.isInteger);
}

export const tableHandlers: Record<string, Handler> = {
  getBookTables: (call) => {
    const { state, params } = call;
    const u = user(call);
    const book = state.getBook(required(params, 'b_o'), required(params, 'b_c'));
    const member = state.memberOf(book, u.u_c);
    const tables = tablesOf(state, book.b_o, book.b_c);
    const includeFields = flag(params, 'includeFields');
    const writes = member.invite === 'accepted' && member.right >= 2;
    return {
      sstamp: state.stamp,
      bookTables: {
        id: book.sbid,
        name: `${book.b_c}.${book.b_o}`,
        description: null,
        creator: book.b_o,
        public: false,
        lastModified: Math.max(0, ...tables.map((t) => t.lastModified)),
        rights: { modify: writes, select: 1 },
        right: member.right,
        tabs: tables.map((t) => ({ id: t.id + 100000, category_id: t.id, view_id: null, order: t.order, hidden: false })),
        categories: tables.map((t) => categoryView(t, includeFields)),
        lastTabId: tables[0] ? tables[0].id + 100000 : null,
      },
    };
  },

  getTableRows: (call) => {
    const { state, params } = call;
    const u = user(call);
    const { table } = readableTable(state, u.u_c, catIdOf(call));
    const ids = rowIdList(params.rowIds);
    const pageSize = Math.max(1, optionalInt(params, 'pageSize') ?? 100);
    const page = Math.max(1, optionalInt(params, 'page') ?? 1);
    const all = liveRows(table).filter((r) => ids === undefined || ids.includes(r.id));
    const rows = all.slice((page - 1) * pageSize, page * pageSize).map((row) => ({
      id: row.id,
      created: row.created,
      lastModified: row.lastModified,
      fieldValues: Object.fromEntries(table.fields.map((f) => [String(f.id), cellValue(row, f)])),
    }));
    return {
      sstamp: state.stamp,
      nbRows: all.length,
      rows,
      ...(flag(params, 'getTableInfo') ? { table: categoryView(table, true) } : {}),
    };
  },

  getTableValues: (call) => {
    const { state, params } = call;
    const u = user(call);
    const { table } = readableTable(state, u.u_c, catIdOf(call));
    const offset = Math.max(0, optionalInt(params, 'offset') ?? 0);
    const maxRows = Math.max(1, optionalInt(params, 'maxRows') ?? 100);
    const all = liveRows(table);
    const rows = all.slice(offset, offset + maxRows);
    const format = params.format || 'columns';
    const common = { id: table.id, name: table.name, nbRows: all.length, offset };
    if (format === 'rows') {
      const values = {
        ...common,
        fields: table.fields.map(fieldView),
        rows: rows.map((row) => ({
          id: row.id,
          fields: Object.fromEntries(table.fields.map((f) => [f.name, { value: cellValue(row, f) }])),
        })),
      };
      return { sstamp: state.stamp, values };
    }
    if (format === 'diff_ready_rows') {
      const values = {
        ...common,
        rows: Object.fromEntries(
          rows.map((row) => [String(row.id), Object.fromEntries(table.fields.map((f) => [String(f.id), cellValue(row, f)]))]),
        ),
      };
      return { sstamp: state.stamp, values };
    }
    if (format !== 'columns') throw new MissingParameter('format (columns, rows or diff_ready_rows)');
    const values = {
      ...common,
      fields: table.fields.map((f) => ({ ...fieldView(f), values: rows.map((row) => ({ id: row.id, value: cellValue(row, f) })) })),
    };
    return { sstamp: state.stamp, values };
  },

  createOrUpdateTableRow: (call) => {
    const { state, params } = call;
    const u = user(call);
    const rowId = required(params, 'rowId');
    const now = Math.floor(state.now() / 1000);
    if (rowId.startsWith('tmp')) {
      const given = params.catId ? state.tables.byId.get(Number(params.catId)) : undefined;
      if (params.catId && !given) throw new StateError('unknownTable');
      if (!params.catId && !params.fieldValues) throw new MissingParameter('catId or fieldValues');
      const { table: found, values } = parseFieldValues(given, state, params.fieldValues);
      if (!found) throw new MissingParameter('catId');
      const table = writableTable(state, u.u_c, found.id);
      if (state.absorbRepeatedTmpId) {
        const same = table.rows.find((r) => r.tmpId === rowId && !r.del);
        if (same) return { sstamp: state.stamp, newRows: [{ id: same.id, tmpId: rowId, info: { order: table.rows.indexOf(same) } }], rows: [] };
      }
      const row: TableRow = {
        id: state.tables.nextRowId++, tmpId: rowId, u_c: u.u_c, created: now, lastModified: now, values, files: new Map(), del: false,
      };
      table.rows.push(row);
      table.lastModified = now;
      state.bump();
      return { sstamp: state.stamp, newRows: [{ id: row.id, tmpId: rowId, info: { order: table.rows.length - 1 } }], rows: [] };
    }
    const id = Number(rowId);
    if (!Number.isInteger(id)) throw new StateError('unknownRow');
    const { table, row } = rowById(state, id);
    writableTable(state, u.u_c, table.id);
    const { values } = parseFieldValues(table, state, params.fieldValues);
    for (const [fieldId, value] of values) row.values.set(fieldId, value);
    row.lastModified = now;
    table.lastModified = now;
    state.bump();
    return { sstamp: state.stamp, newRows: [], rows: [{ id: row.id, fieldValues: Object.fromEntries(values) }] };
  },

  deleteTableRow: (call) => {
    const { state, params } = call;
    const u = user(call);
    const id = Number(required(params, 'rowId'));
    if (!Number.isInteger(id)) throw new StateError('unknownRow');
    const { table, row } = rowById(state, id);
    writableTable(state, u.u_c, table.id);
    const now = Math.floor(state.now() / 1000);
    row.del = true;
    table.lastModified = now;
    state.bump();
    return { sstamp: state.stamp, formLastModified: now, deletedRow: { id: String(row.id) } };
  },
};

/** fileUpload with `rowId` and `fieldId`: the file goes into that cell of a file field. */
export function uploadIntoCell(call: Call): Record<string, unknown> {
  const { state, params, file } = call;
  const u = user(call);
  const rowId = Number(required(params, 'rowId'));
  const fieldId = Number(required(params, 'fieldId'));
  if (!Number.isInteger(rowId)) throw new StateError('unknownRow');
  const { table, row } = rowById(state, rowId);
  writableTable(state, u.u_c, table.id);
  const field = table.fields.find((f) => f.id === fieldId);
  if (!field) throw new StateError('unknownField');
  if (field.readOnly) throw new StateError('readOnlyField');
  if (field.type !== 'file') throw invalidValue(`"${field.name}" does not take files`);
  if (!file) throw new StateError('missingFile');
  if (file.tooLarge) throw new StateError('fileTooLarge');
  const cell = row.files.get(fieldId) ?? [];
  const repeated = params.uuid && state.absorbRepeatedUuid ? cell.find((f) => f.uuid === params.uuid) : undefined;
  const stored = repeated ?? state.storeFile(table.b_o, table.b_c, 0, cell.length, {
    uuid: params.uuid,
    originName: file.filename || params.qqfilename || 'file',
    contentType: file.contentType,
    bytes: file.bytes,
  });
  if (!repeated) {
    row.files.set(fieldId, [...cell, stored]);
    row.lastModified = Math.floor(state.now() / 1000);
    state.bump();
  }
  return { ...uploadView(stored, state.stamp), rowId: String(row.id), fieldId: String(field.id) };
}

/** A row as the control endpoints show it: values by field name, files with their digest. */
export function rowDetail(table: Table, row: TableRow) {
  return {
    id: row.id,
    tmpId: row.tmpId,
    u_c: row.u_c,
    values: Object.fromEntries(table.fields.filter((f) => f.type !== 'file').map((f) => [f.name, row.values.get(f.id) ?? ''])),
    files: Object.fromEntries(
      table.fields
        .filter((f) => f.type === 'file')
        .map((f) => [
          f.name,
          (row.files.get(f.id) ?? []).map((file) => ({
            originName: file.originName,
            contentType: file.contentType,
            size: file.bytes.length,
            sha256: createHash('sha256').update(file.bytes).digest('hex'),
          })),
        ]),
    ),
  };
}

/** Live rows of a table, oldest first, for tests. */
export function tableRows(state: ServerState, catId: number) {
  const table = state.tables.byId.get(catId);
  if (!table) throw new StateError('unknownTable');
  return liveRows(table).map((row) => rowDetail(table, row));
}

/** The tables of a book by name, for tests: `{name, catId, fields: [{id, name, type}]}`. */
export function tableList(state: ServerState, b_o: string, b_c: string) {
  return tablesOf(state, b_o, b_c).map((t) => ({ catId: t.id, name: t.name, fields: t.fields.map(fieldView) }));
}

/** The demo's tables, in demo's "Marketing plan 2027": names in both languages, one field demo cannot write. */
export const DEMO_TABLES = { b_o: 'demo', b_c: 'marketing-2027' } as const;

export function seedDemoTables(state: ServerState): void {
  const { b_o, b_c } = DEMO_TABLES;
  const reading = addTable(state, {
    b_o, b_c, name: 'Reading list',
    fields: [
      { name: 'Title', type: 'text' },
      { name: 'Link', type: 'url' },
      { name: 'Notes', type: 'richtext' },
      { name: 'Added', type: 'date', format: 'DD/MM/YYYY' },
      { name: 'Picture', type: 'file' },
      { name: 'Reviewed by', type: 'text', readOnly: true },
      { name: 'Rating', type: 'number' },
    ],
  });
  addTable(state, {
    b_o, b_c, name: 'Contacts',
    fields: [
      { name: 'Nom', type: 'text' },
      { name: 'Société', type: 'text' },
      { name: 'Site web', type: 'text' },
      { name: 'Commentaire', type: 'text' },
      { name: 'Ajouté le', type: 'date' },
      { name: 'Pièce jointe', type: 'file' },
      { name: 'Courriel', type: 'email' },
    ],
  });
  const now = Math.floor(state.now() / 1000);
  const [title, link, notes, added] = reading.fields;
  if (!title || !link || !notes || !added) return;
  reading.rows.push({
    id: state.tables.nextRowId++, tmpId: 'tmp-seed', u_c: 'demo', created: now, lastModified: now, del: false, files: new Map(),
    values: new Map([
      [title.id, 'Positioning, the battle for your mind'],
      [link.id, 'https://example.com/positioning'],
      [notes.id, 'Owning a word in the prospect’s mind.'],
      [added.id, '02/01/2027'],
    ]),
  });
}

// ---- control ----

export interface TableControl {
  /** Adds a table to a book; returns its id. */
  addTable(spec: NewTable): number;
  /** A book's tables with their fields. */
  tables(b_o: string, b_c: string): ReturnType<typeof tableList>;
  /** The live rows of a table, oldest first, files with their sha256. */
  tableRows(catId: number): ReturnType<typeof tableRows>;
  /** Whether a repeated `tmp` row id returns the row it made, or makes another. */
  setTmpAbsorbing(on: boolean): void;
  tmpAbsorbing(): boolean;
}

export function createTableControl(ctx: { state: ServerState }): TableControl {
  return {
    addTable: (spec) => addTable(ctx.state, spec).id,
    tables: (b_o, b_c) => tableList(ctx.state, b_o, b_c),
    tableRows: (catId) => tableRows(ctx.state, catId),
    setTmpAbsorbing: (on) => {
      ctx.state.absorbRepeatedTmpId = on;
    },
    tmpAbsorbing: () => ctx.state.absorbRepeatedTmpId,
  };
}

function validNewTable(body: Record<string, unknown>): NewTable {
  const { b_o, b_c, name, fields } = body;
  const fieldOk = (f: unknown): boolean =>
    typeof f === 'object' && f !== null && typeof (f as { name?: unknown }).name === 'string' &&
    (FIELD_TYPES as readonly unknown[]).includes((f as { type?: unknown }).type);
  if (typeof b_o !== 'string' || typeof b_c !== 'string' || typeof name !== 'string' || !Array.isArray(fields) || !fields.every(fieldOk)) {
    throw new Error(`add-table: expected {b_o, b_c, name, fields: [{name, type: ${FIELD_TYPES.join('|')}, format?, readOnly?}]}`);
  }
  return { b_o, b_c, name, fields: fields as NewTable['fields'] };
}

/** The `/__control/` endpoints of the tables; undefined for any other route. */
export function tableControlReply(route: string, body: Record<string, unknown>, query: URLSearchParams, control: TableControl): unknown {
  const param = (key: string): string => {
    const v = body[key] ?? query.get(key);
    if ((typeof v !== 'string' && typeof v !== 'number') || v === '') throw new Error(`missing ${key}`);
    return String(v);
  };
  switch (route) {
    case 'POST add-table':
      return { catId: control.addTable(validNewTable(body)) };
    case 'GET tables':
      return { tables: control.tables(param('b_o'), param('b_c')) };
    case 'GET table-rows':
      return { rows: control.tableRows(Number(param('catId'))) };
    case 'GET tmp-absorbing':
      return { on: control.tmpAbsorbing() };
    case 'POST tmp-absorbing':
      if (typeof body.on !== 'boolean') throw new Error('on: expected true or false');
      control.setTmpAbsorbing(body.on);
      return { on: control.tmpAbsorbing() };
    default:
      return undefined;
  }
}
