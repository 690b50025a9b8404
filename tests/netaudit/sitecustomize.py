"""Loaded by every Python process started with this folder on PYTHONPATH
(tests/test_privacy.py): records each attempt to resolve a name or open a
connection, with its destination, to the file in NET_AUDIT_LOG."""
import json
import os
import sys

_LOG = os.environ.get("NET_AUDIT_LOG")
_EVENTS = {"socket.connect", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo", "socket.gethostbyname",
           "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.getnameinfo"}


def _destination(event, args):
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[-1]
        return address if isinstance(address, (str, bytes)) else list(address)[:2] if address else None
    return args[0]


def _hook(event, args):
    if event in _EVENTS:
        try:
            with open(_LOG, "a", encoding="utf-8") as f:
                f.write(json.dumps({"pid": os.getpid(), "event": event,
                                    "to": _destination(event, args)}, default=repr) + "\n")
        except Exception:
            pass


if _LOG:
    with open(_LOG, "a", encoding="utf-8") as f:  # proves the hook was loaded in this process
        f.write(json.dumps({"pid": os.getpid(), "event": "audit.start", "to": sys.argv[:2]}) + "\n")
    sys.addaudithook(_hook)
