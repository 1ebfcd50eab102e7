/**
 * The outbox's delivery loop (`deliverDue`) delivers every message, and the file attached to it,
 * and every save into a table, its row and the image in its cell, exactly once to a server that
 * does not ignore a repeated uuid or `tmp` id: answers lost before or after the
 * write, 5xx, answers held past the time-out and written later (even after the grace delay), expired
 * sessions, a book where the user may not write, books busy enough that a copy is pages back, and
 * workers stopped mid-request. Exactly once also for the members of the book: no second copy or row
 * is ever written, not even one deleted soon after, unless the server wrote a request later than
 * the grace delay after it left; and one written so is deleted by the last check after the resend.
 *
 * First as a property, against an in-memory model of the server on a simulated clock; then by
 * example, against the local server over real HTTP.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, isApiError, type SessionKeys, type TimeTonicClient } from '../../src/api';
import { deliverDue, type DeliveryPorts } from '../../src/background/delivery';
import { askUndo, newItem, nextWakeAt, type DeliveryTiming, type OutboxItem } from '../../src/domain/outbox';
import type { Account, BookRef } from '../../src/domain/refs';
import { startServer, type LocalServer } from '../../server';
import { newTableRowSave } from '../../src/domain/table-outbox';
import { CELL_FILE_FIELD, ModelServer, WorkerStopped, type Outcome } from '../support/model-server';
import { english } from '../support/words';
import { seededRandom } from '../../harness/seeded-random';

/** The outbox's storage: what a restarted worker finds again. */
function memoryStore() {
  let items: OutboxItem[] = [];
  return {
    add(item: OutboxItem) {
      items = [...items, structuredClone(item)];
    },
    read: async () => structuredClone(items),
    change: async (uuid: string, update: (item: OutboxItem) => OutboxItem) => {
      const index = items.findIndex((item) => item.uuid === uuid);
      const found = items[index];
      if (!found) return null;
      const changed = update(structuredClone(found));
      items = items.with(index, changed);
      return structuredClone(changed);
    },
  };
}

/** As the worker's session does: a new key when the server says the key expired, and the call once more. */
function renewingSession(api: TimeTonicClient, first: SessionKeys, renew: () => Promise<string>): DeliveryPorts['withSession'] {
  let keys = first;
  return async (_account, call) => {
    try {
      return await call(api, keys);
    } catch (error) {
      if (!isApiError(error, 'invalidSession')) throw error;
    }
    keys = { ...keys, sesskey: await renew() };
    return call(api, keys);
  };
}

const settled = (item: OutboxItem) => item.status !== 'pending' && item.status !== 'undoing' && item.verifyAt === null;

