import { describe, expect, it } from 'vitest';
import { IDLE_POLL_MINUTES, pollPeriodFor } from '../../src/domain/rhythm';

describe('the poll period', () => {
  it('is the chosen interval while the user is active', () => {
    expect(pollPeriodFor('active', 1)).toBe(1);
    expect(pollPeriodFor('active', 30)).toBe(30);
  });

  it('is ten minutes while the machine is idle', () => {
    expect(IDLE_POLL_MINUTES).toBe(10);
    expect(pollPeriodFor('idle', 1)).toBe(10);
    expect(pollPeriodFor('idle', 5)).toBe(10);
    expect(pollPeriodFor('idle', 10)).toBe(10);
  });

  it('is never shorter while idle than the interval chosen for when the user is active', () => {
    expect(pollPeriodFor('idle', 15)).toBe(15);
    expect(pollPeriodFor('idle', 30)).toBe(30);
  });

  it('is none while the screen is locked', () => {
    expect(pollPeriodFor('locked', 1)).toBeNull();
    expect(pollPeriodFor('locked', 30)).toBeNull();
  });
});
