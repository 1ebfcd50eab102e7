/** How an action of the options page went, as its status line tells it. */
export type ActionStatus = { state: 'idle' } | { state: 'busy' } | { state: 'done'; message: string } | { state: 'error'; message: string };

export const IDLE: ActionStatus = { state: 'idle' };
