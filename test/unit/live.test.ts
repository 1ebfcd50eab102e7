import { describe, expect, it } from 'vitest';
import {
  closeMeaning,
  failuresAfterClose,
  HEALTHY_AFTER_MS,
  IDLE_THROTTLE,
  onNews,
  onTrailingPoll,
  pingTick,
  readFrame,
  RECONNECT_MAX_MS,
  RECONNECT_MIN_MS,
  reconnectDelayMs,
  socketAddress,
  socketWanted,
  type NewsThrottle,
} from '../../src/domain/live';
import { pollPeriodFor, SAFETY_NET_POLL_MINUTES } from '../../src/domain/rhythm';
import { seededRandom } from '../../harness/seeded-random';

describe('the socket address', () => {
  it("is TimeTonic's own port for timetonic.com, as its PHP SDK connects", () => {
    expect(socketAddress('https://timetonic.com')).toBe('wss://timetonic.com:10100');
  });

  it('is the same host and port with ws or wss and /socket for any other server', () => {
    expect(socketAddress('http://127.0.0.1:8750')).toBe('ws://127.0.0.1:8750/socket');
    expect(socketAddress('https://tt.example.org')).toBe('wss://tt.example.org/socket');
    expect(socketAddress('https://tt.example.org:8443/base')).toBe('wss://tt.example.org:8443/socket');
    expect(socketAddress('http://timetonic.com')).toBe('ws://timetonic.com/socket');
  });

  it('is the override when one is given, and nothing for an address that is not a socket', () => {
    expect(socketAddress('https://timetonic.com', ' wss://other.example:9000/ws ')).toBe('wss://other.example:9000/ws');
    expect(socketAddress('https://timetonic.com', 'https://nope')).toBeNull();
    expect(socketAddress('not a url')).toBeNull();
    expect(socketAddress('ftp://example.org')).toBeNull();
  });
});

describe('reconnecting', () => {
  it('waits about a second at first, doubling up to five minutes, each wait with jitter', () => {
    const random = seededRandom(7);
    for (let failures = 0; failures < 30; failures++) {
      const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** failures);
      const delay = reconnectDelayMs(failures, random);
      expect(delay).toBeGreaterThanOrEqual(Math.max(RECONNECT_MIN_MS, ceiling / 2));
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
    expect(reconnectDelayMs(0, () => 0.999)).toBeLessThanOrEqual(1000);
    expect(reconnectDelayMs(100, () => 0.999)).toBeLessThanOrEqual(5 * 60_000);
    // Jitter: clients dropped together do not come back together.
    const spread = new Set(Array.from({ length: 20 }, () => reconnectDelayMs(6, random)));
    expect(spread.size).toBeGreaterThan(10);
  });

  it('starts over after a connection healthy for a minute, and counts a failure otherwise', () => {
    expect(failuresAfterClose(5, 0, HEALTHY_AFTER_MS)).toBe(0);
    expect(failuresAfterClose(5, 0, HEALTHY_AFTER_MS - 1)).toBe(6);
    expect(failuresAfterClose(2, null, 10 ** 9)).toBe(3);
  });

  it('gives a connection up after two unanswered pings', () => {
    expect(pingTick(0)).toBe('ping');
    expect(pingTick(1)).toBe('ping');
    expect(pingTick(2)).toBe('dead');
  });

  it('tells a refused session from any other close', () => {
    expect(closeMeaning(1008, 'expiredSesskey')).toBe('sessionRefused');
    expect(closeMeaning(4001, 'invalid sesskey')).toBe('sessionRefused');
    expect(closeMeaning(1006, '')).toBe('other');
    expect(closeMeaning(1000, '')).toBe('other');
  });

  it('is wanted while signed in, online and the screen not locked; idle keeps it', () => {
    expect(socketWanted(true, true, 'active')).toBe(true);
    expect(socketWanted(true, true, 'idle')).toBe(true);
    expect(socketWanted(true, true, 'locked')).toBe(false);
    expect(socketWanted(false, true, 'active')).toBe(false);
    expect(socketWanted(true, false, 'active')).toBe(false);
  });
});

describe('frames', () => {
  it('reads news, pongs and acknowledgements', () => {
    expect(readFrame('{"type":8,"u_c":"bob"}')).toEqual({ kind: 'news' });
    expect(readFrame('{"type":1,"msg":"Hi"}')).toEqual({ kind: 'news' });
    expect(readFrame('{"type":10,"status":"ok"}')).toEqual({ kind: 'pong' });
    expect(readFrame('{"type":12,"status":"ok","uuid":"u1"}')).toEqual({ kind: 'systemAck', uuid: 'u1', ok: true });
    expect(readFrame('{"type":12,"status":"ok"}')).toEqual({ kind: 'systemAck', uuid: null, ok: true });
    expect(readFrame('{"type":12,"status":"nok","uuid":"u2"}')).toEqual({ kind: 'systemAck', uuid: 'u2', ok: false });
  });

  it('tells unknown types from what cannot be read, and never throws', () => {
    expect(readFrame('{"type":2,"status":"ok"}')).toEqual({ kind: 'unknown' });
    expect(readFrame('{"type":99}')).toEqual({ kind: 'unknown' });
    for (const bad of ['', 'garbage', '{', '[1,2]', 'null', '42', '"text"', '{"type":"8"}', '{}']) {
      expect(readFrame(bad)).toEqual({ kind: 'unreadable' });
    }
    expect(readFrame(new ArrayBuffer(4))).toEqual({ kind: 'unreadable' });
  });
});

describe('pushes into polls', () => {
  /** Plays pushes at the given times (ms) and the trailing polls they plan; returns when polls ran. */
  function play(pushes: number[]): number[] {
    let throttle: NewsThrottle = IDLE_THROTTLE;
    const polls: number[] = [];
    const planned: number[] = [];
    const events = [...pushes];
    for (const at of events.sort((a, b) => a - b)) {
      while (planned.length && planned[0]! <= at) {
        const when = planned.shift()!;
        throttle = onTrailingPoll(when);
        polls.push(when);
      }
      const next = onNews(throttle, at);
      throttle = next.throttle;
      if (next.pollInMs === 0) polls.push(at);
      else if (next.pollInMs !== null) planned.push(at + next.pollInMs);
    }
    polls.push(...planned);
    return polls;
  }

  it('polls at once for a lone push', () => {
    expect(play([5_000])).toEqual([5_000]);
  });

  it('turns ten pushes in a second into at most two polls, the last after every push', () => {
    const pushes = Array.from({ length: 10 }, (_, i) => 10_000 + i * 100);
    const polls = play(pushes);
    expect(polls.length).toBeLessThanOrEqual(2);
    expect(polls[0]).toBe(10_000);
    expect(polls.at(-1)).toBeGreaterThanOrEqual(pushes.at(-1)!);
  });

  it('polls at once again for pushes a window apart', () => {
    expect(play([0, 1_000, 2_000])).toEqual([0, 1_000, 2_000]);
  });
});

describe('polling while live', () => {
  it('is a safety net every 15 minutes while the socket is healthy, and as chosen otherwise', () => {
    expect(SAFETY_NET_POLL_MINUTES).toBe(15);
    expect(pollPeriodFor('active', 1, true)).toBe(15);
    expect(pollPeriodFor('idle', 1, true)).toBe(15);
    expect(pollPeriodFor('active', 30, true)).toBe(30);
    expect(pollPeriodFor('locked', 1, true)).toBeNull();
    expect(pollPeriodFor('active', 1, false)).toBe(1);
  });
});
