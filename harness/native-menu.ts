/**
 * Chromium's real context menu in browser tests. Its menus are native windows that Playwright and
 * CDP cannot see, but headful Chromium with accessibility on shows them on the accessibility bus
 * (AT-SPI), where `atspi_menu.py` finds their items by name and activates them as a user would.
 *
 * `startNativeMenuEnvironment()` gives the test process a screen and buses of its own, so that it
 * needs no xvfb-run wrapper and never picks from the menus of another run on the same machine:
 *   Xvfb (a private X display) → a session D-Bus → the accessibility bus, which at-spi2-core's
 *   launcher starts when asked for its address, and the registry daemon that bus starts in turn.
 * Needs the Debian packages xvfb, dbus-daemon, at-spi2-core, python3-gi and gir1.2-atspi-2.0.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { Locator, Page } from 'playwright-core';

const run = promisify(execFile);
const HELPER = join(import.meta.dirname, 'atspi_menu.py');
/** Debian's Python, which has the packages apt installs (a `python3` earlier in PATH may be another). */
const PYTHON = '/usr/bin/python3';
const STARTUP_TIMEOUT_MS = 10_000;

/**
 * Chromium flags for native menus; `loadExtension({ nativeMenus })` adds them and runs headful.
 * --force-renderer-accessibility, a Chromium 156 workaround: without it its menus stay off the bus,
 * ACCESSIBILITY_ENABLED or not.
 * --disable-input-event-activation-protection (Chromium's own switch for its UI tests): a dialog's
 * buttons take a click that comes right after the dialog shows, which they otherwise ignore, so
 * `pressDialogButton` needs one click, not two a second apart (it works without the switch too).
 */
export const NATIVE_MENU_CHROMIUM_FLAGS = ['--force-renderer-accessibility', '--disable-input-event-activation-protection'];

