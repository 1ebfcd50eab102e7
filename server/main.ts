/**
 * Runs the local TimeTonic-compatible server until SIGINT/SIGTERM:
 *   tsx server/main.ts [--port 8750] [--host 127.0.0.1] [--seed demo|empty] [--no-absorb-uuid]
 *                      [--books 2000 --messages 100000]
 * The port can also come from TTC_PORT. `--books`/`--messages`: a large account for demo, generated
 * besides the seed. `--no-absorb-uuid`: a repeated sendMsg/fileUpload uuid makes
 * another message (or file) instead of returning the one it made.
 */

import { parseArgs } from 'node:util';
import { DEMO_LOGIN, startServer } from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: 'demo' },
    'no-absorb-uuid': { type: 'boolean', default: false },
    books: { type: 'string' },
    messages: { type: 'string' },
  },
});

const port = Number(values.port ?? process.env.TTC_PORT ?? 8750);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`bad port: ${values.port ?? process.env.TTC_PORT}`);
  process.exit(2);
}
if (values.seed !== 'demo' && values.seed !== 'empty') {
  console.error(`bad seed: ${values.seed} (demo or empty)`);
  process.exit(2);
}

const count = (name: 'books' | 'messages'): number => {
  const value = Number(values[name] ?? 0);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`bad --${name}: ${values[name]} (a whole number)`);
    process.exit(2);
  }
  return value;
};
const generated = values.books || values.messages ? { books: count('books'), messages: count('messages') } : undefined;
if (generated && generated.messages > 0 && generated.books === 0) {
  console.error('--messages needs --books to put them in');
  process.exit(2);
}

const server = await startServer({ port, host: values.host, seed: values.seed, generated, absorbRepeatedUuid: !values['no-absorb-uuid'] });
console.log(`TimeTonic-compatible server at ${server.url} (API: ${server.url}/live/api.php)`);
if (generated) console.log(`Besides the seed: ${generated.books} generated books, ${generated.messages} messages.`);
console.log(`Seed: ${values.seed}. Sign in as login "${DEMO_LOGIN.login}", password "${DEMO_LOGIN.password}".`);
if (values['no-absorb-uuid']) console.log('A repeated uuid makes another message or file.');
console.log(`Controls: ${server.url}/__control/ (see server/README.md)`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    void server.close().then(() => process.exit(0));
  });
}
