/**
 * Run-time shapes of the TimeTonic replies, as far as this client relies on them.
 *
 * The server is lenient in how it spells values (numbers as strings, booleans as 0/1, a field absent
 * or null), so each schema accepts those spellings and outputs one clean type. Only what the
 * extension reads is required: the live server leaves out some documented fields and adds others,
 * and a reply must never be refused for a field nobody reads. Anything the caller needs that is
 * missing makes the reply a `badReply`, never an `undefined` further down.
 */
import * as v from 'valibot';

/**
 * A server stamp, id or count: JSON number or a string of digits, a whole number this side can
 * hold exactly. A larger one would be rounded, and a rounded stamp asks for the wrong delta.
 */
const counter = v.union([
  v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  // 15 digits are always below 2^53.
  v.pipe(v.string(), v.regex(/^\d{1,15}$/), v.transform(Number)),
]);
const optionalCounter = v.nullish(counter, 0);

/** true/false, or 1/0 and "1"/"0" as the socket messages spell it. */
const flag = v.nullish(
  v.union([v.boolean(), v.pipe(v.picklist([0, 1, '0', '1']), v.transform((x) => x === 1 || x === '1'))]),
  false,
);
const text = v.nullish(v.string(), '');
/** A value shown or passed on, never computed with: any spelling will do, a missing one is empty. */
const loose = v.fallback(v.pipe(v.nullish(v.union([v.string(), v.number()]), ''), v.transform(String)), '');
/** media (images, audio, video) or doc; another word from a newer server counts as a document. */
const fileKind = v.pipe(v.nullish(v.string(), 'media'), v.transform((kind): 'media' | 'doc' => (kind === 'doc' ? 'doc' : 'media')));

export const statusSchema = v.looseObject({
  status: v.string(),
  errorCode: v.optional(v.unknown()),
  errorMsg: v.optional(v.unknown()),
  error: v.optional(v.unknown()),
});

export const appkeyReply = v.object({ appkey: v.pipe(v.string(), v.minLength(1)) });

export const oauthkeyReply = v.object({
  oauthkey: v.pipe(v.string(), v.minLength(1)),
  o_u: v.pipe(v.string(), v.minLength(1)),
});

export const sesskeyReply = v.object({ sesskey: v.pipe(v.string(), v.minLength(1)) });

export const okReply = v.object({});

export const stampReply = v.object({ sstamp: counter });

export const mediaSchema = v.object({
  id: loose,
  ext: text,
  originName: text,
  internName: text,
  uuid: text,
  size: v.fallback(optionalCounter, 0),
  type: fileKind,
  del: flag,
});

export const messageSchema = v.object({
  smid: counter,
  uuid: text,
  u_c: text,
  created: optionalCounter,
  lastModified: optionalCounter,
  sstamp: optionalCounter,
  del: flag,
  msg: text,
  msgBody: text,
  msgType: text,
  nbMedias: optionalCounter,
  nbDocs: optionalCounter,
  nbComments: optionalCounter,
  medias: v.nullish(v.array(mediaSchema), []),
});

const memberSchema = v.object({
  u_c: text,
  invite: text,
  right: v.fallback(optionalCounter, 0),
});

/**
 * A book as getAllBooks and getBookInfo send it. A deleted book comes back in a delta as little
 * more than `{b_c, b_o, del: true}`, so everything but the name has a default.
 */
export const bookSchema = v.object({
  b_c: v.pipe(v.string(), v.minLength(1)),
  b_o: v.pipe(v.string(), v.minLength(1)),
  sstamp: optionalCounter,
  del: flag,
  accepted: v.nullish(v.boolean(), true),
  archived: flag,
  favorite: flag,
  order: optionalCounter,
  nbNotRead: optionalCounter,
  nbMembers: v.fallback(optionalCounter, 0),
  nbMsgs: v.fallback(optionalCounter, 0),
  lastMsgRead: v.fallback(optionalCounter, 0),
  contact_u_c: v.fallback(v.nullish(v.string(), null), null),
  members: v.nullish(v.array(memberSchema), []),
  lastMsg: v.nullish(messageSchema, null),
  ownerPrefs: v.nullish(v.object({ title: text }), { title: '' }),
});

export const contactSchema = v.object({
  u_c: v.string(),
  firstName: text,
  lastName: text,
  sstamp: v.fallback(optionalCounter, 0),
  isConfirmed: v.fallback(flag, false),
});

export const allBooksReply = v.object({
  sstamp: counter,
  allBooks: v.object({
    nbBooks: optionalCounter,
    contacts: v.nullish(v.array(contactSchema), []),
    books: v.array(bookSchema),
  }),
});

export const bookInfoReply = v.object({ sstamp: counter, book: bookSchema });

