"""Picks an item of Chromium's open context menu through the accessibility bus (AT-SPI).

Usage: atspi_menu.py TIMEOUT_SECONDS NAME [NAME ...]

Every NAME but the last names an item that opens a submenu; the last names the item to activate.
Each name must equal the item's accessible name (Chromium appends an item's shortcut to it, as in
"Reload Ctrl+R"). Exits 0 once the menu has closed after the last item. Exits 1 with a message on
stderr that lists the items it saw when a name did not show up within TIMEOUT_SECONDS in all, after
closing the menu with Escape.

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


def main():
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
