import { describe, expect, it } from 'vitest';
import { dbiByFileId, dbiByInternName, dbiByMessage, dbiLastImage, dbiUserImage } from '../../src/api';

const server = 'https://timetonic.com/';
const session = { o_u: 'zo', sesskey: 'Xyae-YWJ3' };
const keys = 'version=6.41&o_u=zo&u_c=zo&sesskey=Xyae-YWJ3';

describe('/dbi/ addresses, as the API text spells them', () => {
  it('by internal name, without a session', () => {
    expect(dbiByInternName(server, { internName: '34s96Bm9c8' })).toBe('https://timetonic.com/live/dbi/in/norm/34s96Bm9c8');
    expect(dbiByInternName(server, { kind: 'media', size: 'full', internName: 'FU-1453733561', name: 'Sample Audio.mp3' })).toBe(
      'https://timetonic.com/live/dbi/oin/full/FU-1453733561/Sample%20Audio.mp3',
    );
  });

  it('by message and file number, with the session keys', () => {
    expect(dbiByMessage(server, session, { b_o: 'zo', b_c: 'testing', smid: 317482, mdc: 0, name: 'dolphing.jpg' })).toBe(
      `https://timetonic.com/live/dbi/ic/norm/zo/testing/317482/0/dolphing.jpg?${keys}`,
    );
    // Documents come as a thumbnail (tb) or in full, whatever size is asked.
    expect(dbiByMessage(server, session, { kind: 'doc', size: 'norm', b_o: 'zo', b_c: 'ttc-tips', smid: 256371, mdc: 0 })).toBe(
      `https://timetonic.com/live/dbi/odc/full/zo/ttc-tips/256371/0?${keys}`,
    );
  });

  it('by file id, last image of a book, a user picture', () => {
    expect(dbiByFileId(server, session, { kind: 'docThumb', b_o: 'zo', b_c: 'x', fileId: 12 })).toBe(`https://timetonic.com/live/dbi/di/tb/zo/x/12?${keys}`);
    expect(dbiLastImage(server, session, { b_o: 'zo', b_c: 'ttc-tips' })).toBe(`https://timetonic.com/live/dbi/last/cover/zo/ttc-tips?${keys}`);
    expect(dbiUserImage(server, session, { u_c: 'zo', sstamp: 34556 })).toBe(`https://timetonic.com/live/dbi/ui/tb/zo/34556?${keys}`);
  });

  it('escapes what would break the path', () => {
    expect(dbiByInternName(server, { internName: 'a/b?c', name: '#1.png' })).toBe('https://timetonic.com/live/dbi/in/norm/a%2Fb%3Fc/%231.png');
  });
});
