/**
 * The demo behind `npm start`: builds the extension, starts the local TimeTonic-compatible server
 * with its demo data, and opens Chromium with the extension loaded, pointed at that server and
 * signed out. Without a display, the server stays up for loading `dist/` by hand.
 */
import { build } from 'vite';
import { startServer } from '../server';
import { DEMO_LOGIN } from '../server/demo';
import { CHROMIUM_PATH, DIST, loadExtension } from '../harness/extension';

const port = Number(process.env.TTC_PORT ?? 8750);

console.log('Building the extension…');
await build({ logLevel: 'warn' });

const server = await startServer({ port, seed: 'demo' });
console.log(`
Local TimeTonic server: ${server.url}
Demo login: ${DEMO_LOGIN.login}   password: ${DEMO_LOGIN.password}
`);

let stopping = false;
async function stop(code = 0): Promise<never> {
  if (!stopping) {
    stopping = true;
    await server.close();
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.log(`No display here, so no browser opens. The server stays up (Ctrl+C stops it).
To try the extension: in Chrome or Chromium open chrome://extensions, turn on Developer mode,
"Load unpacked" the folder ${DIST}, then in the extension's options set
"TimeTonic server" to ${server.url}. On a machine without a screen: xvfb-run npm start`);
} else {
  // A fresh profile: the install opens the welcome tab, as it does for a new user.
  const extension = await loadExtension({ headless: false, keepWelcome: true }).catch((error: unknown) => {
    console.error(`Cannot start Chromium (${CHROMIUM_PATH}): ${String(error)}`);
    return stop(1);
  });
  await extension.setServer(server.url);
  console.log('Chromium is open on the welcome tab of TimeTonic Companion, signed out. Close the browser or press Ctrl+C to stop.');
  extension.context.on('close', () => void stop());
}
