/**
 * The poll rhythm over a day: a day of idle states simulated minute by minute through the real
 * schedule decision (domain/rhythm.ts), the poll alarm handled as background/schedule.ts handles
 * it, and the polls counted, against a fixed one-minute poll.
 */
import { pollPeriodFor, type IdleState } from '../src/domain/rhythm';

interface Stretch {
  state: IdleState;
  hours: number;
}

/** An office day: 8 hours active, 4 idle (meetings, breaks, the machine left on), 12 locked. */
export const OFFICE_DAY: readonly Stretch[] = [
  { state: 'locked', hours: 8 }, // 00:00 night
  { state: 'active', hours: 2 }, // 08:00
  { state: 'idle', hours: 0.5 }, // 10:00 coffee
  { state: 'active', hours: 2 }, // 10:30
  { state: 'locked', hours: 1 }, // 12:30 lunch
  { state: 'active', hours: 2 }, // 13:30
  { state: 'idle', hours: 1.5 }, // 15:30 meeting
  { state: 'active', hours: 2 }, // 17:00
  { state: 'idle', hours: 2 }, // 19:00 the machine left on
  { state: 'locked', hours: 3 }, // 21:00
];

export interface RhythmFigures {
  hours: Record<IdleState, number>;
  /** Polls in the day: alarms, and the one at once on each return to 'active'. */
  polls: number;
  pollsOnReturn: number;
  /** What a fixed poll at the chosen interval costs, whatever the state. */
  fixedPolls: number;
  /** The longest wait from a post to the poll that shows it, while the user is active / the machine idle. */
  worstDelayMinutes: Record<'active' | 'idle', number>;
}

export function rhythmDay(day: readonly Stretch[], chosenMinutes: number): RhythmFigures {
  const states = day.flatMap(({ state, hours }) => Array<IdleState>(hours * 60).fill(state));
  const hours = { active: 0, idle: 0, locked: 0 };
  for (const { state, hours: length } of day) hours[state] += length;

  const polls: number[] = [];
  let pollsOnReturn = 0;
  // The day repeats: it starts in the state it ended in, with that state's alarm.
  let previous = states[states.length - 1]!;
  let period = pollPeriodFor(previous, chosenMinutes);
  let nextAlarm = period;
  for (let minute = 0; minute < states.length; minute++) {
    const state = states[minute]!;
    if (state !== previous) {
      const next = pollPeriodFor(state, chosenMinutes);
      // As schedule.ts does: cleared when locked, left to run at the same period, else re-created.
      if (next === null) nextAlarm = null;
      else if (next !== period || nextAlarm === null) nextAlarm = minute + next;
      period = next;
      if (state === 'active') {
        polls.push(minute);
        pollsOnReturn++;
      }
      previous = state;
    }
    if (nextAlarm === minute && period !== null) {
      polls.push(minute);
      nextAlarm = minute + period;
    }
  }

  // A post just after one poll waits for the next: the longest gap between two polls with the
  // machine in one state all along (across a lock, the badge is shown at once on return).
  const worstDelayMinutes = { active: 0, idle: 0 };
  for (let i = 1; i < polls.length; i++) {
    const [from, to] = [polls[i - 1]!, polls[i]!];
    const state = states[to]!;
    if (state === 'locked' || states.slice(from, to + 1).some((other) => other !== state)) continue;
    worstDelayMinutes[state] = Math.max(worstDelayMinutes[state], to - from);
  }
  return { hours, polls: polls.length, pollsOnReturn, fixedPolls: Math.floor(states.length / chosenMinutes), worstDelayMinutes };
}
