/**
 * The smart tables of the local server over real HTTP, with plain fetch: the table calls, typed
 * values, rights, repeated `tmp` ids with the switch on and off, and files into cells.
 */

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { solidPng } from '../../server/demo';
import { SERVER_ERRORS } from '../../server/errors';
import { startServer, type LocalServer } from '../../server/index';
import { DEMO_TABLES } from '../../server/tables';

// Replies are free-form JSON; the assertions say what is expected of them.
type Json = any;
type Session = { o_u: string; u_c: string; sesskey: string };

const MAX_UPLOAD = 64 * 1024;
let server: LocalServer;
let apiUrl: string;

beforeAll(async () => {
  server = await startServer({ port: 0, maxUploadBytes: MAX_UPLOAD });
  apiUrl = `${server.url}/live/api.php`;
});
afterAll(() => server.close());
beforeEach(() => server.control.reset());

async function call(req: string, params: Record<string, string | number> = {}): Promise<Json> {
  const body = new URLSearchParams({ version: '1.47', req });
  for (const [k, v] of Object.entries(params)) body.set(k, String(v));
  const res = await fetch(apiUrl, { method: 'POST', body });
  expect(res.status).toBe(200);
  return res.json();
}

async function login(user = 'demo', pwd = user === 'demo' ? 'demo' : `${user}-pw`): Promise<Session> {
  const { appkey } = await call('createAppkey', { appname: 'tests' });
  const { oauthkey, o_u } = await call('createOauthkey', { login: user, pwd, appkey });
  const { sesskey } = await call('createSesskey', { o_u, u_c: o_u, oauthkey });
  return { o_u, u_c: o_u, sesskey };
}

function as(s: Session) {
  return (req: string, params: Record<string, string | number> = {}) =>
    call(req, { o_u: s.o_u, u_c: s.u_c, sesskey: s.sesskey, ...params });
}

async function upload(s: Session, fields: Record<string, string>, file?: Blob, name = 'cover.png'): Promise<Json> {
  const form = new FormData();
  for (const [k, v] of Object.entries({ version: '1.47', req: 'fileUpload', o_u: s.o_u, u_c: s.u_c, sesskey: s.sesskey, ...fields })) form.set(k, v);
  if (file) form.set('qqfile', file, name);
  return (await fetch(apiUrl, { method: 'POST', body: form })).json();
}

function expectNok(reply: Json, nok: { code: string; msg: string }) {
  expect(reply).toMatchObject({ status: 'nok', errorCode: nok.code });
  expect(reply.errorMsg).toMatch(new RegExp(`^${nok.msg}`));
}

