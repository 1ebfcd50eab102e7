"""Picks an item of Chromium's open context menu through the accessibility bus (AT-SPI).

Usage: atspi_menu.py TIMEOUT_SECONDS NAME [NAME ...]
       atspi_menu.py --open TIMEOUT_SECONDS NAME [NAME ...]
       atspi_menu.py --close
       atspi_menu.py --press TIMEOUT_SECONDS BUTTON
       atspi_menu.py --keys KEY+KEY...

With --press, clicks the button called BUTTON of a dialog Chromium shows (such as "Deny" in the
prompt of a permission request) with the mouse once it shows and is enabled, and exits 0 once the
dialog has closed, or 1 with a message on stderr if it has not within TIMEOUT_SECONDS. With --keys,
types a shortcut such as Alt+Shift+S as the keyboard does (through the X server), which reaches the
browser's own shortcuts as page-level key events do not.

Every NAME but the last names an item that opens a submenu; the last names the item to activate.
Each name must equal the item's accessible name (Chromium appends an item's shortcut to it, as in
"Reload Ctrl+R"). Exits 0 once the menu has closed after the last item. Exits 1 with a message on
stderr that lists the items it saw when a name did not show up within TIMEOUT_SECONDS in all, after
closing the menu with Escape.

With --open, every NAME opens a submenu, and it exits 0 once the last submenu shows its items,
leaving the menus open (for a picture of them); --close closes every open menu.

Chromium's menus are native windows that CDP cannot see; the accessibility bus can. Uses libatspi
through GObject introspection (Debian: python3-gi, gir1.2-atspi-2.0), hence Debian's /usr/bin/python3.
"""

import sys
import time

try:
    import gi

    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi
except (ImportError, ValueError):
    sys.exit("libatspi for Python is missing: apt-get install python3-gi gir1.2-atspi-2.0")

POLL_SECONDS = 0.05
# Chromium's dialogs ignore a click (views::InputEventActivationProtector) that comes within the
# double-click interval (400 ms under GTK's defaults, 500 ms in Chromium's own) of the dialog
# showing, or of the click before it: an ignored click starts that wait afresh. Clicking again
# sooner than that (every 0.3 s, say) keeps every click ignored for as long as it goes on. So a click
# that did not close the dialog is repeated only after a pause well past the interval. Chromium runs
# with --disable-input-event-activation-protection in these tests, where the first click counts.
PRESS_RETRY_SECONDS = 1.0
CLOSE_TIMEOUT_SECONDS = 5
ESCAPE_KEYSYM = 0xFF1B
ITEM_ROLES = {Atspi.Role.MENU_ITEM, Atspi.Role.CHECK_MENU_ITEM, Atspi.Role.RADIO_MENU_ITEM}
# Every menu on screen. A Collection query runs inside Chromium: walking its whole tree over D-Bus
# from here takes a tenth of a second or more per look.
SHOWING_MENUS = Atspi.MatchRule.new(
    Atspi.StateSet.new([Atspi.StateType.SHOWING]),
    Atspi.CollectionMatchType.ALL,
    {},
    Atspi.CollectionMatchType.ALL,
    [Atspi.Role.MENU],
    Atspi.CollectionMatchType.ANY,
    [],
    Atspi.CollectionMatchType.ALL,
    False,
)


class NotFound(Exception):
    pass


def children(node):
    return [child for child in (node.get_child_at_index(i) for i in range(node.get_child_count())) if child is not None]


def showing_menus():
    """The context menu and each submenu open from it."""
    return [
        menu
        for app in children(Atspi.get_desktop(0))
        for menu in app.get_matches(SHOWING_MENUS, Atspi.CollectionSortOrder.CANONICAL, 0, True)
    ]


def find_item(name, parent):
    """The showing item called `name`: in the submenu that `parent` opened, or in the context menu."""
    menus = [menu for menu in showing_menus() if parent is None or menu.get_name() == parent]
    items = [item for menu in menus for item in children(menu) if item.get_role() in ITEM_ROLES]
    for item in items:
        if item.get_name() == name:
            return item
    where = f"the submenu {parent!r}" if parent is not None else "the context menu"
    seen = ", ".join(repr(item.get_name()) for item in items) if menus else "no menu open"
    raise NotFound(f"No item {name!r} in {where} (seen: {seen})")


def wait_for(condition, deadline):
    """Polls `condition` until it returns without raising; raises its last NotFound at the deadline."""
    while True:
        try:
            return condition()
        # A menu that closes or rebuilds while it is read raises GLib.Error (a RuntimeError); the
        # next poll reads it afresh.
        except (NotFound, RuntimeError) as error:
            if time.monotonic() >= deadline:
                raise NotFound(str(error)) from None
        time.sleep(POLL_SECONDS)


def menu_closed():
    if showing_menus():
        raise NotFound("The menu is still open after its last item was picked")


def pick(path, timeout):
    deadline = time.monotonic() + timeout
    parent = None
    for name in path:
        item = wait_for(lambda: find_item(name, parent), deadline)
        # Action 0 is "open" on an item with a submenu and "select" on a plain item.
        if not item.do_action(0):
            raise NotFound(f"Chromium refused to activate {name!r}")
        parent = name
    wait_for(menu_closed, deadline)


def submenu_shown(name):
    if not [item for menu in showing_menus() if menu.get_name() == name for item in children(menu) if item.get_role() in ITEM_ROLES]:
        raise NotFound(f"The submenu {name!r} shows no item")


