import { describe, expect, it } from 'vitest';
import { filesProgress, isMedia, MAX_FILE_BYTES, MAX_SEND_BYTES, refusalOf, sizeText } from '../../src/domain/files';
import { english } from '../support/words';

const MB = 1024 * 1024;
const file = (name: string, size: number, type = 'application/pdf') => ({ name, size, type });

describe('the files of a send', () => {
  it('counts images, audio and video as medias, the rest as documents', () => {
    expect(isMedia('image/png')).toBe(true);
    expect(isMedia('VIDEO/mp4')).toBe(true);
    expect(isMedia('audio/ogg')).toBe(true);
    expect(isMedia('application/pdf')).toBe(false);
    expect(isMedia('')).toBe(false);
  });

  it('refuses an empty file, one over 50 MB, and one that takes the send over 100 MB', () => {
    expect(MAX_FILE_BYTES).toBe(50 * MB);
    expect(MAX_SEND_BYTES).toBe(100 * MB);
    expect(refusalOf(english, file('empty.txt', 0), [])).toBe('empty.txt is empty, so it was not attached.');
    expect(refusalOf(english, file('big.iso', 50 * MB + 1), [])).toBe('big.iso is over 50 MB, the largest file that can be sent.');
    expect(refusalOf(english, file('exact.bin', 50 * MB), [])).toBeNull();
    expect(refusalOf(english, file('third.bin', 40 * MB), [{ size: 40 * MB }, { size: 20 * MB + 1 }])).toBe(
      'third.bin was not attached: one message carries at most 100 MB of files.',
    );
    expect(refusalOf(english, file('third.bin', 40 * MB), [{ size: 40 * MB }, { size: 20 * MB }])).toBeNull();
  });

  it('writes sizes and progress as people read them', () => {
    expect(sizeText(english, 900)).toBe('900 bytes');
    expect(sizeText(english, 1536)).toBe('1.5 kB');
    expect(sizeText(english, 5 * MB)).toBe('5 MB');
    expect(filesProgress(english, 2, 3)).toBe('2 of 3 files sent');
    expect(filesProgress(english, 0, 1)).toBe('0 of 1 file sent');
  });
});
