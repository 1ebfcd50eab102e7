/**
 * The demo data: four users and twelve books with messages, unread counts, an archived book, a
 * pending invitation, read-only members, hostile-looking text and one image. The same every time;
 * only message times follow the clock, so the demo always looks recent.
 */

import { deflateSync } from 'node:zlib';
import type { Invite, Right, ServerState } from './state';

export const DEMO_LOGIN = { login: 'demo', password: 'demo' } as const;

const USERS = [
  { u_c: 'demo', login: 'demo', email: 'demo@example.com', password: 'demo', firstName: 'Dana', lastName: 'Demo' },
  { u_c: 'alice', login: 'alice', email: 'alice@example.com', password: 'alice-pw', firstName: 'Alice', lastName: 'Martin' },
  { u_c: 'bob', login: 'bob', email: 'bob@example.com', password: 'bob-pw', firstName: 'Bob', lastName: 'Okafor' },
  { u_c: 'carla', login: 'carla', email: 'carla@example.com', password: 'carla-pw', firstName: 'Carla', lastName: 'Rossi' },
];

interface SeedBook {
  b_o: string;
  b_c: string;
  title: string;
  color: string;
  members: [u_c: string, right: Right, invite?: Invite][];
  /** Author and text, oldest first. */
  messages: [u_c: string, msg: string][];
  /** What demo has not read yet. */
  demoUnread?: number;
  demoArchived?: boolean;
  /** Hours since the last message. */
  hoursAgo: number;
}

export const HOSTILE_TEXT =
  'Customer pasted this in the contact form: <img src=x onerror=alert(1)> and <b>bold</b> — it must show as plain text.';