def open_submenus(path, timeout):
    deadline = time.monotonic() + timeout
    parent = None
    for name in path:
        item = wait_for(lambda: find_item(name, parent), deadline)
        if not item.do_action(0):
            raise NotFound(f"Chromium refused to open {name!r}")
        parent = name
    wait_for(lambda: submenu_shown(parent), deadline)


def fewer_menus_than(count):
    now = len(showing_menus())
    if now >= count:
        raise NotFound("Escape left the menu open")
    return now


def close_menus():
    """Presses Escape, which closes one menu level, until no menu shows."""
    deadline = time.monotonic() + CLOSE_TIMEOUT_SECONDS
    open_menus = wait_for(lambda: len(showing_menus()), deadline)
    while open_menus:
        Atspi.generate_keyboard_event(ESCAPE_KEYSYM, None, Atspi.KeySynthType.SYM)
        open_menus = wait_for(lambda: fewer_menus_than(open_menus), deadline)


# Chromium's own dialogs (a permission prompt) are alerts on the bus.
SHOWING_DIALOGS = Atspi.MatchRule.new(
    Atspi.StateSet.new([Atspi.StateType.SHOWING]),
    Atspi.CollectionMatchType.ALL,
    {},
    Atspi.CollectionMatchType.ALL,
    [Atspi.Role.ALERT, Atspi.Role.DIALOG],
    Atspi.CollectionMatchType.ANY,
    [],
    Atspi.CollectionMatchType.ALL,
    False,
)


def find_button(name):
    dialogs = [
        dialog
        for app in children(Atspi.get_desktop(0))
        for dialog in app.get_matches(SHOWING_DIALOGS, Atspi.CollectionSortOrder.CANONICAL, 0, True)
    ]
    seen = []
    pending = list(dialogs)
    while pending:
        node = pending.pop()
        if node.get_role() == Atspi.Role.PUSH_BUTTON:
            if node.get_name() == name:
                return node
            seen.append(repr(node.get_name()))
        pending.extend(children(node))
    shown = ", ".join(repr(d.get_name()) for d in dialogs) or "no dialog open"
    raise NotFound(f"No button {name!r} in {shown} (buttons seen: {', '.join(seen) or 'none'})")


def button_gone(name):
    try:
        find_button(name)
    except NotFound:
        return
    raise NotFound(f"The dialog is still open after {name!r} was pressed")


def enabled_button(name):
    """The button called `name` once it takes clicks: the prompt of a permission request enables
    "Allow" about half a second after it shows, and a click before then is lost."""
    button = find_button(name)
    states = button.get_state_set()
    if not (states.contains(Atspi.StateType.ENABLED) and states.contains(Atspi.StateType.SHOWING)):
        raise NotFound(f"The button {name!r} shows but is not enabled yet")
    return button


def press(name, timeout):
    deadline = time.monotonic() + timeout
    while True:
        button = wait_for(lambda: enabled_button(name), deadline)
        box = button.get_extents(Atspi.CoordType.SCREEN)
        x, y = box.x + box.width // 2, box.y + box.height // 2
        # A real click: the pointer moves to the button, then its first button goes down and up.
        Atspi.generate_mouse_event(x, y, "abs")
        Atspi.generate_mouse_event(x, y, "b1c")
        # Chromium ignores the click if it came too soon (see PRESS_RETRY_SECONDS); then the
        # dialog is still there once that time is up, and the button is clicked again.
        try:
            wait_for(lambda: button_gone(name), min(deadline, time.monotonic() + PRESS_RETRY_SECONDS))
            return
        except NotFound:
            if time.monotonic() >= deadline:
                raise


# X keycodes of Xvfb's default keyboard (evdev, US layout). Holding a modifier needs a keycode: a
# keysym is always pressed and released at once.
KEYCODES = {
    "shift": 50, "ctrl": 37, "control": 37, "alt": 64,
    **{letter: code for code, letter in zip(range(24, 34), "qwertyuiop")},
    **{letter: code for code, letter in zip(range(38, 47), "asdfghjkl")},
    **{letter: code for code, letter in zip(range(52, 59), "zxcvbnm")},
}


def keys(shortcut):
    codes = [KEYCODES.get(key.lower()) for key in shortcut.split("+")]
    if None in codes:
        sys.exit(f"Unknown key in {shortcut!r} (known: {', '.join(KEYCODES)})")
    for code in codes:
        Atspi.generate_keyboard_event(code, None, Atspi.KeySynthType.PRESS)
    for code in reversed(codes):
        Atspi.generate_keyboard_event(code, None, Atspi.KeySynthType.RELEASE)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--keys":
        keys(sys.argv[2])
        return
    if len(sys.argv) == 2 and sys.argv[1] == "--close":
        close_menus()
        return
    if len(sys.argv) >= 4 and sys.argv[1] == "--open":
        try:
            open_submenus(sys.argv[3:], float(sys.argv[2]))
        except NotFound as error:
            close_menus()
            sys.exit(f"{error} after {sys.argv[2]} s")
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--press":
        try:
            press(sys.argv[3], float(sys.argv[2]))
        except NotFound as error:
            sys.exit(f"{error} after {sys.argv[2]} s")
        return
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    try:
        pick(sys.argv[2:], float(sys.argv[1]))
    except NotFound as error:
        message = f"{error} after {sys.argv[1]} s"
        try:
            close_menus()
        except NotFound as stuck:
            message += f"; {stuck}"
        sys.exit(message)


if __name__ == "__main__":
    main()
