/** Which rows of a long book list the popup draws, and where it scrolls to show one. */
import { describe, expect, it } from 'vitest';
import { revealTop, rowWindow } from '../../src/popup/list-model';

const view = (top: number, height = 500, rowHeight = 50) => ({ top, height, rowHeight });

describe('rowWindow', () => {
  it('draws a first screenful before the list is measured', () => {
    expect(rowWindow(2000, { top: 0, height: 0, rowHeight: 0 })).toMatchObject({ start: 0, end: 20, before: 0 });
    expect(rowWindow(4, { top: 0, height: 0, rowHeight: 0 })).toMatchObject({ start: 0, end: 4, after: 0 });
  });

  it('draws the rows in view and a few on each side, the others standing as space', () => {
    const middle = rowWindow(2000, view(5000));
    expect(middle.start).toBeLessThan(100);
    expect(middle.end).toBeGreaterThan(110);
    expect(middle.end - middle.start).toBeLessThan(30);
    expect(middle.before + (middle.end - middle.start) * 50 + middle.after).toBe(2000 * 50);
  });

  it('reaches both ends, and draws every row of a short list', () => {
    expect(rowWindow(2000, view(0))).toMatchObject({ start: 0, before: 0 });
    expect(rowWindow(2000, view(2000 * 50 - 500))).toMatchObject({ end: 2000, after: 0 });
    expect(rowWindow(7, view(0))).toMatchObject({ start: 0, end: 7 });
    expect(rowWindow(0, view(0))).toMatchObject({ start: 0, end: 0 });
  });
});

describe('revealTop', () => {
  it('scrolls as little as brings the row into view', () => {
    expect(revealTop(3, view(0))).toBe(0);
    expect(revealTop(10, view(0))).toBe(50);
    expect(revealTop(1999, view(0))).toBe(2000 * 50 - 500);
    expect(revealTop(0, view(4000))).toBe(0);
    expect(revealTop(85, view(4000))).toBe(4000);
  });
});