/** The example names the list `bookMessages`, the text of "Return values" `messages`: either is read. */
export const bookMessagesReply = v.pipe(
  v.object({
    sstamp: counter,
    bookMessages: v.optional(v.array(messageSchema)),
    messages: v.optional(v.array(messageSchema)),
  }),
  v.check((r) => r.bookMessages !== undefined || r.messages !== undefined, 'bookMessages is missing'),
  v.transform((r) => ({ sstamp: r.sstamp, messages: r.bookMessages ?? r.messages ?? [] })),
);

export const userInfoReply = v.object({
  sstamp: counter,
  userInfo: v.optional(
    v.object({
      u_c: text,
      sstamp: optionalCounter,
      nbBooks: optionalCounter,
      userPrefs: v.optional(
        v.object({ fname: text, lname: text, mail1: text, lang: text }),
        { fname: '', lname: '', mail1: '', lang: '' },
      ),
    }),
  ),
});

/** The text says fileUpload should use "the returned createMessageId value"; older servers say `smid`. */
export const sendMsgReply = v.pipe(
  v.object({
    sstamp: optionalCounter,
    createMessageId: v.optional(counter),
    smid: v.optional(counter),
    uuid: v.optional(v.string()),
  }),
  v.check((r) => r.createMessageId !== undefined || r.smid !== undefined, 'createMessageId is missing'),
  v.transform((r) => ({ sstamp: r.sstamp, smid: (r.createMessageId ?? r.smid)!, uuid: r.uuid })),
);

/** An `ok` is what the upload needs; the rest describes the stored file, when the server says it. */
export const fileUploadReply = v.object({
  smid: v.fallback(optionalCounter, 0),
  uuid: text,
  id: loose,
  type: fileKind,
  mdc: v.fallback(optionalCounter, 0),
  ext: text,
  originName: text,
  internName: text,
});

/**
 * A field of a smart table. The API text shows none (its example has `"fields": null`): `type` is
 * kept as sent (an unknown word is the caller's to ignore), `format` is a date's expected form.
 */
const tableFieldSchema = v.object({
  id: counter,
  name: text,
  type: text,
  format: text,
  readOnly: flag,
});

const tableSchema = v.object({
  id: counter,
  name: text,
  fields: v.nullish(v.array(tableFieldSchema), []),
});

/** A book's tables; `rights.modify` says whether the user may write rows (unknown: assumed yes). */
export const bookTablesReply = v.pipe(
  v.object({
    bookTables: v.object({
      rights: v.nullish(v.object({ modify: v.nullish(v.boolean(), true) }), { modify: true }),
      categories: v.nullish(v.array(tableSchema), []),
    }),
  }),
  v.transform((r) => ({ canWrite: r.bookTables.rights.modify, tables: r.bookTables.categories })),
);

/** A file in a cell, as table reads list them. */
const cellFileSchema = v.object({ id: loose, uuid: text, originName: text, internName: text, size: v.fallback(optionalCounter, 0) });

/** A cell: text (numbers and flags as text), or the files of a file field; anything else is empty. */
const cellSchema = v.fallback(
  v.union([
    v.pipe(v.union([v.string(), v.number(), v.boolean()]), v.transform(String)),
    v.array(cellFileSchema),
    v.pipe(v.null(), v.transform(() => '')),
  ]),
  '',
);

/**
 * getTableValues in the `diff_ready_rows` format: `{rowId: {fieldId: value}}`. `nbRows` (how many
 * rows the table has, so the newest can be asked for) is the local server's; absent, unknown.
 */
export const tableValuesReply = v.pipe(
  v.object({
    values: v.object({
      nbRows: v.optional(counter),
      rows: v.record(v.string(), v.record(v.string(), cellSchema)),
    }),
  }),
  v.transform((r) => ({
    nbRows: r.values.nbRows,
    rows: Object.entries(r.values.rows).flatMap(([id, cells]) => (/^\d{1,15}$/.test(id) ? [{ id: Number(id), cells }] : [])),
  })),
);

export const tableRowsReply = v.object({
  nbRows: v.optional(counter),
  rows: v.array(v.object({ id: counter, fieldValues: v.nullish(v.record(v.string(), cellSchema), {}) })),
});

/** `newRows` names the row made for each `tmp` id; an update has none. */
export const tableRowReply = v.object({
  newRows: v.nullish(v.array(v.object({ id: counter, tmpId: text })), []),
});

export const deletedRowReply = v.object({ deletedRow: v.object({ id: counter }) });

export type Book = v.InferOutput<typeof bookSchema>;
export type BookMessage = v.InferOutput<typeof messageSchema>;
export type Media = v.InferOutput<typeof mediaSchema>;
export type Contact = v.InferOutput<typeof contactSchema>;
export type UploadedFile = v.InferOutput<typeof fileUploadReply>;
export type TableField = v.InferOutput<typeof tableFieldSchema>;
export type TableInfo = v.InferOutput<typeof tableSchema>;
export type TableCell = v.InferOutput<typeof cellSchema>;
export type UserInfo = NonNullable<v.InferOutput<typeof userInfoReply>['userInfo']>;
