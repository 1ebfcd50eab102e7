/**
 * The message box's files in a DOM (happy-dom) with the browser seam faked: attached by the file
 * input, a paste or a drop, each shown with its size and a remove button, refusals said at once.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBrowser, type FakeBrowser } from '../support/fake-browser';
import { BOOK_CACHE, ME } from './fixtures';

const fake = vi.hoisted(() => ({ browser: undefined as unknown as FakeBrowser }));
vi.mock('../../src/shared/browser', () => ({ default: new Proxy({}, { get: (_, key) => Reflect.get(fake.browser, key) }) }));

const { createPopupModel } = await import('../../src/popup/model');
const { readFirstPaint } = await import('../../src/popup/first-paint');
const { Popup } = await import('../../src/popup/Popup');

beforeEach(() => {
  fake.browser = createFakeBrowser();
});
afterEach(cleanup);

async function openPopup() {
  const stored = { syncStatus: { state: 'ok' }, account: ME, bookCache: BOOK_CACHE };
  for (const [key, value] of Object.entries(stored)) fake.browser.storage.local.data.set(key, structuredClone(value));
  const model = createPopupModel(await readFirstPaint());
  render(<Popup model={model} />);
  model.start();
  return model;
}

const MB = 1024 * 1024;
const attachedNames = () => {
  const list = screen.queryByRole('list', { name: 'Attached files' });
  return list ? within(list).getAllByRole('listitem').map((item) => item.textContent) : [];
};
/** The controls are loaded when first drawn: waits for them. */
const choose = async (...files: File[]) => fireEvent.change(await screen.findByLabelText('Attach files'), { target: { files } });
/** A file of `size` bytes that does not hold them: only its size is read before sending. */
const sized = (name: string, size: number, type = 'application/octet-stream') => {
  const file = new File([], name, { type });
  Object.defineProperty(file, 'size', { value: size });
  return file;
};

describe('attaching files to a message', () => {
  it('takes several files at once and shows each with its size and a remove button', async () => {
    await openPopup();
    await choose(new File([new Uint8Array(1536)], 'photo.png', { type: 'image/png' }), new File(['%PDF-1.4'], 'report.pdf', { type: 'application/pdf' }));
    await waitFor(() => expect(attachedNames()).toEqual(['photo.png 1.5 kB×', 'report.pdf 8 bytes×']));
    fireEvent.click(screen.getByRole('button', { name: 'Remove photo.png' }));
    expect(attachedNames()).toEqual(['report.pdf 8 bytes×']);
  });

  it('refuses an empty file, one over 50 MB and one that takes the message over 100 MB, and says why', async () => {
    await openPopup();
    await choose(new File([], 'empty.txt'));
    expect(await screen.findByText('empty.txt is empty, so it was not attached.')).toBeTruthy();
    await choose(sized('huge.iso', 50 * MB + 1));
    expect(await screen.findByText('huge.iso is over 50 MB, the largest file that can be sent.')).toBeTruthy();
    expect(attachedNames()).toEqual([]);
    await choose(sized('one.bin', 40 * MB), sized('two.bin', 40 * MB), sized('three.bin', 30 * MB));
    expect(await screen.findByText('three.bin was not attached: one message carries at most 100 MB of files.')).toBeTruthy();
    expect(attachedNames()).toEqual(['one.bin 40 MB×', 'two.bin 40 MB×']);
  });

  it('refuses a file the browser cannot read', async () => {
    await openPopup();
    const gone = new File(['x'], 'gone.txt');
    gone.slice = () => ({ arrayBuffer: () => Promise.reject(new DOMException('The file could not be read', 'NotReadableError')) }) as unknown as Blob;
    await choose(gone);
    expect(await screen.findByText('gone.txt could not be read, so it was not attached.')).toBeTruthy();
    expect(attachedNames()).toEqual([]);
  });

  it('takes a picture pasted into the Message field, and refuses another pasted file', async () => {
    await openPopup();
    const message = screen.getByLabelText('Message');
    fireEvent.paste(message, { clipboardData: { files: [new File([new Uint8Array(10)], 'image.png', { type: 'image/png' })] } });
    await waitFor(() => expect(attachedNames()).toEqual(['image.png 10 bytes×']));
    fireEvent.paste(message, { clipboardData: { files: [new File(['a,b'], 'table.csv', { type: 'text/csv' })] } });
    expect(await screen.findByText('Only pictures can be pasted; attach other files with Attach files.')).toBeTruthy();
    expect(attachedNames()).toEqual(['image.png 10 bytes×']);
  });

  it('takes files dropped onto the box', async () => {
    await openPopup();
    const form = screen.getByLabelText('Message').closest('form')!;
    // happy-dom's drag events carry no files: the event as a browser delivers it, by hand.
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [new File(['notes'], 'notes.txt', { type: 'text/plain' })], types: ['Files'] } });
    form.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
    await waitFor(() => expect(attachedNames()).toEqual(['notes.txt 5 bytes×']));
  });
});
