/**
 * Delivers what the outbox holds, one step at a time: send, look for an unknown outcome, verify
 * after a resend. Every decision is the domain's (domain/outbox.ts); this loop only makes the calls
 * and records their outcome. It reaches storage and the session through `DeliveryPorts`, so the
 * worker, the tests and the benchmark run the same code.
 */
import { isApiError, type SessionKeys, type TimeTonicClient } from '../api';
import {
  afterFailure,
  afterLook,
  afterSent,
  beforeSend,
  failureFor,
  nextStep,
  reconcile,
  type Account,
  type DeliveryTiming,
  type OutboxItem,
  type Step,
} from '../domain/outbox';

export interface DeliveryPorts {
  read(): Promise<OutboxItem[]>;
  /** Changes one item durably (the outbox's one writer); null when the item is gone. */
  change(uuid: string, update: (item: OutboxItem) => OutboxItem): Promise<OutboxItem | null>;
  /** Who is signed in now. */
  account(): Promise<Account | null>;
  /** Runs a call as `account`, renewing an expired session key; null when that account is not signed in. */
  withSession<T>(account: Account, call: (api: TimeTonicClient, keys: SessionKeys) => Promise<T>): Promise<T | null>;
  timing: DeliveryTiming;
  now(): number;
  random(): number;
}

/** A run stops after this many steps and asks to be run again, so that no loop runs away. */
const STEPS_PER_RUN = 200;

export interface DeliveryRun {
  /** Items delivered by this run. */
  delivered: OutboxItem[];
  /** The run stopped at its step limit with work left. */
  more: boolean;
}

export async function deliverDue(ports: DeliveryPorts): Promise<DeliveryRun> {
  const delivered: OutboxItem[] = [];
  for (let steps = 0; steps < STEPS_PER_RUN; steps++) {
    const [items, account] = await Promise.all([ports.read(), ports.account()]);
    const step = nextStep(items, account, ports.now());
    if (!step || !account) return { delivered, more: false };
    const outcome = await runStep(ports, account, step);
    if (outcome === 'stopped') return { delivered, more: false };
    if (outcome) delivered.push(outcome);
  }
  return { delivered, more: true };
}

/** The item if this step delivered it; 'stopped' when the account is no longer signed in. */
async function runStep(ports: DeliveryPorts, account: Account, step: Step): Promise<OutboxItem | null | 'stopped'> {
  const { timing } = ports;
  const { uuid } = step.item;
  try {
    if (step.kind === 'send') {
      // Recorded before the request leaves: a worker stopped mid-request will look, not resend.
      const item = await ports.change(uuid, beforeSend);
      if (!item) return null;
      const reply = await ports.withSession(account, (api, keys) =>
        api.sendMsg(keys, item.book, { msg: item.text, uuid: item.uuid }, { timeoutMs: timing.requestTimeoutMs }),
      );
      if (reply === null) return 'stopped';
      return ports.change(uuid, (current) => afterSent(current, reply.smid, ports.now(), timing));
    }
    const copies = await findCopies(ports, account, step.item);
    if (copies === null) return 'stopped';
    const { keep, remove } = reconcile(copies);
    for (const smid of remove) {
      const removed = await ports.withSession(account, (api, keys) =>
        api.deleteMsg(keys, step.item.book, smid, { timeoutMs: timing.requestTimeoutMs }).catch((error: unknown) => {
          // Gone already (deleted by an earlier run): that is what we wanted.
          if (!isApiError(error, 'notFound')) throw error;
        }),
      );
      if (removed === null) return 'stopped';
    }
    const updated = await ports.change(uuid, (current) => afterLook(current, step.kind === 'verify' ? 'verify' : 'look', keep, ports.now(), timing));
    return step.kind === 'look' && updated?.status === 'sent' ? updated : null;
  } catch (error) {
    if (!isApiError(error)) throw error;
    await ports.change(uuid, (current) => afterFailure(current, step.kind, failureFor(error), ports.now(), timing, ports.random()));
    return null;
  }
}

/**
 * The ids of the live messages of the item's book that carry its uuid, oldest first. Asked with
 * the stamp known before the item was made: the server then returns every message changed since,
 * without paging, so a copy is found however many messages came after it.
 */
async function findCopies(ports: DeliveryPorts, account: Account, item: OutboxItem): Promise<number[] | null> {
  const reply = await ports.withSession(account, (api, keys) =>
    api.getBookMessages(keys, item.book, { sstamp: item.sinceStamp, nbMax: 50 }, { timeoutMs: ports.timing.requestTimeoutMs }),
  );
  if (reply === null) return null;
  return reply.messages.filter((message) => message.uuid === item.uuid && !message.del).map((message) => message.smid);
}
