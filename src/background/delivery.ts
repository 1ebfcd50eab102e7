/**
 * Delivers what the outbox holds, one step at a time: send, look for an unknown outcome, verify
 * after a resend. Every decision is the domain's (domain/outbox.ts); this loop only makes the calls
 * and records their outcome. It reaches storage and the session through `DeliveryPorts`, so the
 * worker, the tests and the benchmark run the same code.
 */
import { ApiError, isApiError, type BookMessage, type SessionKeys, type TimeTonicClient } from '../api';
import {
  afterFailure,
  afterFileLost,
  afterUndoFailure,
  afterUndoStep,
  afterLook,
  afterLookUpload,
  afterSent,
  afterUploaded,
  announcedFiles,
  beforeSend,
  currentFile,
  beforeUpload,
  duringUndo,
  failureFor,
  LOOK_PAGE_SIZE,
  nextLookPage,
  nextStep,
  reconcile,
  sendLeaving,
  sendNotLeft,
  undoReach,
  type DeliveryTiming,
  type OutboxItem,
  type Step,
} from '../domain/outbox';
import { filesOf } from '../domain/outbox-view';
import type { Account } from '../domain/refs';
import type { Words } from '../domain/words';
import { checkLateRows, runTableStep } from './table-delivery';

export interface DeliveryPorts {
  read(): Promise<OutboxItem[]>;
  /** Changes one item durably (the outbox's one writer); null when the item is gone. */
  change(uuid: string, update: (item: OutboxItem) => OutboxItem): Promise<OutboxItem | null>;
  /** Who is signed in now. */
  account(): Promise<Account | null>;
  /** Runs a call as `account`, renewing an expired session key; null when that account is not signed in. */
  withSession<T>(account: Account, call: (api: TimeTonicClient, keys: SessionKeys) => Promise<T>): Promise<T | null>;
  /** The bytes of an attachment, kept until its upload is confirmed; null when lost. */
  attachment(uuid: string): Promise<Blob | null>;
  forgetAttachment(uuid: string): Promise<void>;
  timing: DeliveryTiming;
  /** The user's words, for the reasons a send waits or failed. */
  t: Words;
  now(): number;
  random(): number;
}

/** A run stops after this many steps and asks to be run again, so that no loop runs away. */
const STEPS_PER_RUN = 200;

export interface DeliveryRun {
  /** Items delivered by this run. */
  delivered: OutboxItem[];
  /** Sends taken back whose undo this run finished: deleted, or refused by the server. */
  undone: OutboxItem[];
  /** Items whose step failed in this run, as they are now (waiting, or failed for good). */
  setBack: OutboxItem[];
  /** The run stopped at its step limit with work left. */
  more: boolean;
}

export async function deliverDue(ports: DeliveryPorts): Promise<DeliveryRun> {
  const run: DeliveryRun = { delivered: [], undone: [], setBack: [], more: false };
  for (let steps = 0; steps < STEPS_PER_RUN; steps++) {
    const [items, account] = await Promise.all([ports.read(), ports.account()]);
    const step = nextStep(items, account, ports.now());
    if (!step || !account) return run;
    // The user may take a send back while its step runs: what the step records then keeps it so.
    const guarded: DeliveryPorts = { ...ports, change: (uuid, update) => ports.change(uuid, (current) => duringUndo(current, update(current))) };
    const outcome = step.kind === 'undo' ? await runUndoStep(ports, account, step.item) : await runStep(guarded, account, step);
    if (outcome === 'stopped') return run;
    if (step.kind === 'undo') {
      if (outcome && outcome.status !== 'undoing') run.undone.push(outcome);
    } else if (outcome?.status === 'sent') run.delivered.push(outcome);
    else if (outcome) run.setBack.push(outcome);
  }
  return { ...run, more: true };
}

/**
 * The item if this step delivered it or set it back; 'stopped' when the account is no longer
 * signed in.
 */
