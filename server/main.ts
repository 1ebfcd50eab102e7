/**
 * Runs the local TimeTonic-compatible server until SIGINT/SIGTERM:
 *   tsx server/main.ts [--port 8750] [--host 127.0.0.1] [--seed demo|empty] [--no-absorb-uuid]
 * The port can also come from TTC_PORT. `--no-absorb-uuid`: a repeated sendMsg/fileUpload uuid makes
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

const server = await startServer({ port, host: values.host, seed: values.seed, absorbRepeatedUuid: !values['no-absorb-uuid'] });
console.log(`TimeTonic-compatible server at ${server.url} (API: ${server.url}/live/api.php)`);
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
