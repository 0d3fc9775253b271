"""Consistency checks for the authored snapshots: owners exist, events refer to real objects and are within the
one-hour TTL, timestamps are not after `now`, pod labels match their owner's selector."""
import glob, json, os, sys
from datetime import datetime, timedelta
import yaml

bad = 0
for d in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases", "*"))):
    now = datetime.fromisoformat(json.load(open(f"{d}/case.json"))["now"].replace("Z", "+00:00"))
    objs = []
    for doc in yaml.safe_load_all(open(f"{d}/objects.yaml")):
        if doc:
            objs.extend(doc["items"] if doc["kind"] == "List" else [doc])
    uids = {o["metadata"]["uid"]: o for o in objs}
    names = {o["metadata"]["name"] for o in objs if o["kind"] == "Node"}
    probs = []

    def walk(x, path=""):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, f"{path}.{k}")
        elif isinstance(x, list):
            for v in x:
                walk(v, path)
        elif isinstance(x, str) and len(x) >= 20 and x[4] == "-" and x[10:11] == "T" and x.endswith("Z"):
            t = datetime.fromisoformat(x.replace("Z", "+00:00"))
            if t > now and not path.endswith("deletionTimestamp"):  # deletion time = request + grace period
                probs.append(f"future time {path} {x}")
    for o in objs:
        walk(o, o["kind"] + "/" + o["metadata"]["name"])
        for r in o["metadata"].get("ownerReferences", []):
            if r["uid"] not in uids or uids[r["uid"]]["kind"] != r["kind"] or uids[r["uid"]]["metadata"]["name"] != r["name"]:
                probs.append(f"dangling owner {o['kind']}/{o['metadata']['name']} -> {r['kind']}/{r['name']}")
        if o["kind"] == "Event":
            io = o["involvedObject"]
            if io["uid"] not in uids and io["uid"] not in names:
                probs.append(f"event {o['reason']} on unknown {io}")
            last = o.get("lastTimestamp") or (o.get("series") or {}).get("lastObservedTime") or o.get("eventTime")
            if now - datetime.fromisoformat(last.replace("Z", "+00:00")) > timedelta(hours=1):
                probs.append(f"event past TTL {o['reason']}")
        if o["kind"] in ("ReplicaSet", "Deployment", "StatefulSet", "DaemonSet"):
            sel = o["spec"]["selector"]["matchLabels"]
            tl = o["spec"]["template"]["metadata"]["labels"]
            if any(tl.get(k) != v for k, v in sel.items()):
                probs.append(f"selector/template mismatch {o['kind']}/{o['metadata']['name']}")
    print(os.path.basename(d), len(objs), "objects", "OK" if not probs else probs)
    bad += len(probs)
sys.exit(1 if bad else 0)