function control(path: string, body?: unknown): Promise<Json> {
  return fetch(`${server.url}/__control/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
}

/** The demo's "Reading list" and "Contacts", with field ids by name. */
function demoTables() {
  const tables = server.control.tables(DEMO_TABLES.b_o, DEMO_TABLES.b_c);
  const byName = (name: string) => {
    const table = tables.find((t) => t.name === name);
    if (!table) throw new Error(`no table ${name}`);
    return { catId: table.catId, field: Object.fromEntries(table.fields.map((f) => [f.name, f.id])) as Record<string, number> };
  };
  return { reading: byName('Reading list'), contacts: byName('Contacts') };
}

describe('getBookTables', () => {
  it('describes the tables, with fields only when asked', async () => {
    const api = as(await login());
    const bare = await api('getBookTables', DEMO_TABLES);
    expect(bare.status).toBe('ok');
    expect(bare.bookTables.categories.map((c: Json) => c.name)).toEqual(['Reading list', 'Contacts']);
    expect(bare.bookTables.categories[0].fields).toBeNull();
    expect(bare.bookTables.rights).toEqual({ modify: true, select: 1 });

    const full = await api('getBookTables', { ...DEMO_TABLES, includeFields: 'true' });
    const [reading] = full.bookTables.categories;
    expect(reading.fields.map((f: Json) => [f.name, f.type])).toEqual([
      ['Title', 'text'], ['Link', 'url'], ['Notes', 'richtext'], ['Added', 'date'], ['Picture', 'file'], ['Reviewed by', 'text'], ['Rating', 'number'],
    ]);
    expect(reading.fields.find((f: Json) => f.name === 'Added').format).toBe('DD/MM/YYYY');
    expect(reading.fields.find((f: Json) => f.name === 'Reviewed by').readOnly).toBe(true);
    expect(reading.fields.find((f: Json) => f.name === 'Title').readOnly).toBe(false);
  });

  it('has no tables for a book without them, and refuses non-members', async () => {
    const demo = as(await login());
    const none = await demo('getBookTables', { b_o: 'alice', b_c: 'support-inbox', includeFields: 1 });
    expect(none.bookTables.categories).toEqual([]);
    const carla = as(await login('carla'));
    expectNok(await carla('getBookTables', { b_o: 'demo', b_c: 'trip-japan' }), SERVER_ERRORS.noRights);
    expectNok(await demo('getBookTables', { b_o: 'demo', b_c: 'nope' }), SERVER_ERRORS.unknownBook);
    expectNok(await demo('getBookTables', { b_o: 'demo' }), SERVER_ERRORS.missingParameter);
  });

  it('says a read-only member may not modify', async () => {
    const bob = as(await login('bob'));
    server.control.addTable({ b_o: 'bob', b_c: 'community-garden', name: 'Plots', fields: [{ name: 'Name', type: 'text' }] });
    const demo = as(await login());
    const reply = await demo('getBookTables', { b_o: 'bob', b_c: 'community-garden' });
    expect(reply.bookTables.rights.modify).toBe(false);
    expect((await bob('getBookTables', { b_o: 'bob', b_c: 'community-garden' })).bookTables.rights.modify).toBe(true);
  });
});

describe('createOrUpdateTableRow', () => {
  it('creates a row from a tmp id and returns its id in newRows; reads it back three ways', async () => {
    const api = as(await login());
    const { reading } = demoTables();
    const f = reading.field;
    const fieldValues = JSON.stringify({ [f.Title!]: 'Good Strategy Bad Strategy', [f.Link!]: 'https://example.com/gsbs', [f.Added!]: '05/12/2026', [f.Rating!]: 4 });
    const created = await api('createOrUpdateTableRow', { rowId: 'tmpA1', catId: reading.catId, fieldValues });
    expect(created.status).toBe('ok');
    expect(created.newRows).toEqual([{ id: expect.any(Number), tmpId: 'tmpA1', info: { order: 1 } }]);
    const rowId = created.newRows[0].id;

    const columns = await api('getTableValues', { catId: reading.catId });
    expect(columns.values.nbRows).toBe(2);
    const title = columns.values.fields.find((x: Json) => x.name === 'Title');
    expect(title.values).toContainEqual({ id: rowId, value: 'Good Strategy Bad Strategy' });

    const rows = await api('getTableValues', { catId: reading.catId, format: 'rows', offset: 1, maxRows: 5 });
    expect(rows.values.rows).toHaveLength(1);
    expect(rows.values.rows[0]).toMatchObject({ id: rowId, fields: { Link: { value: 'https://example.com/gsbs' }, Rating: { value: '4' }, Picture: { value: [] } } });
    expect(rows.values.fields[0]).not.toHaveProperty('values');

    const diff = await api('getTableValues', { catId: reading.catId, format: 'diff_ready_rows' });
    expect(diff.values.rows[String(rowId)][String(f.Added)]).toBe('05/12/2026');

    const tableRows = await api('getTableRows', { catId: reading.catId, rowIds: JSON.stringify([rowId]), getTableInfo: 'true' });
    expect(tableRows.rows).toHaveLength(1);
    expect(tableRows.rows[0].fieldValues[String(f.Title)]).toBe('Good Strategy Bad Strategy');
    expect(tableRows.table.fields.length).toBe(7);
    const paged = await api('getTableRows', { catId: reading.catId, pageSize: 1, page: 2 });
    expect(paged.rows.map((r: Json) => r.id)).toEqual([rowId]);
    expect(paged.nbRows).toBe(2);
  });

  it('creates an empty row from catId alone, and infers the table from fieldValues alone', async () => {
    const api = as(await login());
    const { contacts } = demoTables();
    const empty = await api('createOrUpdateTableRow', { rowId: 'tmpE', catId: contacts.catId });
    expect(empty.newRows[0].tmpId).toBe('tmpE');
    const inferred = await api('createOrUpdateTableRow', { rowId: 'tmpF', fieldValues: JSON.stringify({ [contacts.field.Nom!]: 'Zoé' }) });
    expect(inferred.status).toBe('ok');
    expect(server.control.tableRows(contacts.catId).map((r) => r.values.Nom)).toEqual(['', 'Zoé']);
    expectNok(await api('createOrUpdateTableRow', { rowId: 'tmpG' }), SERVER_ERRORS.missingParameter);
    expectNok(await api('createOrUpdateTableRow', { rowId: 'tmpG', catId: 999999 }), SERVER_ERRORS.unknownTable);
  });

  it('updates a row by id, and refuses unknown rows and fields', async () => {
    const api = as(await login());
    const { reading, contacts } = demoTables();
    const { newRows } = await api('createOrUpdateTableRow', { rowId: 'tmpU', catId: reading.catId, fieldValues: JSON.stringify({ [reading.field.Title!]: 'First' }) });
    const rowId = newRows[0].id;
    const updated = await api('createOrUpdateTableRow', { rowId, fieldValues: JSON.stringify({ [reading.field.Title!]: 'Second' }) });
    expect(updated).toMatchObject({ status: 'ok', newRows: [] });
    expect(server.control.tableRows(reading.catId).at(-1)?.values.Title).toBe('Second');
    expectNok(await api('createOrUpdateTableRow', { rowId: 424242, fieldValues: '{}' }), SERVER_ERRORS.unknownRow);
    expectNok(await api('createOrUpdateTableRow', { rowId, fieldValues: JSON.stringify({ 1: 'x' }) }), SERVER_ERRORS.unknownField);
    // A field of another table is not a field of this row's table.
    expectNok(await api('createOrUpdateTableRow', { rowId, fieldValues: JSON.stringify({ [contacts.field.Nom!]: 'x' }) }), SERVER_ERRORS.unknownField);
    expectNok(await api('createOrUpdateTableRow', { rowId, fieldValues: '[1,2]' }), SERVER_ERRORS.invalidFieldValues);
    expectNok(await api('createOrUpdateTableRow', { rowId, fieldValues: '{not json' }), SERVER_ERRORS.invalidFieldValues);
  });

  it('refuses values that do not fit the field, saying which field and why, and writes nothing', async () => {
    const api = as(await login());
    const { reading, contacts } = demoTables();
    const f = reading.field;
    const attempt = (values: Record<number, unknown>) =>
      api('createOrUpdateTableRow', { rowId: 'tmpBad', catId: reading.catId, fieldValues: JSON.stringify({ [f.Title!]: 'kept?', ...values }) });
    const cases: [Record<number, unknown>, RegExp][] = [
      [{ [f.Link!]: 'not a link' }, /"Link" takes a web address/],
      [{ [f.Link!]: 'javascript:alert(1)' }, /"Link" takes a web address/],
      [{ [f.Added!]: '2026-12-05' }, /"Added" takes a date as DD\/MM\/YYYY/],
      [{ [f.Added!]: '31/02/2026' }, /"Added" takes a date/],
      [{ [f.Rating!]: 'five' }, /"Rating" takes a number/],
      [{ [f.Picture!]: 'cover.png' }, /"Picture" takes files through fileUpload/],
      [{ [f.Notes!]: { html: '<b>x</b>' } }, /"Notes" takes text/],
      [{ [f.Notes!]: 'x'.repeat(100_001) }, /longer than/],
    ];
    for (const [values, reason] of cases) {
      const reply = await attempt(values);
      expectNok(reply, SERVER_ERRORS.invalidValue);
      expect(reply.errorMsg).toMatch(reason);
    }
    expectNok(await attempt({ [f['Reviewed by']!]: 'me' }), SERVER_ERRORS.readOnlyField);
    const iso = await api('createOrUpdateTableRow', { rowId: 'tmpIso', catId: contacts.catId, fieldValues: JSON.stringify({ [contacts.field['Ajouté le']!]: '2026-12-05' }) });
    expect(iso.status).toBe('ok');
    expectNok(
      await api('createOrUpdateTableRow', { rowId: 'tmpMail', catId: contacts.catId, fieldValues: JSON.stringify({ [contacts.field.Courriel!]: 'nobody' }) }),
      SERVER_ERRORS.invalidValue,
    );
    expect(server.control.tableRows(reading.catId)).toHaveLength(1);
  });

  it('refuses members who may not write, and non-members', async () => {
    const { reading } = demoTables();
    // bob reads "Marketing plan 2027" only.
    const bob = as(await login('bob'));
    expect((await bob('getTableValues', { catId: reading.catId })).status).toBe('ok');
    expectNok(await bob('createOrUpdateTableRow', { rowId: 'tmpC', catId: reading.catId }), SERVER_ERRORS.noRights);
    server.control.removeMember(DEMO_TABLES.b_o, DEMO_TABLES.b_c, 'bob');
    expectNok(await bob('getTableValues', { catId: reading.catId }), SERVER_ERRORS.noRights);
    expectNok(await bob('getTableRows', { catId: reading.catId }), SERVER_ERRORS.noRights);
  });

  it('absorbs a repeated tmp id while the switch is on, and makes another row when off', async () => {
    const api = as(await login());
    const { reading } = demoTables();
    const params = { rowId: 'tmpSame', catId: reading.catId, fieldValues: JSON.stringify({ [reading.field.Title!]: 'Once' }) };
    const first = await api('createOrUpdateTableRow', params);
    const again = await api('createOrUpdateTableRow', params);
    expect(again.newRows[0].id).toBe(first.newRows[0].id);
    expect(server.control.tableRows(reading.catId).filter((r) => r.values.Title === 'Once')).toHaveLength(1);

    expect(await control('tmp-absorbing', { on: false })).toEqual({ on: false });
    expect(await control('tmp-absorbing')).toEqual({ on: false });
    const third = await api('createOrUpdateTableRow', params);
    expect(third.newRows[0].id).not.toBe(first.newRows[0].id);
    expect(server.control.tableRows(reading.catId).filter((r) => r.values.Title === 'Once')).toHaveLength(2);
    server.control.reset();
    expect(server.control.tmpAbsorbing()).toBe(true);
  });

  it('starts with the switch off when asked', async () => {
    const strict = await startServer({ port: 0, absorbRepeatedTmpId: false });
    try {
      expect(strict.control.tmpAbsorbing()).toBe(false);
      strict.control.reset();
      expect(strict.control.tmpAbsorbing()).toBe(false);
    } finally {
      await strict.close();
    }
  });
});

describe('deleteTableRow', () => {
  it('deletes a row, which then is gone from every read', async () => {
    const api = as(await login());
    const { reading } = demoTables();
    const { newRows } = await api('createOrUpdateTableRow', { rowId: 'tmpD', catId: reading.catId });
    const rowId = newRows[0].id;
    const deleted = await api('deleteTableRow', { rowId });
    expect(deleted).toMatchObject({ status: 'ok', deletedRow: { id: String(rowId) }, formLastModified: expect.any(Number) });
    expect((await api('getTableValues', { catId: reading.catId })).values.nbRows).toBe(1);
    expectNok(await api('deleteTableRow', { rowId }), SERVER_ERRORS.unknownRow);
    expectNok(await api('createOrUpdateTableRow', { rowId, fieldValues: '{}' }), SERVER_ERRORS.unknownRow);
  });
});

describe('fileUpload into a cell', () => {
  it('stores the file byte for byte in the cell, once per uuid while absorbing, and shows it in the values', async () => {
    const demo = await login();
    const api = as(demo);
    const { reading } = demoTables();
    const { newRows } = await api('createOrUpdateTableRow', { rowId: 'tmpP', catId: reading.catId });
    const rowId = String(newRows[0].id);
    const png = solidPng(3, 2, [10, 200, 30]);
    const fields = { ...DEMO_TABLES, rowId, fieldId: String(reading.field.Picture), uuid: 'cell-1' };
    const reply = await upload(demo, fields, new Blob([new Uint8Array(png)], { type: 'image/png' }));
    expect(reply).toMatchObject({ status: 'ok', rowId, fieldId: String(reading.field.Picture), uuid: 'cell-1', type: 'media', ext: 'png', originName: 'cover.png' });
    const again = await upload(demo, fields, new Blob([new Uint8Array(png)], { type: 'image/png' }));
    expect(again.id).toBe(reply.id);
    const sha256 = createHash('sha256').update(png).digest('hex');
    expect(server.control.tableRows(reading.catId).at(-1)?.files.Picture).toEqual([{ originName: 'cover.png', contentType: 'image/png', size: png.length, sha256 }]);

    server.control.setUuidAbsorbing(false);
    await upload(demo, fields, new Blob([new Uint8Array(png)], { type: 'image/png' }));
    expect(server.control.tableRows(reading.catId).at(-1)?.files.Picture).toHaveLength(2);

    const values = await api('getTableValues', { catId: reading.catId, format: 'rows' });
    expect(values.values.rows.at(-1).fields.Picture.value[0]).toMatchObject({ originName: 'cover.png', ext: 'png', size: png.length });
  });

  it('refuses a cell that takes no file, a read-only or unknown field, an unknown row, no file and a file too large', async () => {
    const demo = await login();
    const api = as(demo);
    const { reading } = demoTables();
    const { newRows } = await api('createOrUpdateTableRow', { rowId: 'tmpQ', catId: reading.catId });
    const rowId = String(newRows[0].id);
    const blob = new Blob(["hello"], { type: 'text/plain' });
    const at = (fieldId: number | string, row = rowId) => ({ ...DEMO_TABLES, rowId: row, fieldId: String(fieldId) });
    const notFile = await upload(demo, at(reading.field.Title!), blob);
    expectNok(notFile, SERVER_ERRORS.invalidValue);
    expect(notFile.errorMsg).toMatch(/"Title" does not take files/);
    expectNok(await upload(demo, at(reading.field['Reviewed by']!), blob), SERVER_ERRORS.readOnlyField);
    expectNok(await upload(demo, at(1), blob), SERVER_ERRORS.unknownField);
    expectNok(await upload(demo, at(reading.field.Picture!, '999999'), blob), SERVER_ERRORS.unknownRow);
    expectNok(await upload(demo, at(reading.field.Picture!)), SERVER_ERRORS.missingFile);
    expectNok(await upload(demo, at(reading.field.Picture!), new Blob([new Uint8Array(MAX_UPLOAD + 1)])), SERVER_ERRORS.fileTooLarge);
    expect(server.control.tableRows(reading.catId).at(-1)?.files.Picture).toEqual([]);
  });
});

describe('table control endpoints', () => {
  it('adds a table with hostile names and lists it and its rows', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const { catId } = await control('add-table', { b_o: 'demo', b_c: 'trip-japan', name: hostile, fields: [{ name: hostile, type: 'text' }] });
    expect(catId).toEqual(expect.any(Number));
    const { tables } = await control('tables?b_o=demo&b_c=trip-japan');
    expect(tables).toEqual([{ catId, name: hostile, fields: [{ id: expect.any(Number), name: hostile, type: 'text', readOnly: false }] }]);
    expect(await control(`table-rows?catId=${catId}`)).toEqual({ rows: [] });
    const refused = await fetch(`${server.url}/__control/add-table`, { method: 'POST', body: JSON.stringify({ b_o: 'demo', b_c: 'trip-japan', name: 'x', fields: [{ name: 'y', type: 'nope' }] }) });
    expect(refused.status).toBe(400);
  });
});