export interface NativeMenuEnvironment {
  /**
   * What Chromium and the helper need in their environment: DISPLAY, DBUS_SESSION_BUS_ADDRESS,
   * AT_SPI_BUS_ADDRESS, and ACCESSIBILITY_ENABLED=1 (without it Chromium keeps its UI off the bus).
   */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Right-clicks `target` (a point in the page's viewport, or the middle of an element) with the
   * mouse, then picks `path` in the menu that opens: each name but the last opens a submenu, the
   * last is activated. Resolves once the menu has closed. Rejects, naming the items it saw, when an
   * item does not show up within `timeoutMs` in all; the menu is closed then too.
   */
  pickContextMenuItem(page: Page, target: { x: number; y: number } | Locator, path: readonly string[], timeoutMs?: number): Promise<void>;
  /**
   * Right-clicks `target` as `pickContextMenuItem` does and opens the submenus of `path`, leaving
   * the menus open (for a picture of them) once the last one shows its items. `closeMenus` closes them.
   */
  openContextMenu(page: Page, target: { x: number; y: number }, path: readonly string[], timeoutMs?: number): Promise<void>;
  closeMenus(): Promise<void>;
  /** With `framebufferDir`: the screen as Xvfb keeps it there, an XWD image file. */
  readonly screenFile: string | null;
  /** Types a shortcut such as `Alt+Shift+S` on the keyboard, where the browser's own shortcuts see it. */
  pressShortcut(shortcut: string): Promise<void>;
  /**
   * Clicks a button of a dialog Chromium shows, such as "Deny" or "Allow" in the prompt of
   * `permissions.request`, with the mouse once the button shows and is enabled. Resolves once the
   * dialog has closed; rejects if the button does not show, or the dialog does not close, within
   * `timeoutMs`.
   */
  pressDialogButton(name: string, timeoutMs?: number): Promise<void>;
  /** Stops the display and the buses. */
  close(): Promise<void>;
}

export interface NativeMenuOptions {
  /** A folder where Xvfb keeps its screen as a file (its -fbdir), which a picture can be read from. */
  framebufferDir?: string;
}

export async function startNativeMenuEnvironment(options: NativeMenuOptions = {}): Promise<NativeMenuEnvironment> {
  // The accessibility bus socket goes under XDG_RUNTIME_DIR: a private one keeps parallel runs apart.
  const runtimeDir = await mkdtemp(join(tmpdir(), 'ttc-a11y-'));
  const started: ChildProcess[] = [];
  // Should the test process end without `close()`, its display and buses end with it.
  const cleanUpAtExit = () => {
    started.forEach(killGroup);
    rmSync(runtimeDir, { recursive: true, force: true });
  };
  process.once('exit', cleanUpAtExit);
  const close = async () => {
    process.off('exit', cleanUpAtExit);
    await Promise.all(started.map(stop));
    await rm(runtimeDir, { recursive: true, force: true });
  };

  try {
    // -displayfd: Xvfb takes the first free display number and writes it to fd 3 once it is ready.
    const framebuffer = options.framebufferDir ? ['-fbdir', options.framebufferDir] : [];
    const xvfb = spawnGroup('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp', ...framebuffer], process.env, [
      'ignore',
      'ignore',
      'pipe',
      'pipe',
    ]);
    started.push(xvfb);
    const display = `:${await firstLine(xvfb, xvfb.stdio[3] as Readable, 'Xvfb')}`;

    // Services the bus starts on request (the at-spi launcher) inherit this environment.
    const busEnv = { ...process.env, DISPLAY: display, XDG_RUNTIME_DIR: runtimeDir };
    const dbus = spawnGroup('dbus-daemon', ['--session', '--nofork', '--print-address=1'], busEnv, ['ignore', 'pipe', 'pipe']);
    started.push(dbus);
    const sessionBus = await firstLine(dbus, dbus.stdout!, 'dbus-daemon');

    // Asking for the accessibility bus's address starts it, so it is up before Chromium looks.
    const { stdout } = await run(
      'dbus-send',
      ['--session', '--print-reply=literal', '--dest=org.a11y.Bus', '/org/a11y/bus', 'org.a11y.Bus.GetAddress'],
      { env: { ...busEnv, DBUS_SESSION_BUS_ADDRESS: sessionBus }, timeout: STARTUP_TIMEOUT_MS },
    ).catch((error: Error) => {
      throw new Error(`No accessibility bus (is at-spi2-core installed?): ${error.message}`);
    });

    const env = {
      DISPLAY: display,
      DBUS_SESSION_BUS_ADDRESS: sessionBus,
      AT_SPI_BUS_ADDRESS: stdout.trim(),
      ACCESSIBILITY_ENABLED: '1',
    };
    return {
      env,
      async pickContextMenuItem(page, target, path, timeoutMs = 10_000) {
        if ('x' in target) await page.mouse.click(target.x, target.y, { button: 'right' });
        else await target.click({ button: 'right' });
        await run(PYTHON, [HELPER, String(timeoutMs / 1000), ...path], {
          env: { ...process.env, ...env },
          // Only if the helper itself hangs: it keeps to timeoutMs, plus a few seconds to close a menu.
          timeout: timeoutMs + STARTUP_TIMEOUT_MS,
        }).catch((error: Error & { stderr?: string }) => {
          throw new Error(`Could not pick ${path.join(' > ')} in the context menu: ${error.stderr?.trim() || error.message}`);
        });
      },
      async openContextMenu(page, target, path, timeoutMs = 10_000) {
        await page.mouse.click(target.x, target.y, { button: 'right' });
        await run(PYTHON, [HELPER, '--open', String(timeoutMs / 1000), ...path], {
          env: { ...process.env, ...env },
          timeout: timeoutMs + STARTUP_TIMEOUT_MS,
        }).catch((error: Error & { stderr?: string }) => {
          throw new Error(`Could not open ${path.join(' > ')} in the context menu: ${error.stderr?.trim() || error.message}`);
        });
      },
      async closeMenus() {
        await run(PYTHON, [HELPER, '--close'], { env: { ...process.env, ...env }, timeout: STARTUP_TIMEOUT_MS });
      },
      screenFile: options.framebufferDir ? join(options.framebufferDir, 'Xvfb_screen0') : null,
      async pressShortcut(shortcut) {
        await run(PYTHON, [HELPER, '--keys', shortcut], { env: { ...process.env, ...env }, timeout: STARTUP_TIMEOUT_MS });
      },
      async pressDialogButton(name, timeoutMs = 10_000) {
        await run(PYTHON, [HELPER, '--press', String(timeoutMs / 1000), name], {
          env: { ...process.env, ...env },
          timeout: timeoutMs + STARTUP_TIMEOUT_MS,
        }).catch((error: Error & { stderr?: string }) => {
          throw new Error(`Could not press ${name}: ${error.stderr?.trim() || error.message}`);
        });
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Starts `command` in a process group of its own: stopping the group stops what it started too. */
function spawnGroup(command: string, args: string[], env: NodeJS.ProcessEnv, stdio: ('ignore' | 'pipe')[]): ChildProcess {
  return spawn(command, args, { env, stdio, detached: true });
}

function killGroup(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child);
  await exited;
}

/** The first line `child` writes to `stream`; rejects with its stderr if it exits or hangs first. */
function firstLine(child: ChildProcess, stream: Readable, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => fail(`gave no answer within ${STARTUP_TIMEOUT_MS / 1000} s`), STARTUP_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${name} ${why}${err ? `: ${err.trim()}` : ''}`));
    };
    stream.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      resolve(out.slice(0, end).trim());
    });
    child.once('error', (error) => fail(`could not start (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`})`));
  });
}