async function runStep(ports: DeliveryPorts, account: Account, step: Step): Promise<OutboxItem | null | 'stopped'> {
  const { timing } = ports;
  const { uuid } = step.item;
  try {
    if (step.kind === 'send') {
      // Recorded before the request leaves: a worker stopped mid-request will look, not resend.
      const item = await ports.change(uuid, beforeSend);
      if (item?.status !== 'pending') return null;
      const announced = announcedFiles(item);
      const reply = await ports.withSession(account, async (api, keys) => {
        // Recorded right before each request leaves (a renewed session sends a second one), so the
        // grace delay runs from the request that may still be held.
        const leaving = await ports.change(uuid, (current) => (current.status === 'pending' ? sendLeaving(current, ports.now(), timing) : current));
        if (leaving?.status !== 'pending') return TAKEN_BACK;
        return api.sendMsg(keys, item.book, { msg: item.text, uuid: item.uuid, ...announced }, { timeoutMs: timing.requestTimeoutMs });
      });
      if (reply === null) return 'stopped';
      if (reply === TAKEN_BACK) {
        // Taken back before this request left: it wrote nothing (what earlier ones may have is looked for).
        await ports.change(uuid, sendNotLeft);
        return null;
      }
      return delivered(await ports.change(uuid, (current) => afterSent(current, reply.smid, ports.now(), timing)));
    }
    if (step.kind === 'table') return await runTableStep(ports, account, step.item);
    if (step.kind === 'verify' && step.item.table) return await checkLateRows(ports, account, step.item);
    if (step.kind === 'upload' || step.kind === 'lookUpload') return await runUploadStep(ports, account, step.kind, step.item);
    const lookBegan = ports.now();
    const copies = await copiesInBook(ports, account, step.item);
    if (copies === null) return 'stopped';
    const { keep, remove } = reconcile(copies.map((copy) => copy.smid), step.item.smid);
    for (const smid of remove) {
      const removed = await ports.withSession(account, (api, keys) =>
        api.deleteMsg(keys, step.item.book, smid, { timeoutMs: timing.requestTimeoutMs }).catch((error: unknown) => {
          // Gone already (deleted by an earlier run): that is what we wanted.
          if (!isApiError(error, 'notFound')) throw error;
        }),
      );
      if (removed === null) return 'stopped';
    }
    const updated = await ports.change(uuid, (current) => afterLook(current, step.kind === 'verify' ? 'verify' : 'look', keep, lookBegan, ports.now(), timing));
    return step.kind === 'look' ? delivered(updated) : null;
  } catch (error) {
    if (!isApiError(error)) throw error;
    const setBack = await ports.change(uuid, (current) => afterFailure(current, step.kind, failureFor(ports.t, error), ports.now(), timing, ports.random()));
    // A late-copy check put off concerns a message already delivered: nothing to tell.
    return step.kind === 'verify' ? null : setBack;
  }
}

const delivered = (item: OutboxItem | null) => (item?.status === 'sent' ? item : null);

/** A step's request that did not leave: the user took the send back first. */
const TAKEN_BACK = Symbol('taken back');

/**
 * Deletes every copy of a send the user took back: the one it knows, or every one a look finds
 * (its files go with each message). Done once no request may still write another.
 */
async function runUndoStep(ports: DeliveryPorts, account: Account, item: OutboxItem): Promise<OutboxItem | null | 'stopped'> {
  const { timing } = ports;
  const reach = undoReach(item);
  const lookBegan = ports.now();
  const deleteCopy = async (smid: number) => {
    const removed = await ports.withSession(account, (api, keys) =>
      api.deleteMsg(keys, item.book, smid, { timeoutMs: timing.requestTimeoutMs }).catch((error: unknown) => {
        // Gone already (an earlier try whose answer was lost): that is what we wanted.
        if (!isApiError(error, 'notFound')) throw error;
      }),
    );
    return removed !== null;
  };
  try {
    if (reach === 'delete' && !(await deleteCopy(item.smid!))) return 'stopped';
    if (reach === 'look') {
      const copies = await copiesInBook(ports, account, item);
      if (copies === null) return 'stopped';
      for (const copy of copies) if (!(await deleteCopy(copy.smid))) return 'stopped';
    }
  } catch (error) {
    if (!isApiError(error)) throw error;
    // The book itself is gone (or was never there): so is every copy.
    const failure = isApiError(error, 'notFound') ? null : failureFor(ports.t, error);
    if (failure) return ports.change(item.uuid, (current) => afterUndoFailure(ports.t, current, failure, ports.now(), timing, ports.random()));
  }
  const changed = await ports.change(item.uuid, (current) => afterUndoStep(current, reach, lookBegan, ports.now()));
  // The bytes of files that will never go.
  if (changed?.status === 'undone') await Promise.all(filesOf(changed).map((file) => ports.forgetAttachment(file.uuid).catch(() => undefined)));
  return changed;
}