const BOOKS: SeedBook[] = [
  {
    b_o: 'alice', b_c: 'support-inbox', title: 'Support inbox', color: 'red', hoursAgo: 0.5, demoUnread: 3,
    members: [['demo', 2], ['bob', 2], ['carla', 1]],
    messages: [
      ['bob', "Ticket #4821: a customer can't reset their password from the mobile app."],
      ['alice', 'Reproduced on Android 14, looking into it.'],
      ['bob', HOSTILE_TEXT],
      ['alice', 'Fix for #4821 is deployed, please confirm with the customer.'],
      ['bob', 'Confirmed by the customer, closing the ticket.'],
    ],
  },
  {
    b_o: 'demo', b_c: 'marketing-2027', title: 'Marketing plan 2027', color: 'orange', hoursAgo: 2, demoUnread: 1,
    members: [['alice', 2], ['bob', 1], ['carla', 2]],
    messages: [
      ['alice', 'Draft of the Q1 campaign brief is in the shared folder, comments welcome by Friday.'],
      ['demo', "Thanks! I'll go through it tonight."],
      ['carla', 'The trade fair budget looks low compared to 2026. Can we add 15%?'],
      ['alice', 'Agreed, the sheet is updated.'],
    ],
  },
  {
    b_o: 'alice', b_c: 'hiring-frontend', title: 'Hiring: frontend engineer', color: 'bleu-violet', hoursAgo: 3, demoUnread: 2,
    members: [['demo', 3], ['bob', 2]],
    messages: [
      ['alice', 'Three candidates for the second round: Jonas, Priya and Mehdi.'],
      ['bob', "Priya's take-home exercise was excellent."],
      ['alice', 'Interviews next week. Dana, can you join on Wednesday at 14:00?'],
    ],
  },
  {
    b_o: 'carla', b_c: 'recipes', title: 'Recipes', color: 'green', hoursAgo: 5, demoUnread: 2,
    members: [['demo', 2], ['alice', 2]],
    messages: [
      ['carla', "Grandma's lemon tart: 250 g flour, 125 g butter, 3 lemons, 150 g sugar, 3 eggs."],
      ['demo', 'Made it on Sunday, everyone loved it!'],
      ['alice', 'Does anyone have a good vegan lasagna recipe?'],
      ['carla', "Yes: lentils, and a béchamel with oat milk. I'll post the details tonight."],
    ],
  },
  {
    b_o: 'bob', b_c: 'team-offsite', title: 'Team offsite – Lisbon', color: 'bleu-turquoise', hoursAgo: 8, demoUnread: 1,
    members: [['demo', 2], ['alice', 2], ['carla', 2]],
    messages: [
      ['bob', 'Flights are booked for 14–16 May. The hotel is near Praça do Comércio.'],
      ['carla', 'Can we keep half a day for the roadmap workshop?'],
      ['demo', '+1, mornings work best for me.'],
      ['bob', 'Thursday morning it is.'],
    ],
  },
  {
    b_o: 'demo', b_c: 'house-renovation', title: 'House renovation', color: 'bleu-nuit', hoursAgo: 11,
    members: [['carla', 3]],
    messages: [
      ['demo', 'The electrician comes on Tuesday at 8:00.'],
      ['carla', 'Paint sample for the kitchen'],
      ['demo', "Love that colour, let's go with it."],
    ],
  },
  {
    b_o: 'bob', b_c: 'community-garden', title: 'Community garden', color: 'vert-pastel', hoursAgo: 20, demoUnread: 2,
    members: [['demo', 1], ['carla', 2]],
    messages: [
      ['bob', 'The watering rota for July is up on the shed door.'],
      ['carla', "The tomatoes need stakes, I'll bring some on Saturday."],
      ['bob', 'Reminder: general meeting on the 3rd at 18:30.'],
    ],
  },
  {
    b_o: 'demo', b_c: 'trip-japan', title: 'Trip to Japan', color: 'pink', hoursAgo: 26, demoUnread: 1,
    members: [['bob', 2]],
    messages: [
      ['bob', 'JR passes ordered.'],
      ['demo', 'Ryokan in Kyoto confirmed for 3 nights.'],
      ['bob', 'Should we add a day trip to Nara?'],
    ],
  },
  {
    b_o: 'carla', b_c: 'invoices-q3', title: 'Invoices Q3', color: 'gray', hoursAgo: 40, demoUnread: 1, demoArchived: true,
    members: [['demo', 2], ['alice', 2]],
    messages: [
      ['carla', 'Invoice 2026-0917 sent to Dupont & Fils.'],
      ['alice', 'Payment received for 2026-0902.'],
    ],
  },
  {
    b_o: 'demo', b_c: 'reading-list', title: 'Reading list', color: 'lilas', hoursAgo: 60,
    members: [['alice', 2]],
    messages: [
      ['demo', "Next up: 'The Left Hand of Darkness'."],
      ['alice', "Finished 'Piranesi', highly recommended."],
    ],
  },
  {
    b_o: 'alice', b_c: 'product-roadmap', title: 'Product roadmap', color: 'noir', hoursAgo: 72,
    members: [['demo', 2, 'sent'], ['bob', 2]],
    messages: [['alice', 'The H2 roadmap is drafted; inviting a few more people to review it.']],
  },
  {
    b_o: 'bob', b_c: 'bike-club', title: 'Bike club', color: 'jaune-indien', hoursAgo: 30,
    members: [['alice', 2], ['carla', 2]],
    messages: [
      ['bob', 'Sunday ride: 60 km, meeting at the bakery at 9:00.'],
      ['carla', 'Count me in.'],
    ],
  },
];

/** The seeded image: the message of `house-renovation` that says "Paint sample". */
export const DEMO_IMAGE = { b_o: 'demo', b_c: 'house-renovation', internName: 'pNtSmPl16a.png', originName: 'paint-sample.png' };

/** The users alone, for a server without books. */
export function seedUsers(state: ServerState): void {
  for (const u of USERS) state.addUser(u);
}

