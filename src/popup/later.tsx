import { signal } from '@preact/signals';
import type { FunctionComponent } from 'preact';

/**
 * A component whose code is loaded when it is first drawn, or earlier with `preload()`: the popup
 * opens with the code of the book list only. Until the code is in, nothing is drawn in its place.
 */
export function later<Props extends object>(load: () => Promise<FunctionComponent<Props>>) {
  const loaded = signal<FunctionComponent<Props> | null>(null);
  let loading: Promise<void> | null = null;
  const preload = () => (loading ??= load().then((component) => void (loaded.value = component)));
  function Later(props: Props) {
    const Component = loaded.value;
    if (!Component) void preload();
    return Component ? <Component {...props} /> : null;
  }
  return Object.assign(Later, { preload });
}
