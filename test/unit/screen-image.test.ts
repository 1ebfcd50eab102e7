/** The X screen as Xvfb keeps it (XWD) turned into the PNG `npm run screenshots` writes. */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rgbToPng, xwdToRgb } from '../../scripts/screen-image';
import { pngSize } from '../../scripts/screenshot-list';

/** A 3×2 ZPixmap XWD, 32 bits a pixel, least significant byte first, as Xvfb writes its screen. */
function xwd(pixels: number[][], name = 'Xvfb screen'): Uint8Array {
  const [height, width] = [pixels.length, pixels[0]!.length];
  const headerSize = 100 + name.length + 1;
  const bytesPerLine = width * 4 + 4; // padded, as a real screen's rows may be
  const buffer = new ArrayBuffer(headerSize + 2 * 12 + bytesPerLine * height);
  const view = new DataView(buffer);
  const fields = [headerSize, 7, 2, 24, width, height, 0, 0, 32, 0, 32, 32, bytesPerLine, 4, 0xff0000, 0xff00, 0xff, 8, 256, 2, width, height, 0, 0, 0];
  fields.forEach((value, i) => view.setUint32(i * 4, value));
  new Uint8Array(buffer).set(new TextEncoder().encode(name), 100);
  const start = headerSize + 2 * 12;
  pixels.forEach((row, y) => row.forEach((pixel, x) => view.setUint32(start + y * bytesPerLine + x * 4, pixel, true)));
  return new Uint8Array(buffer);
}

describe('the screen image', () => {
  const screen = xwd([
    [0xff0000, 0x00ff00, 0x0000ff],
    [0x116e8c, 0xffffff, 0x000000],
  ]);

  it('reads the pixels of an XWD image, past its header, name and colour map', () => {
    const { width, height, rgb } = xwdToRgb(screen);
    expect([width, height]).toEqual([3, 2]);
    expect([...rgb]).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 0x11, 0x6e, 0x8c, 255, 255, 255, 0, 0, 0]);
  });

  it('writes them as an RGB PNG of that size, rows unfiltered', () => {
    const png = rgbToPng(xwdToRgb(screen));
    expect(pngSize(png)).toEqual({ width: 3, height: 2 });
    const idat = png.indexOf('IDAT');
    const rows = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect([...rows]).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0x11, 0x6e, 0x8c, 255, 255, 255, 0, 0, 0]);
  });

  it('refuses what is not a ZPixmap XWD image', () => {
    const bitmap = xwd([[0]]);
    new DataView(bitmap.buffer).setUint32(8, 1);
    expect(() => xwdToRgb(bitmap)).toThrow('not a ZPixmap XWD image');
  });
});