export function seedDemo(state: ServerState): void {
  seedUsers(state);
  const nowSeconds = Math.floor(state.now() / 1000);
  for (const spec of BOOKS) {
    state.addBook({
      b_o: spec.b_o,
      b_c: spec.b_c,
      title: spec.title,
      coverColor: spec.color,
      members: spec.members.map(([u_c, right, invite]) => ({ u_c, right, invite: invite ?? 'accepted' })),
    });
    const count = spec.messages.length;
    spec.messages.forEach(([author, msg], i) => {
      // Deterministic ids keep links and tests stable across resets.
      const uuid = `seed-${spec.b_o}-${spec.b_c}-${i + 1}`;
      const isImage = spec.b_c === DEMO_IMAGE.b_c && msg.startsWith('Paint sample');
      const { message } = state.postMessage(author, spec.b_o, spec.b_c, { msg, uuid, nbMedias: isImage ? 1 : 0 });
      message.created = message.lastModified = nowSeconds - Math.round(spec.hoursAgo * 3600) - (count - 1 - i) * 1380;
      if (isImage) {
        state.attachFile(author, spec.b_o, spec.b_c, message.smid, {
          uuid: `${uuid}-img`,
          originName: DEMO_IMAGE.originName,
          internName: DEMO_IMAGE.internName,
          contentType: 'image/png',
          bytes: solidPng(16, 16, [0x2a, 0x9d, 0x8f]),
        });
        message.lastModified = message.created;
      }
    });
    for (const [u_c] of [[spec.b_o], ...spec.members]) {
      state.setUnread(u_c, spec.b_o, spec.b_c, u_c === 'demo' ? (spec.demoUnread ?? 0) : 0);
    }
    if (spec.demoArchived) state.setArchived('demo', spec.b_o, spec.b_c, true);
  }
}

/** How many books and messages a generated account holds (`--books`, `--messages`). */
export interface GeneratedAccount {
  books: number;
  messages: number;
}

const TOPICS = ['Project', 'Client', 'Support', 'Hiring', 'Budget', 'Roadmap', 'Café', 'Équipe', 'Release', 'Invoices'];
const LINES = [
  'The numbers are in the shared sheet, comments welcome by Friday.',
  'Meeting moved to Thursday at 10:00, same room.',
  'Draft is ready for review; the last section still needs figures.',
  "Thanks, I'll look at it this afternoon.",
  'Customer confirmed the fix, closing the ticket.',
];

/**
 * A large account for `demo`, besides the seed: `books` books of the four demo users, each with
 * `demo` and two others as members, and `messages` messages spread over them, a few of them unread.
 * The same every time, like the demo data; message times spread over the past year.
 */
export function seedGeneratedAccount(state: ServerState, size: GeneratedAccount): void {
  const owners = USERS.map((user) => user.u_c);
  const nowSeconds = Math.floor(state.now() / 1000);
  const keys: { b_o: string; b_c: string }[] = [];
  for (let i = 0; i < size.books; i++) {
    const b_o = owners[i % owners.length]!;
    const b_c = `generated-${i + 1}`;
    const others = owners.filter((u_c) => u_c !== b_o && u_c !== 'demo').slice(0, 2);
    const members = b_o === 'demo' ? others : ['demo', ...others.slice(0, 1)];
    state.addBook({ b_o, b_c, title: `${TOPICS[i % TOPICS.length]} ${i + 1}`, members: members.map((u_c) => ({ u_c })) });
    keys.push({ b_o, b_c });
  }
  if (keys.length === 0) return;
  for (let m = 0; m < size.messages; m++) {
    const { b_o, b_c } = keys[m % keys.length]!;
    const book = state.getBook(b_o, b_c);
    const author = book.members[m % book.members.length]!.u_c;
    const { message } = state.postMessage(author, b_o, b_c, { msg: `${LINES[m % LINES.length]} (${m + 1})`, uuid: `generated-${m + 1}` });
    // Older messages first; the last ones of the run within the last hours.
    message.created = message.lastModified = nowSeconds - Math.round(((size.messages - m) / size.messages) * 365 * 24 * 3600);
  }
  keys.forEach(({ b_o, b_c }, i) => state.setUnread('demo', b_o, b_c, i % 9 === 0 ? 1 + (i % 4) : 0));
}

// ---- a PNG built in code ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid RGB PNG of one colour. */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, truecolour, no interlace
  const row = Buffer.alloc(1 + width * 3); // filter byte 0, then pixels
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