describe('delivery against a model server (property)', () => {
  const TIMING: DeliveryTiming = { firstRetryMs: 5_000, maxRetryMs: 60_000, requestTimeoutMs: 2_000, graceMs: 30_000 };
  const ACCOUNT: Account = { server: 'https://model.invalid', o_u: 'demo' };
  const START = 1_700_000_000_000;
  const MAX_ROUNDS = 2_000;

  interface Scenario {
    /** Per book: whether every request to it is refused (`noRights`). */
    refusedBooks: boolean[];
    /**
     * Per item, in the order they were made: the index of its book, the files it carries, and
     * whether it is a save into the book's table (its first file then an image for its cell).
     */
    items: { book: number; files: { kind: 'media' | 'doc'; size: number }[]; table?: boolean }[];
    /** What the server does with each request, in turn; `ok` once the list runs out. */
    script: Outcome[];
    /** How many messages others post to a request's book just before it, in turn. */
    chatter: number[];
    seed: number;
  }

  const outcome: fc.Arbitrary<Outcome> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('ok' as const), latencyMs: fc.integer({ min: 1, max: 2_000 }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'lostBeforeWrite' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'lostAfterWrite' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'http500' as const }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('held' as const),
        // Mostly within the grace delay; some past it, up to twice: the last check after a resend
        // comes at least that long after the first request left (a copy or a row written later
        // still would stay, as no check would see it).
        landsAfterMs: fc.oneof(
          { weight: 3, arbitrary: fc.integer({ min: TIMING.requestTimeoutMs + 1, max: TIMING.graceMs }) },
          { weight: 1, arbitrary: fc.integer({ min: TIMING.graceMs + 1, max: 2 * TIMING.graceMs }) },
        ),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'sessionExpired' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('workerStopped' as const), written: fc.boolean() }) },
  );

  const scenario: fc.Arbitrary<Scenario> = fc.record({
    refusedBooks: fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), {
      minLength: 1,
      maxLength: 3,
    }),
    items: fc.array(
      fc.record({
        book: fc.nat(2),
        // Mostly none or one; now and then several, each uploaded on its own.
        files: fc.oneof(
          { weight: 2, arbitrary: fc.constant<{ kind: 'media' | 'doc'; size: number }[]>([]) },
          {
            weight: 2,
            arbitrary: fc.array(fc.record({ kind: fc.constantFrom('media' as const, 'doc' as const), size: fc.integer({ min: 1, max: 4_096 }) }), {
              minLength: 1,
              maxLength: 3,
            }),
          },
        ),
        table: fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    // Longer than the requests of a scenario without faults, so that faults reach the uploads too.
    script: fc.array(outcome, { maxLength: 60 }),
    // Mostly a quiet book; now and then more than a page of messages at once.
    chatter: fc.array(fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 120 }) }), { maxLength: 60 }),
    seed: fc.integer(),
  });

  function setUp({ refusedBooks, items, script, chatter, seed }: Scenario) {
    const model = new ModelServer(START, [...script], TIMING.graceMs, chatter);
    const books = refusedBooks.map((refused, i) => {
      const book = { b_o: 'alice', b_c: `book-${i}` };
      model.addBook(book, refused);
      return { book, refused };
    });
    const store = memoryStore();
    /** The attachment store: bytes by file uuid, until the upload is confirmed. */
    const blobs = new Map<string, Blob>();
    items.forEach(({ book: index, files, table }, i) => {
      const { book } = books[index % books.length]!;
      // Others write too, so a look must tell the item's copies from their messages.
      model.postAs('alice', book, `Before item ${i}`);
      const attachments = files.map((file, j) => ({
        uuid: `file-${i}-${j}`,
        ...(file.kind === 'media' ? { name: `photo-${i}-${j}.png`, type: 'image/png' } : { name: `notes-${i}-${j}.pdf`, type: 'application/pdf' }),
        size: file.size,
        kind: file.kind,
      }));
      // A save into a table carries one image at most, for its cell.
      const carried = table ? attachments.slice(0, 1) : attachments;
      for (const attachment of carried) blobs.set(attachment.uuid, new Blob([new Uint8Array(attachment.size)], { type: attachment.type }));
      const made = { uuid: `item-${i}`, account: ACCOUNT, book, bookTitle: book.b_c, text: `Item ${i}`, sinceStamp: model.sstamp, now: model.now() };
      if (table) {
        const image = carried[0] ? { uuid: carried[0].uuid, name: carried[0].name, fieldId: CELL_FILE_FIELD } : null;
        const save = newTableRowSave({ catId: model.tableOf(book), tableName: 'Reading list', values: { '1': `Item ${i}`, '2': book.b_c }, image, draftKey: `clip-${i}` });
        store.add({ ...newItem({ ...made, origin: 'menu' }), table: save });
      } else {
        store.add(newItem({ ...made, attachments }));
      }
    });
    const ports: DeliveryPorts = {
      read: store.read,
      change: store.change,
      account: async () => ACCOUNT,
      attachment: async (uuid) => blobs.get(uuid) ?? null,
      forgetAttachment: async (uuid) => void blobs.delete(uuid),
      withSession: renewingSession(model.client(), { o_u: ACCOUNT.o_u, sesskey: model.createSesskey() }, async () => model.createSesskey()),
      timing: TIMING,
      t: english,
      now: () => model.now(),
      random: seededRandom(seed),
    };
    const refused = (book: BookRef) => books.some((b) => b.refused && b.book.b_c === book.b_c);
    return { model, ports, refused, blobs };
  }

  /**
   * Runs delivery as the worker would: again after a stop (same storage), and, when nothing is due,
   * once the clock reaches the wake-up `nextWakeAt` names. At the end every held call lands.
   */
  async function deliverAll(model: ModelServer, ports: DeliveryPorts): Promise<OutboxItem[]> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      try {
        if ((await deliverDue(ports)).more) continue;
      } catch (error) {
        if (error instanceof WorkerStopped) continue;
        throw error;
      }
      const items = await ports.read();
      const wake = nextWakeAt(items, ACCOUNT);
      if (wake === null) {
        model.landAll();
        return items;
      }
      // Nothing is due now: a wake-up already past would have the worker run again and again for nothing.
      expect(wake).toBeGreaterThan(model.now());
      model.advanceTo(wake);
    }
    throw new Error(`delivery did not settle in ${MAX_ROUNDS} rounds`);
  }

  it('delivers each item and each of its files, and each row and its image, exactly once and in order per book, or fails it with nothing written', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (generated) => {
        const { model, ports, refused, blobs } = setUp(generated);
        const items = await deliverAll(model, ports);
        // Sent again only when the look could not see the copy: one held past the time-out ...
        expect(model.needlessResends).toEqual([]);
        // ... and only once the grace delay since every request without an answer had passed.
        expect(model.earlyResends).toEqual([]);
        for (const item of items.filter((item) => item.table)) {
          const save = item.table!;
          const rows = model.rowsWritten(save.catId, `tmp-${item.uuid}`);
          if (refused(item.book)) {
            expect(item).toMatchObject({ status: 'failed', reason: 'You may not write in this book' });
            expect(rows).toEqual([]);
            if (save.image) expect(blobs.has(save.image.uuid)).toBe(true);
            continue;
          }
          expect(item).toMatchObject({ status: 'sent', verifyAt: null });
          // Every row ever written, deleted ones included: a second one only from a create the
          // server wrote past the grace delay, and then deleted by the last check.
          expect(rows.length).toBeGreaterThanOrEqual(1);
          expect(rows.length).toBeLessThanOrEqual(1 + model.pastGrace(`tmp-${item.uuid}`));
          const own = rows.find((row) => row.id === save.rowId);
          expect(own).toBeDefined();
          expect(rows.filter((row) => !row.del)).toEqual([own]);
          for (const other of rows) if (other !== own) expect(other.files).toEqual([]);
          if (save.image) {
            const file = { uuid: save.image.uuid, name: save.image.name, size: generated.items[Number(item.uuid.slice(5))]!.files[0]!.size };
            expect(own!.files.length).toBeGreaterThanOrEqual(1);
            expect(own!.files.length).toBeLessThanOrEqual(1 + model.pastGrace(file.uuid));
            for (const stored of own!.files) expect(stored).toEqual(file);
            expect(blobs.has(file.uuid)).toBe(false);
          } else {
            expect(own!.files).toEqual([]);
          }
        }
        for (const item of items.filter((item) => !item.table)) {
          const copies = model.copies(item.book, item.uuid);
          const written = model.everWritten(item.book, item.uuid);
          const sent = item.attachments.map(({ uuid, name, size }) => ({ uuid, name, size }));
          if (refused(item.book)) {
            expect(item).toMatchObject({ status: 'failed', reason: 'You may not write in this book' });
            expect(written).toEqual({ messages: 0, files: 0 });
            // Kept for when the user sends it again.
            for (const file of sent) expect(blobs.has(file.uuid)).toBe(true);
            continue;
          }
          expect(item).toMatchObject({ status: 'sent', verifyAt: null });
          // Every copy ever written, deleted ones included: a second one only from a request the
          // server wrote past the grace delay, and then deleted by the last check.
          expect(written.messages).toBeGreaterThanOrEqual(1);
          expect(written.messages).toBeLessThanOrEqual(1 + model.pastGrace(item.uuid));
          expect(copies).toHaveLength(1);
          expect(copies[0]!.smid).toBe(item.smid);
          // A file cannot be deleted: a second upload stays for good, so one only comes from an
          // upload the server wrote past the grace delay; a lost one would be missing.
          const files = copies[0]!.files;
          for (const file of sent) {
            const stored = files.filter((candidate) => candidate.uuid === file.uuid);
            expect(stored.length).toBeGreaterThanOrEqual(1);
            expect(stored.length).toBeLessThanOrEqual(1 + model.pastGrace(file.uuid));
            for (const copy of stored) expect(copy).toEqual(file);
            expect(blobs.has(file.uuid)).toBe(false);
          }
          expect(files).toHaveLength(files.filter((stored) => sent.some((file) => file.uuid === stored.uuid)).length);
          // In order: each file's first copy lands after the one before it.
          expect([...new Set(files.map((stored) => stored.uuid))]).toEqual(sent.map((file) => file.uuid));
          // sendMsg announced them: images as media, the rest as documents.
          expect(copies[0]!.announced).toEqual({
            nbMedias: item.attachments.filter((file) => file.kind === 'media').length,
            nbDocs: item.attachments.filter((file) => file.kind === 'doc').length,
          });
        }
        for (const b_c of new Set(items.map((item) => item.book.b_c))) {
          const kept = items.filter((item) => !item.table && item.book.b_c === b_c && item.status === 'sent').map((item) => item.smid!);
          expect(kept).toEqual([...kept].sort((a, b) => a - b));
        }
      }),
      {
        numRuns: 1_000,
        examples: [
          // An upload refused for an expired session is sent again after the renewal; that second
          // request, held almost the whole grace delay, must still land before the look for it.
          [
            {
              refusedBooks: [false],
              items: [{ book: 0, files: [{ kind: 'media', size: 1 }] }],
              script: [{ kind: 'ok', latencyMs: 1 }, { kind: 'sessionExpired' }, { kind: 'held', landsAfterMs: TIMING.graceMs - 9 }],
              chatter: [],
              seed: 0,
            },
          ],
          // A sendMsg held past its time-out, written within the grace delay: the look that finds
          // nothing before then must not send it again.
          [{ refusedBooks: [false], items: [{ book: 0, files: [] }], script: [{ kind: 'held', landsAfterMs: TIMING.graceMs - 1 }], chatter: [], seed: 0 }],
          // The same after a session renewal: the grace delay runs from the second request.
          [
            {
              refusedBooks: [false],
              items: [{ book: 0, files: [] }],
              script: [{ kind: 'sessionExpired' }, { kind: 'held', landsAfterMs: TIMING.graceMs - 1 }],
              chatter: [],
              seed: 0,
            },
          ],
          // The answer is lost after the write, then others post more than two pages before the look.
          [{ refusedBooks: [false], items: [{ book: 0, files: [] }], script: [{ kind: 'lostAfterWrite' }], chatter: [0, 120], seed: 0 }],
          // A slow look that began before the grace delay ended and finished after it: the held
          // write landed while it read the book, so it settles nothing.
          [
            {
              refusedBooks: [false],
              items: [{ book: 0, files: [] }],
              script: [
                { kind: 'held', landsAfterMs: TIMING.graceMs - 1 },
                { kind: 'ok', latencyMs: TIMING.graceMs - 1_000 },
              ],
              chatter: [],
              seed: 0,
            },
          ],
          // Found by the property: the first request is written just past the grace delay, the resend is
          // held too and written after the look that found the first copy; the last check must come
          // late enough to see the resend's copy.
          [
            {
              refusedBooks: [false, false],
              items: [
                { book: 1, files: [] },
                { book: 0, files: [] },
              ],
              script: [
                { kind: 'held', landsAfterMs: 30_001 },
                { kind: 'held', landsAfterMs: 30_001 },
                { kind: 'ok', latencyMs: 1 },
                { kind: 'lostAfterWrite' },
                { kind: 'lostAfterWrite' },
                { kind: 'ok', latencyMs: 1 },
                { kind: 'held', landsAfterMs: 37_052 },
              ],
              chatter: [],
              seed: -443_859_985,
            },
          ],
          // A create written long after the grace delay (the first request is the row count): the
          // resend makes a second row, which the last check deletes.
          [
            {
              refusedBooks: [false],
              items: [{ book: 0, files: [], table: true }],
              script: [{ kind: 'ok', latencyMs: 1 }, { kind: 'held', landsAfterMs: 2 * TIMING.graceMs }],
              chatter: [],
              seed: 0,
            },
          ],
          // Written long after the grace delay: the resend makes a second copy, which the last check deletes.
          [{ refusedBooks: [false], items: [{ book: 0, files: [] }], script: [{ kind: 'held', landsAfterMs: 2 * TIMING.graceMs }], chatter: [], seed: 0 }],
        ],
      },
    );
  });

  it('takes back every send undone at any moment: no copy is left, none is written once it is asked, and a cancelled one wrote nothing', { timeout: 120_000 }, async () => {
    /** Undo of the item at `item` (modulo the scenario's), asked right before the outbox's `atChange`-th write. */
    const undos = fc.array(fc.record({ item: fc.nat(7), atChange: fc.nat(60) }), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(scenario, undos, async (generated, asks) => {
        const { model, ports, refused, blobs } = setUp(generated);
        const taken = new Set<string>();
        /** Requests that wrote, or could write, a send after its Undo was taken. */
        const afterUndo: string[] = [];
        const askUndoOf = async (index: number) => {
          const uuid = `item-${index % generated.items.length}`;
          await ports.change(uuid, (item) => {
            const answer = askUndo(english, item, model.now(), TIMING);
            if ('refused' in answer) return item;
            taken.add(uuid);
            // As the worker does: a send cancelled outright has no use for its bytes.
            if (answer.item.status === 'undone') for (const file of answer.item.attachments) blobs.delete(file.uuid);
            return answer.item;
          });
        };
        let changes = 0;
        const user: DeliveryPorts = {
          ...ports,
          async change(uuid, update) {
            changes++;
            for (const ask of asks.filter((candidate) => candidate.atChange === changes)) await askUndoOf(ask.item);
            return ports.change(uuid, update);
          },
          withSession: (account, call) =>
            ports.withSession(account, (api, keys) =>
              call(
                {
                  ...api,
                  sendMsg: (k, book, message, options) => {
                    if (taken.has(message.uuid!)) afterUndo.push(`sendMsg ${message.uuid}`);
                    return api.sendMsg(k, book, message, options);
                  },
                  fileUpload: (k, book, upload, options) => {
                    if ([...taken].some((uuid) => generated.items.length > 0 && upload.uuid?.startsWith(`file-${uuid.slice(5)}-`))) afterUndo.push(`fileUpload ${upload.uuid}`);
                    return api.fileUpload(k, book, upload, options);
                  },
                },
                keys,
              ),
            ),
        };
        await deliverAll(model, user);
        // Undos asked once everything had gone: within the window, or refused as too late.
        for (const ask of asks.filter((candidate) => candidate.atChange > changes)) await askUndoOf(ask.item);
        const items = await deliverAll(model, user);
        expect(afterUndo).toEqual([]);
        expect(model.earlyResends).toEqual([]);
        for (const item of items.filter((candidate) => !candidate.table)) {
          const copies = model.copies(item.book, item.uuid);
          if (!taken.has(item.uuid)) {
            if (item.status === 'sent') expect(copies).toHaveLength(1);
            else expect(item).toMatchObject({ status: 'failed' });
            continue;
          }
          if (item.status === 'sent') {
            // Only the server may keep a send from being deleted: a book where the user may not write.
            expect(refused(item.book)).toBe(true);
            expect(item.reason).toMatch(/^Not deleted: /);
            continue;
          }
          expect(item).toMatchObject({ status: 'undone', verifyAt: null });
          expect(copies).toEqual([]);
          if (item.undo!.cancelled) expect(model.everWritten(item.book, item.uuid).messages).toBe(0);
          for (const file of item.attachments) expect(blobs.has(file.uuid)).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('delivery against the local server (real HTTP)', () => {
  const TIMING: DeliveryTiming = { firstRetryMs: 50, maxRetryMs: 500, requestTimeoutMs: 300, graceMs: 1_500 };
  /** demo may write here (right 2) ... */
  const WRITABLE = { b_o: 'alice', b_c: 'support-inbox' };
  /** ... and only read here (right 1). */
  const READ_ONLY = { b_o: 'bob', b_c: 'community-garden' };

  let server: LocalServer;
  beforeAll(async () => {
    server = await startServer({ absorbRepeatedUuid: false });
  });
  afterAll(() => server.close());
  beforeEach(() => server.control.reset());

  const requests = () => server.control.log().map((entry) => entry.req);
  /** Every message ever written with that uuid, deleted ones too. */
  const written = (book: BookRef, uuid: string) => server.control.state.getBook(book.b_o, book.b_c).messages.filter((m) => m.uuid === uuid);

  /** A PNG-typed file of random bytes, and how the server should list it. */
  function randomPng(size: number) {
    const bytes = crypto.getRandomValues(new Uint8Array(size));
    const stored = { originName: 'chart.png', contentType: 'image/png', size, sha256: createHash('sha256').update(bytes).digest('hex') };
    return { blob: new Blob([bytes], { type: 'image/png' }), stored };
  }

  /**
   * demo signed in, one item enqueued for `book` (with `file` attached, if given), the log cleared:
   * only delivery's requests count.
   */
  async function sendOne(book: BookRef, file?: Blob) {
    const api = createClient({ server: server.url });
    const oauth = await api.createOauthkey({ login: 'demo', pwd: 'demo', appkey: await api.createAppkey('outbox tests') });
    const account = { server: server.url, o_u: oauth.o_u };
    const store = memoryStore();
    /** The attachment store: bytes by file uuid, until the upload is confirmed. */
    const blobs = new Map<string, Blob>();
    const attachment = file && { uuid: crypto.randomUUID(), name: 'chart.png', type: file.type, size: file.size, kind: 'media' as const };
    if (attachment) blobs.set(attachment.uuid, file);
    const item = newItem({
      uuid: crypto.randomUUID(),
      account,
      book,
      bookTitle: book.b_c,
      text: 'Meeting moved to 3 pm',
      sinceStamp: server.control.sstamp(),
      now: Date.now(),
      attachments: attachment ? [attachment] : [],
    });
    store.add(item);
    const ports: DeliveryPorts = {
      read: store.read,
      change: store.change,
      account: async () => account,
      attachment: async (uuid) => blobs.get(uuid) ?? null,
      forgetAttachment: async (uuid) => void blobs.delete(uuid),
      withSession: renewingSession(api, { o_u: oauth.o_u, sesskey: await api.createSesskey(oauth) }, () => api.createSesskey(oauth)),
      timing: TIMING,
      t: english,
      now: Date.now,
      random: Math.random,
    };
    server.control.clearLog();
    return { uuid: item.uuid, ports, blobs };
  }

  /** Runs delivery until the item is settled, as the worker's timers would. */
  async function drain(ports: DeliveryPorts): Promise<OutboxItem> {
    return vi.waitFor(
      async () => {
        await deliverDue(ports);
        const [item] = await ports.read();
        expect(item && settled(item)).toBe(true);
        return item!;
      },
      { timeout: 8_000, interval: 20 },
    );
  }

  it('looks for the message when the answer to sendMsg is lost after the write, and does not resend', async () => {
    const { uuid, ports } = await sendOne(WRITABLE);
    server.control.injectFaults({ kind: 'dropAfterWrite', req: 'sendMsg' });
    const item = await drain(ports);
    expect(requests()).toEqual(['sendMsg', 'getBookMessages']);
    expect(item.status).toBe('sent');
    expect(server.control.messagesWithUuid(WRITABLE.b_o, WRITABLE.b_c, uuid).map((m) => m.smid)).toEqual([item.smid]);
  });

  it('sends once more after each HTTP 500 it did not find written', async () => {
    const { uuid, ports } = await sendOne(WRITABLE);
    server.control.injectFaults({ kind: 'http500', req: 'sendMsg', count: 3 });
    const item = await drain(ports);
    // Three looks after the 500s, then the verification after the grace delay.
    expect(requests()).toEqual(Array.from({ length: 4 }, () => ['sendMsg', 'getBookMessages']).flat());
    expect(server.control.messagesWithUuid(WRITABLE.b_o, WRITABLE.b_c, uuid).map((m) => m.smid)).toEqual([item.smid]);
  });

  it('does not send again while a request without an answer may still be written: one copy, ever', { timeout: 10_000 }, async () => {
    const { uuid, ports } = await sendOne(WRITABLE);
    // Written 1 s after it arrived: long after the time-out and the first look, before the grace delay ends.
    server.control.injectFaults({ kind: 'delay', req: 'sendMsg', delayMs: 1_000 });
    const item = await drain(ports);
    // The first look finds nothing; the one after the grace delay finds the held write.
    expect(requests()).toEqual(['sendMsg', 'getBookMessages', 'getBookMessages']);
    expect(written(WRITABLE, uuid).map((m) => m.smid)).toEqual([item.smid]);
  });

  it('removes the copy of a request the server wrote only after the grace delay', { timeout: 10_000 }, async () => {
    const { uuid, ports } = await sendOne(WRITABLE);
    // Written 2.5 s after it arrived: after the look at the end of the grace delay found nothing and
    // the message went again, before the check the grace delay after that.
    server.control.injectFaults({ kind: 'delay', req: 'sendMsg', delayMs: 2_500 });
    const item = await drain(ports);
    expect(requests().filter((req) => req === 'sendMsg')).toHaveLength(2);
    expect(written(WRITABLE, uuid)).toHaveLength(2);
    expect(server.control.messagesWithUuid(WRITABLE.b_o, WRITABLE.b_c, uuid).map((m) => m.smid)).toEqual([item.smid]);
  });

  it('finds a message whose answer was lost after more than a page of messages came after it', async () => {
    const { uuid, ports } = await sendOne(WRITABLE);
    server.control.injectFaults({ kind: 'dropAfterWrite', req: 'sendMsg' });
    await deliverDue(ports);
    expect(written(WRITABLE, uuid)).toHaveLength(1);
    for (let i = 0; i < 120; i++) server.control.postAs('bob', WRITABLE.b_o, WRITABLE.b_c, `Meanwhile ${i}`);
    const item = await drain(ports);
    expect(item.status).toBe('sent');
    // Three pages, each older than the last, the third reaching messages older than the item.
    const looks = server.control.log().filter((entry) => entry.req === 'getBookMessages');
    expect(looks.map((entry) => entry.params.smidLast !== undefined)).toEqual([false, true, true]);
    expect(requests().filter((req) => req === 'sendMsg')).toHaveLength(1);
    expect(written(WRITABLE, uuid).map((m) => m.smid)).toEqual([item.smid]);
  });

  it('renews an expired session and sends once', async () => {
    const { uuid, ports } = await sendOne(WRITABLE);
    server.control.expireSessions();
    const item = await drain(ports);
    expect(requests()).toEqual(['sendMsg', 'createSesskey', 'sendMsg']);
    expect(server.control.messagesWithUuid(WRITABLE.b_o, WRITABLE.b_c, uuid).map((m) => m.smid)).toEqual([item.smid]);
  });

  it('fails, with the reason, a message for a book the user may only read', async () => {
    const { uuid, ports } = await sendOne(READ_ONLY);
    const item = await drain(ports);
    expect(item).toMatchObject({ status: 'failed', reason: 'You may not write in this book' });
    expect(requests()).toEqual(['sendMsg']);
    expect(written(READ_ONLY, uuid)).toEqual([]);
  });

  it('uploads the file again after each HTTP 500, once a look did not find it', async () => {
    const png = randomPng(4_096);
    const { uuid, ports, blobs } = await sendOne(WRITABLE, png.blob);
    server.control.injectFaults({ kind: 'http500', req: 'fileUpload', count: 2 });
    const item = await drain(ports);
    expect(item.status).toBe('sent');
    expect(requests()).toEqual(['sendMsg', 'fileUpload', 'getBookMessages', 'fileUpload', 'getBookMessages', 'fileUpload']);
    expect(server.control.messages(WRITABLE.b_o, WRITABLE.b_c, uuid)).toMatchObject([{ smid: item.smid, files: [png.stored] }]);
    expect(blobs.size).toBe(0);
  });

  it('finds the file when the answer to fileUpload is lost after the write, and does not upload it again', { timeout: 10_000 }, async () => {
    const png = randomPng(4_096);
    const { uuid, ports, blobs } = await sendOne(WRITABLE, png.blob);
    server.control.injectFaults({ kind: 'dropAfterWrite', req: 'fileUpload' });
    const item = await drain(ports);
    expect(item.status).toBe('sent');
    expect(requests()).toEqual(['sendMsg', 'fileUpload', 'getBookMessages']);
    expect(server.control.messages(WRITABLE.b_o, WRITABLE.b_c, uuid)).toMatchObject([{ smid: item.smid, files: [png.stored] }]);
    expect(blobs.size).toBe(0);
  });

  it('finds the file a held fileUpload wrote after its time-out, and does not upload it again', { timeout: 10_000 }, async () => {
    const png = randomPng(4_096);
    const { uuid, ports, blobs } = await sendOne(WRITABLE, png.blob);
    // Written 0.8 s after it arrived: long after the time-out, before the grace delay ends.
    server.control.injectFaults({ kind: 'delay', req: 'fileUpload', delayMs: 800 });
    const item = await drain(ports);
    expect(item.status).toBe('sent');
    expect(requests()).toEqual(['sendMsg', 'fileUpload', 'getBookMessages']);
    expect(server.control.messages(WRITABLE.b_o, WRITABLE.b_c, uuid)).toMatchObject([{ smid: item.smid, files: [png.stored] }]);
    expect(blobs.size).toBe(0);
  });
  /** The user's Undo, as the worker records it. */
  async function undo(ports: DeliveryPorts, uuid: string) {
    let refusal: string | null = null;
    await ports.change(uuid, (item) => {
      const answer = askUndo(english, item, Date.now(), TIMING);
      if ('refused' in answer) {
        refusal = answer.refused;
        return item;
      }
      return answer.item;
    });
    return refusal;
  }

  it('Undo of a send still in the outbox cancels it: no request goes', async () => {
    const { uuid, ports } = await sendOne(WRITABLE, randomPng(64).blob);
    expect(await undo(ports, uuid)).toBeNull();
    const item = await drain(ports);
    expect(item).toMatchObject({ status: 'undone', undo: { cancelled: true } });
    expect(requests()).toEqual([]);
    expect(written(WRITABLE, uuid)).toEqual([]);
  });

  it('Undo after delivery deletes the message, its file with it, in one request', async () => {
    const { uuid, ports } = await sendOne(WRITABLE, randomPng(4_096).blob);
    const sent = await drain(ports);
    expect(sent.status).toBe('sent');
    server.control.clearLog();
    expect(await undo(ports, uuid)).toBeNull();
    const item = await drain(ports);
    expect(item).toMatchObject({ status: 'undone', undo: { cancelled: false } });
    expect(requests()).toEqual(['deleteMsg']);
    expect(written(WRITABLE, uuid).map((m) => [m.smid, m.del])).toEqual([[sent.smid, true]]);
    expect(server.control.messagesWithUuid(WRITABLE.b_o, WRITABLE.b_c, uuid)).toEqual([]);
  });

  it('Undo is refused once the send was delivered more than 30 seconds ago', async () => {
    const { uuid, ports } = await sendOne(WRITABLE);
    const sent = await drain(ports);
    await ports.change(uuid, (item) => ({ ...item, sentAt: sent.sentAt! - 31_000 }));
    expect(await undo(ports, uuid)).toBe('Too late to undo: it was delivered more than 30 seconds ago.');
    expect((await ports.read())[0]).toMatchObject({ status: 'sent' });
  });

  it('Undo of a send whose answer was lost looks for every copy, deletes them, and looks again once no request may still write', { timeout: 10_000 }, async () => {
    const { uuid, ports } = await sendOne(WRITABLE);
    server.control.injectFaults({ kind: 'dropAfterWrite', req: 'sendMsg' });
    await deliverDue(ports);
    expect(written(WRITABLE, uuid)).toHaveLength(1);
    expect(await undo(ports, uuid)).toBeNull();
    const item = await drain(ports);
    expect(item).toMatchObject({ status: 'undone', undo: { cancelled: false } });
    expect(requests()).toEqual(['sendMsg', 'getBookMessages', 'deleteMsg', 'getBookMessages']);
    expect(written(WRITABLE, uuid).map((m) => m.del)).toEqual([true]);
  });

  it('Undo deletes a copy the server writes after the Undo from a request held past its time-out', { timeout: 10_000 }, async () => {
    const { uuid, ports } = await sendOne(WRITABLE);
    // Written 1 s after it arrived: after the Undo's first look found nothing.
    server.control.injectFaults({ kind: 'delay', req: 'sendMsg', delayMs: 1_000 });
    await deliverDue(ports);
    expect(await undo(ports, uuid)).toBeNull();
    const item = await drain(ports);
    expect(item.status).toBe('undone');
    expect(requests().filter((req) => req === 'sendMsg')).toHaveLength(1);
    expect(written(WRITABLE, uuid).map((m) => m.del)).toEqual([true]);
  });

  it('Undo goes on after deleteMsg fails or its answer is lost, and ends with the message deleted once', async () => {
    const { uuid, ports } = await sendOne(WRITABLE);
    await drain(ports);
    server.control.clearLog();
    server.control.injectFaults({ kind: 'http500', req: 'deleteMsg' }, { kind: 'dropAfterWrite', req: 'deleteMsg' });
    expect(await undo(ports, uuid)).toBeNull();
    const item = await drain(ports);
    expect(item).toMatchObject({ status: 'undone', reason: null });
    expect(requests()).toEqual(['deleteMsg', 'deleteMsg', 'deleteMsg']);
    expect(written(WRITABLE, uuid).map((m) => m.del)).toEqual([true]);
  });

  it('a send the server will not delete stays delivered, with the reason', async () => {
    const { uuid, ports } = await sendOne(WRITABLE);
    await drain(ports);
    server.control.injectFaults({ kind: 'nok', req: 'deleteMsg', errorCode: 'apiProcess201', errorMsg: 'no rights on this book' });
    expect(await undo(ports, uuid)).toBeNull();
    const item = await drain(ports);
    expect(item).toMatchObject({ status: 'sent', reason: expect.stringMatching(/^Not deleted: /) });
    expect(server.control.messagesWithUuid(WRITABLE.b_o, WRITABLE.b_c, uuid)).toHaveLength(1);
  });
});
