"""A desktop notification server (org.freedesktop.Notifications) on the session D-Bus, for tests.

Usage: notification_server.py

Owns org.freedesktop.Notifications on the bus that DBUS_SESSION_BUS_ADDRESS names, as a desktop's
notification daemon does, so that Chromium shows its notifications here instead of in its own
popups; shows nothing. It tells what happens as JSON lines on stdout:

  {"event": "ready"}                                    the name is ours; start the browser now
  {"event": "notify", "id": 1, "replacesId": 0, "appName": "Chromium", "summary": "...",
   "body": "...", "actions": [["0", "Open"], ["default", "Activate"]], "expireTimeout": 25000}
  {"event": "close", "id": 1}                           the browser closed it (CloseNotification)
  {"event": "invoked", "id": 1, "key": "default"}       ActionInvoked was sent, as asked on stdin
  {"event": "dismissed", "id": 1, "reason": 2}          NotificationClosed was sent, as asked on stdin
  {"event": "error", "message": "..."}                  a command on stdin made no sense

and takes commands on stdin, one a line:

  invoke ID KEY        the user clicked the action KEY of notification ID ("default" is the body)
  dismiss ID [REASON]  the notification closed by itself or by the user (reason 1 expired,
                       2 dismissed: the default)

It ends when stdin ends (the test process is gone) or on SIGTERM, and when the bus goes away.

GetCapabilities answers "body" and "actions": Chromium's Linux bridge
(notification_platform_bridge_linux.cc) uses a server only with both, and then sends each button
as the action key "0", "1"... (counting on across updates of one notification) with its title,
and "default" ("Activate") for a click on the body. It answers ActionInvoked with those keys. No
"body-markup", so the body comes as plain text, not escaped; no "persistence", as no real
screen keeps the notifications.

Uses Gio through GObject introspection (Debian: python3-gi), hence Debian's /usr/bin/python3.
"""

import json
import os
import signal
import sys

try:
    from gi.repository import Gio, GLib
except ImportError:
    sys.exit("GLib for Python is missing: apt-get install python3-gi")

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="GetCapabilities"><arg direction="out" type="as"/></method>
    <method name="Notify">
      <arg direction="in" type="s" name="app_name"/>
      <arg direction="in" type="u" name="replaces_id"/>
      <arg direction="in" type="s" name="app_icon"/>
      <arg direction="in" type="s" name="summary"/>
      <arg direction="in" type="s" name="body"/>
      <arg direction="in" type="as" name="actions"/>
      <arg direction="in" type="a{sv}" name="hints"/>
      <arg direction="in" type="i" name="expire_timeout"/>
      <arg direction="out" type="u" name="id"/>
    </method>
    <method name="CloseNotification"><arg direction="in" type="u" name="id"/></method>
    <method name="GetServerInformation">
      <arg direction="out" type="s" name="name"/>
      <arg direction="out" type="s" name="vendor"/>
      <arg direction="out" type="s" name="version"/>
      <arg direction="out" type="s" name="spec_version"/>
    </method>
    <signal name="ActionInvoked"><arg type="u" name="id"/><arg type="s" name="action_key"/></signal>
    <signal name="NotificationClosed"><arg type="u" name="id"/><arg type="u" name="reason"/></signal>
  </interface>
</node>
"""
CAPABILITIES = ["body", "actions"]
# NotificationClosed reasons of the specification.
REASON_DISMISSED = 2
REASON_CLOSED_BY_CALL = 3
USAGE = "expected: invoke ID KEY | dismiss ID [REASON]"


class Server:
    def __init__(self, loop):
        self.loop = loop
        self.connection = None
        self.next_id = 1
        # Ids shown now: a command for another is an error, not a signal Chromium would ignore.
        self.shown = set()

    def tell(self, event, **fields):
        print(json.dumps({"event": event, **fields}), flush=True)

    def on_bus_acquired(self, connection, _name):
        self.connection = connection
        info = Gio.DBusNodeInfo.new_for_xml(INTERFACE).interfaces[0]
        connection.register_object(PATH, info, self.on_call, None, None)

    def on_call(self, _connection, _sender, _path, _interface, method, params, invocation):
        if method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (CAPABILITIES,)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)", ("ttc-test-notifications", "TimeTonic Companion tests", "1.0", "1.2")))
        elif method == "Notify":
            app_name, replaces_id, _icon, summary, body, actions, _hints, expire_timeout = params.unpack()
            if replaces_id in self.shown:
                notification_id = replaces_id
            else:
                notification_id = self.next_id
                self.next_id += 1
            self.shown.add(notification_id)
            pairs = [[actions[i], actions[i + 1]] for i in range(0, len(actions) - 1, 2)]
            self.tell(
                "notify",
                id=notification_id,
                replacesId=replaces_id,
                appName=app_name,
                summary=summary,
                body=body,
                actions=pairs,
                expireTimeout=expire_timeout,
            )
            invocation.return_value(GLib.Variant("(u)", (notification_id,)))
        elif method == "CloseNotification":
            (notification_id,) = params.unpack()
            invocation.return_value(None)
            if notification_id in self.shown:
                self.shown.discard(notification_id)
                self.tell("close", id=notification_id)
                # The specification has the server confirm a close with the signal.
                self.emit("NotificationClosed", GLib.Variant("(uu)", (notification_id, REASON_CLOSED_BY_CALL)))
        else:
            invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", method)

    def emit(self, signal_name, params):
        self.connection.emit_signal(None, PATH, NAME, signal_name, params)
        self.connection.flush_sync(None)

    def on_name_acquired(self, _connection, _name):
        self.tell("ready")

    def on_name_lost(self, _connection, _name):
        sys.stderr.write(f"Could not own {NAME} (another notification server on this bus?)\n")
        self.loop.quit()

    def on_command(self, line):
        words = line.split()
        if not words:
            return
        try:
            if len(words) < 2:
                raise ValueError(USAGE)
            command, notification_id = words[0], int(words[1])
            if notification_id not in self.shown:
                raise ValueError(f"no notification {notification_id} is shown")
            if command == "invoke" and len(words) == 3:
                self.emit("ActionInvoked", GLib.Variant("(us)", (notification_id, words[2])))
                self.tell("invoked", id=notification_id, key=words[2])
            elif command == "dismiss" and len(words) <= 3:
                reason = int(words[2]) if len(words) == 3 else REASON_DISMISSED
                self.shown.discard(notification_id)
                self.emit("NotificationClosed", GLib.Variant("(uu)", (notification_id, reason)))
                self.tell("dismissed", id=notification_id, reason=reason)
            else:
                raise ValueError(USAGE)
        except ValueError as error:
            self.tell("error", message=f"{line.strip()!r}: {error}")


def main():
    loop = GLib.MainLoop()
    server = Server(loop)
    Gio.bus_own_name(
        Gio.BusType.SESSION,
        NAME,
        Gio.BusNameOwnerFlags.DO_NOT_QUEUE,
        server.on_bus_acquired,
        server.on_name_acquired,
        server.on_name_lost,
    )

    # Read as bytes from the descriptor: a buffered reader could hold a second line back unseen.
    pending = bytearray()

    def on_stdin(fd, _condition):
        chunk = os.read(fd, 65536)
        if not chunk:
            loop.quit()
            return False
        pending.extend(chunk)
        while b"\n" in pending:
            line, _, rest = bytes(pending).partition(b"\n")
            pending[:] = rest
            server.on_command(line.decode("utf-8", errors="replace"))
        return True

    GLib.io_add_watch(sys.stdin.fileno(), GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP, on_stdin)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    loop.run()


if __name__ == "__main__":
    main()