/**
 * Attaches the item's next file to its message, or looks whether an upload of it whose answer was
 * lost landed. One file a step: each is recorded as on the message before the next one leaves.
 */
async function runUploadStep(
  ports: DeliveryPorts,
  account: Account,
  kind: 'upload' | 'lookUpload',
  item: OutboxItem,
): Promise<OutboxItem | null | 'stopped'> {
  const { timing } = ports;
  const attachment = currentFile(item)!;
  const smid = item.smid!;
  if (kind === 'lookUpload') {
    const copies = await copiesInBook(ports, account, item);
    if (copies === null) return 'stopped';
    const message = copies.find((candidate) => candidate.smid === smid);
    const found = !!message?.medias.some((media) => media.uuid === attachment.uuid && !media.del);
    if (found) await ports.forgetAttachment(attachment.uuid);
    return delivered(await ports.change(item.uuid, (current) => afterLookUpload(current, attachment.uuid, found, ports.now())));
  }
  // A Blob backed by IndexedDB: posted as it is, never read into memory here.
  const file = await ports.attachment(attachment.uuid);
  if (!file) return ports.change(item.uuid, (current) => afterFileLost(ports.t, current));
  const reply = await ports.withSession(account, async (api, keys) => {
    // Recorded right before each request leaves (a renewed session sends a second one), so the
    // grace delay runs from the upload that may still be held.
    const leaving = await ports.change(item.uuid, (current) => beforeUpload(current, ports.now(), timing));
    if (leaving?.status !== 'pending') return TAKEN_BACK;
    return api.fileUpload(keys, item.book, { smid, uuid: attachment.uuid, file, name: attachment.name }, { timeoutMs: timing.requestTimeoutMs });
  });
  if (reply === null) return 'stopped';
  // Taken back before the upload left: the file goes nowhere now.
  if (reply === TAKEN_BACK) return null;
  await ports.forgetAttachment(attachment.uuid);
  return delivered(await ports.change(item.uuid, (current) => afterUploaded(current, attachment.uuid, ports.now())));
}

/**
 * The live messages of the item's book that carry its uuid, with their files. Pages back from the
 * newest message for as long as `nextLookPage` says a copy may lie further back, so a copy is found
 * however many messages came after it.
 */
async function copiesInBook(ports: DeliveryPorts, account: Account, item: OutboxItem): Promise<BookMessage[] | null> {
  const copies: BookMessage[] = [];
  let smidLast: number | undefined;
  for (;;) {
    const query = { nbMax: LOOK_PAGE_SIZE, ...(smidLast !== undefined && { smidLast }) };
    const reply = await ports.withSession(account, (api, keys) => api.getBookMessages(keys, item.book, query, { timeoutMs: ports.timing.requestTimeoutMs }));
    if (reply === null) return null;
    copies.push(...reply.messages.filter((message) => message.uuid === item.uuid && !message.del));
    const next = nextLookPage(reply.messages, item.sinceStamp);
    if (next === null) return copies;
    // A server that ignored smidLast would hand back the same page for ever.
    if (smidLast !== undefined && next >= smidLast) throw new ApiError('badReply', 'getBookMessages: the next page is not older', { req: 'getBookMessages' });
    smidLast = next;
  }
}
