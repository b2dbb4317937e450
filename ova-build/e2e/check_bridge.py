#!/usr/bin/env python3
"""Checks the qemu bridge's log (GET /qemu) of the e2e test: what a real ESXi host would have done.

Every disk the job attached (read-only: a clone's disk) was hot-plugged, later checked gone in the guest
(guestHad false) and only then unplugged; at least two such disks. Prints what it found; exit 1 if not so.
"""
import json
import sys

events = json.load(open(sys.argv[1]))
ok = True
clones = [e for e in events if e["action"] == "disk-add" and e.get("readOnly")]
print("read-only disks plugged: %d" % len(clones))
if len(clones) < 2:
    ok = False
for add in clones:
    after = events[events.index(add) + 1:]
    mine = [e for e in after if e["id"] == add["id"]]
    actions = [e["action"] for e in mine]
    check = next((e for e in mine if e["action"] == "guest-check"), None)
    print("%s (bus %d unit %d, uuid %s): %s" % (add["id"], add["bus"], add.get("unit", 0), add["uuid"],
                                                 " -> ".join(actions)))
    if actions[:2] != ["guest-check", "disk-remove"] or check is None or check.get("guestHad") is not False:
        ok = False
sys.exit(0 if ok else 1)
