/** The API client's table calls against the local TimeTonic-compatible server, over real HTTP. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createClient, type SessionKeys, type TimeTonicClient } from '../../src/api';
import { parseReply } from '../../src/api/transport';
import { bookTablesReply, tableValuesReply } from '../../src/api/schemas';
import { startServer, type LocalServer } from '../../server';
import { solidPng } from '../../server/demo';
import { DEMO_TABLES } from '../../server/tables';

let server: LocalServer;
let api: TimeTonicClient;

beforeAll(async () => {
  server = await startServer({ port: 0, seed: 'demo', maxUploadBytes: 1024 * 1024 });
  api = createClient({ server: server.url, timeoutMs: 5_000 });
});
afterAll(() => server.close());
beforeEach(() => server.control.reset());

async function signIn(login = 'demo', pwd = 'demo'): Promise<SessionKeys> {
  const appkey = await api.createAppkey('TimeTonic Companion');
  const { oauthkey, o_u } = await api.createOauthkey({ login, pwd, appkey });
  return { o_u, sesskey: await api.createSesskey({ o_u, oauthkey }) };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

async function readingList(session: SessionKeys) {
  const { tables } = await api.getBookTables(session, DEMO_TABLES);
  const table = tables.find((t) => t.name === 'Reading list');
  if (!table) throw new Error('no Reading list');
  const field = (name: string) => {
    const found = table.fields.find((f) => f.name === name);
    if (!found) throw new Error(`no field ${name}`);
    return found.id;
  };
  return { table, field };
}

describe('table calls', () => {
  it('reads a book tables with typed fields, and an empty list for a book without', async () => {
    const session = await signIn();
    const { canWrite, tables } = await api.getBookTables(session, DEMO_TABLES);
    expect(canWrite).toBe(true);
    expect(tables.map((t) => t.name)).toEqual(['Reading list', 'Contacts']);
    expect(tables[0]?.fields).toContainEqual({ id: expect.any(Number), name: 'Added', type: 'date', format: 'DD/MM/YYYY', readOnly: false });
    expect(tables[0]?.fields).toContainEqual(expect.objectContaining({ name: 'Reviewed by', readOnly: true }));
    expect((await api.getBookTables(session, { b_o: 'alice', b_c: 'support-inbox' })).tables).toEqual([]);
    const readOnly = await api.getBookTables(await signIn('bob', 'bob-pw'), DEMO_TABLES);
    expect(readOnly.canWrite).toBe(false);
  });

  it('creates a row, reads it back by values and by rows, updates and deletes it', async () => {
    const session = await signIn();
    const { table, field } = await readingList(session);
    const { rowId } = await api.createTableRow(session, {
      tmpId: 'tmp-client-1',
      catId: table.id,
      fieldValues: { [field('Title')]: 'Thinking in Systems', [field('Link')]: 'https://example.com/tis', [field('Added')]: '05/12/2026' },
    });
    expect(rowId).toEqual(expect.any(Number));

    const newest = await api.getTableValues(session, table.id, { offset: 1, maxRows: 10 });
    expect(newest.nbRows).toBe(2);
    expect(newest.rows).toEqual([
      {
        id: rowId,
        cells: expect.objectContaining({ [String(field('Title'))]: 'Thinking in Systems', [String(field('Picture'))]: [], [String(field('Notes'))]: '' }),
      },
    ]);
    const byId = await api.getTableRows(session, table.id, { rowIds: [rowId] });
    expect(byId.rows.map((r) => r.fieldValues[String(field('Link'))])).toEqual(['https://example.com/tis']);

    await api.updateTableRow(session, { rowId, fieldValues: { [field('Notes')]: 'Stocks and flows.' } });
    expect(server.control.tableRows(table.id).at(-1)?.values.Notes).toBe('Stocks and flows.');
    expect(await api.deleteTableRow(session, rowId)).toEqual({ id: rowId });
    expect(server.control.tableRows(table.id)).toHaveLength(1);
  });

  it('uploads a file into a cell, byte for byte', async () => {
    const session = await signIn();
    const { table, field } = await readingList(session);
    const { rowId } = await api.createTableRow(session, { tmpId: 'tmp-client-2', catId: table.id, fieldValues: {} });
    const png = solidPng(5, 4, [200, 10, 10]);
    const uploaded = await api.uploadToCell(session, DEMO_TABLES, {
      rowId, fieldId: field('Picture'), uuid: 'cell-file-1', file: new Blob([new Uint8Array(png)], { type: 'image/png' }), name: 'red.png',
    });
    expect(uploaded).toMatchObject({ uuid: 'cell-file-1', originName: 'red.png', ext: 'png', type: 'media' });
    const [file] = server.control.tableRows(table.id).at(-1)?.files.Picture ?? [];
    expect(file?.sha256).toBe(createHash('sha256').update(png).digest('hex'));
    const log = server.control.log().filter((e) => e.req === 'fileUpload');
    expect(log[0]?.params).toMatchObject({ rowId: String(rowId), fieldId: String(field('Picture')), qqfile: expect.stringMatching(/^red\.png/) });
  });

  it('says why a value is refused, in the error kind and the server words', async () => {
    const session = await signIn();
    const { table, field } = await readingList(session);
    const refused = await failure(api.createTableRow(session, { tmpId: 'tmp-bad', catId: table.id, fieldValues: { [field('Added')]: '2026-12-05' } }));
    expect(refused).toMatchObject({ kind: 'badInput', details: { code: 'apiProcess234' } });
    expect(refused.message).toMatch(/"Added" takes a date as DD\/MM\/YYYY/);
    const readOnly = await failure(api.createTableRow(session, { tmpId: 'tmp-ro', catId: table.id, fieldValues: { [field('Reviewed by')]: 'me' } }));
    expect(readOnly.kind).toBe('noRights');
    expect((await failure(api.getTableValues(session, 999_999))).kind).toBe('notFound');
    await expect(api.createTableRow(session, { tmpId: 'row-1', catId: table.id, fieldValues: {} })).rejects.toThrow(RangeError);
  });

  it('calls a lost answer a network fault, after the row was written', async () => {
    const session = await signIn();
    const { table, field } = await readingList(session);
    server.control.injectFaults({ kind: 'dropAfterWrite', req: 'createOrUpdateTableRow' });
    const lost = await failure(api.createTableRow(session, { tmpId: 'tmp-lost', catId: table.id, fieldValues: { [field('Title')]: 'Lost answer' } }));
    expect(lost.kind).toBe('network');
    expect(server.control.tableRows(table.id).map((r) => r.values.Title)).toContain('Lost answer');
  });
});

describe('table replies', () => {
  it('reads lenient spellings and refuses what the caller needs when it is missing', () => {
    const tables = parseReply(
      'getBookTables',
      JSON.stringify({ status: 'ok', bookTables: { categories: [{ id: '12', name: 'T', fields: [{ id: '5', name: 'N', readOnly: 1 }] }, { id: 13, name: null, fields: null }] } }),
      bookTablesReply,
    );
    expect(tables).toEqual({
      canWrite: true,
      tables: [
        { id: 12, name: 'T', fields: [{ id: 5, name: 'N', type: '', format: '', readOnly: true }] },
        { id: 13, name: '', fields: [] },
      ],
    });
    const values = parseReply(
      'getTableValues',
      JSON.stringify({ status: 'ok', values: { rows: { '7': { '5': 12, '6': null, '8': { odd: true } }, 'tmpX': {} } } }),
      tableValuesReply,
    );
    expect(values).toEqual({ nbRows: undefined, rows: [{ id: 7, cells: { '5': '12', '6': '', '8': '' } }] });
    expect(() => parseReply('getBookTables', '{"status":"ok"}', bookTablesReply)).toThrow(ApiError);
    expect(() => parseReply('getTableValues', '{"status":"ok","values":{"rows":[1]}}', tableValuesReply)).toThrow(/getTableValues/);
  });

  it('refuses a createOrUpdateTableRow answer that names no new row', async () => {
    const session = await signIn();
    const { table } = await readingList(session);
    server.control.injectFaults({ kind: 'malformed', req: 'createOrUpdateTableRow' });
    expect((await failure(api.createTableRow(session, { tmpId: 'tmp-m', catId: table.id, fieldValues: {} }))).kind).toBe('badReply');
  });
});
