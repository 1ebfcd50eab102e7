/**
 * The X screen as a PNG: Xvfb keeps its screen in an XWD file (its -fbdir), which this reads and
 * writes out as a PNG, so that a picture of the browser's own windows (a native context menu) needs
 * no other tool.
 */
import { crc32, deflateSync } from 'node:zlib';

/** An XWD image (ZPixmap, 24 or 32 bits a pixel) as 8-bit RGB rows. */
export function xwdToRgb(xwd: Uint8Array): { width: number; height: number; rgb: Uint8Array } {
  const view = new DataView(xwd.buffer, xwd.byteOffset, xwd.byteLength);
  const field = (index: number) => view.getUint32(index * 4);
  const [headerSize, version, format] = [field(0), field(1), field(2)];
  if (version !== 7 || format !== 2) throw new Error(`not a ZPixmap XWD image (version ${version}, format ${format})`);
  const [width, height, littleEndian, bitsPerPixel, bytesPerLine] = [field(4), field(5), field(7) === 0, field(11), field(12)];
  const masks = [field(14), field(15), field(16)];
  const colours = field(19);
  if (bitsPerPixel !== 32 && bitsPerPixel !== 24) throw new Error(`${bitsPerPixel} bits a pixel`);
  const shifts = masks.map((mask) => Math.clz32(1) - Math.clz32(mask & -mask));
  const start = headerSize + colours * 12;
  const bytes = bitsPerPixel / 8;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = start + y * bytesPerLine + x * bytes;
      const pixel = bytes === 4 ? view.getUint32(at, littleEndian) : littleEndian ? xwd[at]! | (xwd[at + 1]! << 8) | (xwd[at + 2]! << 16) : (xwd[at]! << 16) | (xwd[at + 1]! << 8) | xwd[at + 2]!;
      for (let channel = 0; channel < 3; channel++) rgb[(y * width + x) * 3 + channel] = ((pixel & masks[channel]!) >>> shifts[channel]!) & 0xff;
    }
  }
  return { width, height, rgb };
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, tail]);
}

/** 8-bit RGB rows as a PNG. */
export function rgbToPng({ width, height, rgb }: { width: number; height: number; rgb: Uint8Array }): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) rows.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', new Uint8Array())]);
}
