/**
 * The delay from another user's post to the badge, in Chromium with the built extension signed in
 * to the local server: measured over the message socket; computed for polling at one minute from
 * the real schedule (a post waits for the next poll alarm), since measuring it would take 50 minutes.
 */
import { startServer } from '../server';
import { NEWS_WINDOW_MS } from '../src/domain/live';
import { pollPeriodFor } from '../src/domain/rhythm';
import { loadExtension, signInThroughPopup } from '../harness/extension';
import { percentileOf } from './popup';

export const POSTS = 50;

export interface LiveDelays {
  /** Post to badge over the socket, ms, one per post. */
  socket: number[];
  /** Post to badge with polling every minute, ms, computed for posts spread evenly over the period. */
  polling: number[];
}

export async function postToBadgeDelays(): Promise<LiveDelays> {
  const server = await startServer({ seed: 'demo' });
  const extension = await loadExtension();
  try {
    await extension.setServer(server.url);
    const popup = await extension.openPopup();
    await signInThroughPopup(popup, 'demo', 'demo');
    await popup.getByRole('button', { name: /^Support inbox/ }).waitFor({ timeout: 15_000 });
    await popup.close();
    const live = () => extension.inExtension(async () => ((await chrome.storage.session.get('liveStatus')).liveStatus as { state?: string } | undefined)?.state);
    while ((await live()) !== 'live') await new Promise((resolve) => setTimeout(resolve, 50));

    const socket: number[] = [];
    for (let i = 0; i < POSTS; i++) {
      const start = performance.now();
      server.control.postAs('bob', 'alice', 'support-inbox', `Post ${i}`);
      const expected = String(server.control.unreadTotal('demo'));
      while ((await extension.badgeText()) !== expected) {
        if (performance.now() - start > 30_000) throw new Error(`post ${i} did not reach the badge`);
      }
      const delay = performance.now() - start;
      socket.push(delay);
      // Posts a window apart, so that each is a first push and none is coalesced with the one before.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, NEWS_WINDOW_MS - delay)));
    }

    // Polling at one minute: a post made `offset` after a poll waits for the next alarm, then for a
    // poll to reach the badge (the socket's own delay less the push, a few ms, is taken as that).
    const periodMs = pollPeriodFor('active', 1)! * 60_000;
    const pollToBadge = percentileOf(socket, 50);
    const polling = Array.from({ length: POSTS }, (_, i) => periodMs - ((i + 0.5) * periodMs) / POSTS + pollToBadge);
    return { socket, polling };
  } finally {
    await extension.close();
    await server.close();
  }
}
