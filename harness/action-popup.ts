/**
 * The extension's real toolbar popup (the action's), once the browser opened it. Playwright does not
 * attach to an extension's action popup (it lists tabs only), so this reaches it through the Chrome
 * DevTools Protocol: it finds the popup among the browser's targets, attaches to it, and drives it
 * with real mouse and keyboard input, reading it with script.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export interface ActionPopup {
  /** Runs an expression in the popup's page and returns its JSON value (a promise is awaited). */
  evaluate<T>(expression: string): Promise<T>;
  /** Clicks with the mouse in the middle of the first element `selector` matches in the popup. */
  click(selector: string): Promise<void>;
  /** Whether the popup is still open. */
  isOpen(): Promise<boolean>;
  detach(): Promise<void>;
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/**
 * Waits for the action popup of extension `id` to show (opened by a shortcut, say), then attaches to
 * it. `anchor` is any page of the context: its DevTools session carries the popup's.
 */
export async function attachActionPopup(context: BrowserContext, anchor: Page, id: string, timeoutMs = 10_000): Promise<ActionPopup> {
  const cdp = await context.newCDPSession(anchor);
  const popupUrl = `chrome-extension://${id}/src/popup/index.html`;
  const deadline = Date.now() + timeoutMs;
  let target: TargetInfo | undefined;
  // Polling the browser's list of targets: an action popup sends no event a page session hears.
  while (!(target = ((await cdp.send('Target.getTargets')).targetInfos as TargetInfo[]).find((info) => info.type === 'page' && info.url === popupUrl))) {
    if (Date.now() > deadline) {
      await cdp.detach();
      throw new Error(`No action popup of ${id} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  return popupSession(cdp, sessionId, target.targetId);
}

/** Commands to the popup go inside this session's messages (not flattened: Playwright's session does not route another's). */
function popupSession(cdp: CDPSession, sessionId: string, targetId: string): ActionPopup {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
    const pending = message.id === undefined ? undefined : waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id!);
    if (message.error) pending.reject(new Error(message.error.message));
    else pending.resolve(message.result);
  });
  const send = <T>(method: string, params: object = {}): Promise<T> => {
    const id = nextId++;
    const answered = new Promise<T>((resolve, reject) => waiting.set(id, { resolve: resolve as (result: unknown) => void, reject }));
    void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch((error: Error) => {
      waiting.get(id)?.reject(error);
      waiting.delete(id);
    });
    return answered;
  };
  const evaluate = async <T>(expression: string): Promise<T> => {
    const { result, exceptionDetails } = await send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true },
    );
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value as T;
  };
  return {
    evaluate,
    async click(selector) {
      const box = await evaluate<{ x: number; y: number } | null>(`(() => {
        const element = document.querySelector(${JSON.stringify(selector)});
        if (!element) return null;
        element.scrollIntoView({ block: 'center' });
        const { left, top, width, height } = element.getBoundingClientRect();
        return { x: left + width / 2, y: top + height / 2 };
      })()`);
      if (!box) throw new Error(`Nothing in the popup matches ${selector}`);
      for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
        await send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: type === 'mouseMoved' ? 0 : 1 });
      }
    },
    async isOpen() {
      const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
      return targetInfos.some((info) => info.targetId === targetId);
    },
    async detach() {
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    },
  };
}
