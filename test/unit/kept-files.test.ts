/** Which kept file bytes are orphans: named by no outbox item or pending pick, and older than the margin. */
import { describe, expect, it } from 'vitest';
import { keysInUse, ORPHAN_AGE_MS, orphanedKeys, pickScreenshotKey } from '../../src/domain/kept-files';
import { newItem, type Attachment, type OutboxItem } from '../../src/domain/outbox';
import { newTableRowSave } from '../../src/domain/table-outbox';

const NOW = Date.UTC(2026, 11, 6, 9, 0);
const ACCOUNT = { server: 'https://timetonic.com', o_u: 'demo' };
const file = (uuid: string): Omit<Attachment, 'uploaded' | 'unknownOutcome'> => ({ uuid, name: `${uuid}.pdf`, type: 'application/pdf', size: 10, kind: 'doc' });
const item = (uuid: string, files: string[] = []): OutboxItem =>
  newItem({ uuid, account: ACCOUNT, book: { b_o: 'alice', b_c: 'support' }, bookTitle: 'Support', text: uuid, sinceStamp: 0, now: NOW, attachments: files.map(file) });

describe('keysInUse', () => {
  it('names every file of every item, sent or not, a table save’s image, an older item’s single file and each pick’s screenshot', () => {
    const first = item('first', ['a', 'b']);
    const uploaded: OutboxItem = { ...item('second', ['c']), status: 'sent' };
    uploaded.attachments[0] = { ...uploaded.attachments[0]!, uploaded: true };
    const older = { ...item('older'), attachments: undefined, attachment: { ...file('d'), uploaded: false, unknownOutcome: false } } as unknown as OutboxItem;
    const table: OutboxItem = {
      ...item('table'),
      table: newTableRowSave({ catId: 1, tableName: 'Clips', values: {}, image: { uuid: 'e', name: 'e.png', fieldId: 3 }, draftKey: 'k' }),
    };
    expect([...keysInUse([first, uploaded, older, table], ['pick-1'])].sort()).toEqual(['a', 'b', 'c', 'd', 'e', pickScreenshotKey('pick-1')].sort());
  });

  it('names nothing when nothing waits', () => {
    expect(keysInUse([], []).size).toBe(0);
  });
});

describe('orphanedKeys', () => {
  const old = NOW - ORPHAN_AGE_MS - 1;
  it('forgets old bytes no one names, keeps named bytes however old', () => {
    const kept = [
      { key: 'named', keptAt: old },
      { key: 'left-behind', keptAt: old },
      { key: pickScreenshotKey('open-window'), keptAt: old },
      { key: pickScreenshotKey('closed-window'), keptAt: old },
    ];
    expect(orphanedKeys(kept, keysInUse([item('send', ['named'])], ['open-window']), NOW)).toEqual(['left-behind', pickScreenshotKey('closed-window')]);
  });

  it('never forgets bytes kept within the margin: a send being made has kept its files before it names them', () => {
    const kept = [
      { key: 'just-kept', keptAt: NOW },
      { key: 'at-the-margin', keptAt: NOW - ORPHAN_AGE_MS },
      { key: 'past-it', keptAt: NOW - ORPHAN_AGE_MS - 1 },
    ];
    expect(orphanedKeys(kept, new Set(), NOW)).toEqual(['past-it']);
  });

  it('takes bytes kept by a version that did not date them as old', () => {
    expect(orphanedKeys([{ key: 'undated', keptAt: null }, { key: 'undated-named', keptAt: null }], new Set(['undated-named']), NOW)).toEqual(['undated']);
  });
});
