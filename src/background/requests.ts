/** Answers the popup's and the options page's requests, and only theirs. */
import browser, { type Runtime } from '../shared/browser';
import type { Request, RequestHandlers } from '../shared/messages';
import { dropOtherSessions, signIn, signOut } from './session';
import { exclusive, poll } from './sync';

const handlers: RequestHandlers = {
  async signIn({ login, password }) {
    const outcome = await exclusive(() => signIn(login, password));
    if (outcome.ok) await poll({ kind: 'signIn' });
    return outcome;
  },
  async signOut() {
    await exclusive(() => signOut());
    return { ok: true };
  },
  dropOtherSessions: () => exclusive(dropOtherSessions),
  async pollNow() {
    await poll({ kind: 'popup' });
    return { ok: true };
  },
};

/** Our own pages only: another extension or a web page gets no answer. */
function fromOurPages(sender: Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && (sender.url ?? '').startsWith(browser.runtime.getURL(''));
}

export function onMessage(message: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined {
  if (!fromOurPages(sender) || !isRequest(message)) return undefined;
  const handler = handlers[message.type] as (request: Request) => Promise<unknown>;
  return handler(message);
}

function isRequest(message: unknown): message is Request {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  return typeof type === 'string' && Object.hasOwn(handlers, type);
}
