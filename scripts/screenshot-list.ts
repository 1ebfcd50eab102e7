/** The store screenshots `npm run screenshots` makes (screenshots.ts), in store/screenshots/<language>/. */

export const SCREENSHOTS = ['1-books', '2-book', '3-quick-send', '4-right-click'] as const;
export type ScreenshotName = (typeof SCREENSHOTS)[number];

/** What Chrome's store takes (it also takes 640×400); addons.mozilla.org takes any size. */
export const SCREENSHOT_SIZE = { width: 1280, height: 800 };

/** Width and height from a PNG's header (its IHDR chunk comes first). */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((byte, i) => png[i] !== byte)) throw new Error('not a PNG');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
