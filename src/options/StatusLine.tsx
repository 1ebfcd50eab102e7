import type { ActionStatus } from './action-status';

/** Says how the section's last action went; empty while idle or busy. */
export function StatusLine({ id, status }: { id: string; status: ActionStatus }) {
  return (
    <p id={id} role="status" class={status.state === 'error' ? 'error' : 'success'}>
      {status.state === 'error' || status.state === 'done' ? status.message : ''}
    </p>
  );
}
