"""Builders for hand-authored repair-triage snapshots (`kubectl get -o yaml` shapes, Kubernetes 1.29/1.30).

Used only by generate.py to write cases/<case>/objects.yaml. Each case's judgement (expected.json) is written by
hand in generate.py from the rules in the shared dataset README, not derived from these builders.
"""

import hashlib
import random
import uuid
from datetime import datetime, timedelta, timezone

import yaml

ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


class Ctx:
    def __init__(self, seed, now):
        self.rng = random.Random(seed)
        self.now = datetime.fromisoformat(now.replace("Z", "+00:00"))
        self.rv = self.rng.randint(300_000_000, 900_000_000)
        self.objects = []

    # ---- ids and times -------------------------------------------------------------------------------------
    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def nextrv(self):
        self.rv += self.rng.randint(1, 4000)
        return str(self.rv)

    def h(self, n=10):
        return "".join(self.rng.choice(ALPHABET) for _ in range(n))

    def hexs(self, n=64):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def t(self, seconds_ago, frac=False):
        d = self.now - timedelta(seconds=seconds_ago)
        if frac:
            return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.rng.randint(0, 999999):06d}Z"
        return d.strftime("%Y-%m-%dT%H:%M:%SZ")

    def add(self, *objs):
        self.objects.extend(objs)
        return objs[0] if len(objs) == 1 else objs

    def event_name(self, name):
        return f"{name}.{self.hexs(16)}"


# ---- cluster-scoped --------------------------------------------------------------------------------------------

def namespace(c, name, age_days, labels=None):
    return c.add({
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": {"creationTimestamp": c.t(age_days * 86400),
                     "labels": {"kubernetes.io/metadata.name": name, **(labels or {})},
                     "name": name, "resourceVersion": c.nextrv(), "uid": c.uid()},
        "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})


def _cond(c, type_, status, reason, message, hb_ago, tr_ago):
    return {"lastHeartbeatTime": c.t(hb_ago), "lastTransitionTime": c.t(tr_ago), "message": message,
            "reason": reason, "status": status, "type": type_}


def node(c, name, *, flavor, cpu="3920m", cap_cpu="4", mem_ki=15125526, cap_mem_ki=16142358, pods="58",
         ip="10.0.0.1", age_days=30, labels=None, taints=None, unschedulable=False, ready="True", ready_ago=None,
         hb_ago=40, pressure=None, control_plane=False, kubelet="v1.29.8", annotations=None, images=None):
    """pressure: {"DiskPressure": seconds_since_true, ...}; ready: True | False | Unknown."""
    created = age_days * 86400
    pressure = pressure or {}
    conds = []
    unknown = ready == "Unknown"
    for t_, ok_reason, ok_msg, bad_reason, bad_msg in [
        ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available",
         "KubeletHasInsufficientMemory", "kubelet has insufficient memory available"),
        ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure",
         "KubeletHasDiskPressure", "kubelet has disk pressure"),
        ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available",
         "KubeletHasInsufficientPID", "kubelet has insufficient PID available"),
    ]:
        if unknown:
            conds.append(_cond(c, t_, "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.",
                               hb_ago, ready_ago - 40 if ready_ago and ready_ago > 60 else ready_ago))
        elif t_ in pressure:
            conds.append(_cond(c, t_, "True", bad_reason, bad_msg, hb_ago, pressure[t_]))
        else:
            conds.append(_cond(c, t_, "False", ok_reason, ok_msg, hb_ago, created - 20))
    if ready == "True":
        conds.append(_cond(c, "Ready", "True", "KubeletReady", "kubelet is posting ready status", hb_ago,
                           ready_ago or created - 25))
    elif unknown:
        conds.append(_cond(c, "Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.",
                           hb_ago, ready_ago - 40 if ready_ago > 60 else ready_ago))
    else:
        conds.append(_cond(c, "Ready", "False", "KubeletNotReady",
                           "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
                           "message:Network plugin returns error: cni plugin not initialized", hb_ago, ready_ago))
    lab = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
           "kubernetes.io/hostname": name.split(".")[0] if flavor == "gke" else name, "kubernetes.io/os": "linux"}
    if control_plane:
        lab["node-role.kubernetes.io/control-plane"] = ""
        lab["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    lab.update(labels or {})
    spec = {}
    if flavor == "eks":
        spec["providerID"] = f"aws:///{lab.get('topology.kubernetes.io/zone', 'eu-west-1a')}/i-0{c.hexs(16)}"
    elif flavor == "gke":
        spec["providerID"] = f"gce://shop-prod-4471/{lab.get('topology.kubernetes.io/zone', 'europe-west4-b')}/{name}"
        spec["podCIDR"] = f"10.{c.rng.randint(40, 60)}.{c.rng.randint(0, 250)}.0/24"
        spec["podCIDRs"] = [spec["podCIDR"]]
    elif flavor == "aks":
        spec["providerID"] = (f"azure:///subscriptions/{c.uid()}/resourceGroups/mc_rg-prod_aks-prod_westeurope/"
                              f"providers/Microsoft.Compute/virtualMachineScaleSets/{name[:-6]}/virtualMachines/"
                              f"{int(name[-6:], 36) % 100}")
        spec["podCIDR"] = f"10.244.{c.rng.randint(0, 250)}.0/24"
        spec["podCIDRs"] = [spec["podCIDR"]]
    else:
        spec["podCIDR"] = f"192.168.{c.rng.randint(0, 250)}.0/24"
        spec["podCIDRs"] = [spec["podCIDR"]]
    tl = list(taints or [])
    if unschedulable:
        spec["unschedulable"] = True
        tl.append({"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "timeAdded": c.t(3600)})
    if tl:
        spec["taints"] = tl
    ann = {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"}
    if flavor == "kubeadm":
        ann["kubeadm.alpha.kubernetes.io/cri-socket"] = "unix:///var/run/containerd/containerd.sock"
        ann["projectcalico.org/IPv4Address"] = f"{ip}/24"
    ann.update(annotations or {})
    return c.add({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"annotations": ann, "creationTimestamp": c.t(created), "labels": lab, "name": name,
                     "resourceVersion": c.nextrv(), "uid": c.uid()},
        "spec": spec,
        "status": {
            "addresses": [{"address": ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
            "allocatable": {"cpu": cpu, "ephemeral-storage": "95491281146", "hugepages-1Gi": "0",
                            "hugepages-2Mi": "0", "memory": f"{mem_ki}Ki", "pods": pods},
            "capacity": {"cpu": cap_cpu, "ephemeral-storage": "103612136Ki", "hugepages-1Gi": "0",
                         "hugepages-2Mi": "0", "memory": f"{cap_mem_ki}Ki", "pods": pods},
            "conditions": conds,
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "images": images or [],
            "nodeInfo": {"architecture": "amd64", "bootID": c.uid(), "containerRuntimeVersion": "containerd://1.7.20",
                         "kernelVersion": "6.1.102-111.182.amzn2023.x86_64" if flavor == "eks" else "5.15.0-1067-azure"
                         if flavor == "aks" else "6.1.85+" if flavor == "gke" else "5.15.0-119-generic",
                         "kubeProxyVersion": kubelet, "kubeletVersion": kubelet, "machineID": c.hexs(32),
                         "operatingSystem": "linux",
                         "osImage": {"eks": "Amazon Linux 2023.5.20240805", "gke": "Container-Optimized OS from Google",
                                     "aks": "Ubuntu 22.04.4 LTS", "kubeadm": "Ubuntu 22.04.4 LTS"}[flavor],
                         "systemUUID": c.uid()},
        }})


def storageclass(c, name, provisioner, *, default=False, binding="WaitForFirstConsumer", params=None):
    md = {"creationTimestamp": c.t(400 * 86400), "name": name, "resourceVersion": c.nextrv(), "uid": c.uid()}
    if default:
        md["annotations"] = {"storageclass.kubernetes.io/is-default-class": "true"}
    return c.add({"allowVolumeExpansion": True, "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                  "metadata": md, "parameters": params or {}, "provisioner": provisioner, "reclaimPolicy": "Delete",
                  "volumeBindingMode": binding})


# ---- containers and pods ---------------------------------------------------------------------------------------

def container(name, image, *, req_cpu="100m", req_mem="128Mi", lim_mem=None, lim_cpu=None, port=None,
              readiness=None, liveness=None, env=None, env_from=None, args=None, command=None, mounts=None):
    res = {"requests": {"cpu": req_cpu, "memory": req_mem}}
    lim = {}
    if lim_cpu:
        lim["cpu"] = lim_cpu
    if lim_mem:
        lim["memory"] = lim_mem
    if lim:
        res["limits"] = lim
    ctr = {"image": image, "imagePullPolicy": "IfNotPresent", "name": name, "resources": res,
           "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
    if port:
        ctr["ports"] = [{"containerPort": port, "name": "http" if port != 9090 else "metrics", "protocol": "TCP"}]
    if readiness:
        ctr["readinessProbe"] = readiness
    if liveness:
        ctr["livenessProbe"] = liveness
    if env:
        ctr["env"] = env
    if env_from:
        ctr["envFrom"] = env_from
    if args:
        ctr["args"] = args
    if command:
        ctr["command"] = command
    if mounts:
        ctr["volumeMounts"] = mounts
    return ctr


def http_probe(path, port="http", period=10, failure=3, delay=5):
    return {"failureThreshold": failure, "httpGet": {"path": path, "port": port, "scheme": "HTTP"},
            "initialDelaySeconds": delay, "periodSeconds": period, "successThreshold": 1, "timeoutSeconds": 1}


def pod_template(labels, containers, *, restart="Always", extra=None):
    spec = {"containers": containers, "dnsPolicy": "ClusterFirst", "restartPolicy": restart,
            "schedulerName": "default-scheduler", "securityContext": {}, "terminationGracePeriodSeconds": 30}
    spec.update(extra or {})
    return {"metadata": {"creationTimestamp": None, "labels": labels}, "spec": spec}


def running(c, started_ago, ready=True, restarts=0, last=None):
    """A containerStatus builder: running since started_ago; last = (reason, exitCode, finished_ago, ran_s)."""
    return {"kind": "running", "started_ago": started_ago, "ready": ready, "restarts": restarts, "last": last}


def waiting(reason, message, restarts=0, last=None):
    return {"kind": "waiting", "reason": reason, "message": message, "ready": False, "restarts": restarts,
            "last": last}


def terminated(reason, exit_code, finished_ago, ran_s, restarts=0):
    return {"kind": "terminated", "reason": reason, "exitCode": exit_code, "finished_ago": finished_ago,
            "ran_s": ran_s, "ready": False, "restarts": restarts, "last": None}


def _term(c, reason, code, finished_ago, ran_s, cid=None):
    return {"containerID": cid or f"containerd://{c.hexs()}", "exitCode": code, "finishedAt": c.t(finished_ago),
            "reason": reason, "startedAt": c.t(finished_ago + ran_s)}


def _ctr_status(c, ctr, st, pod_name, ns, pod_uid):
    image = ctr["image"]
    repo = image.rsplit(":", 1)[0]
    out = {"image": image, "name": ctr["name"], "ready": st["ready"], "restartCount": st["restarts"]}
    if st["kind"] != "waiting" or st["reason"] not in ("ErrImagePull", "ImagePullBackOff", "ContainerCreating",
                                                       "CreateContainerConfigError"):
        out["containerID"] = f"containerd://{c.hexs()}"
        out["imageID"] = f"{repo}@sha256:{c.hexs()}"
    last = st.get("last")
    out["lastState"] = {"terminated": _term(c, *last)} if last else {}
    if st["kind"] == "running":
        out["started"] = True
        out["state"] = {"running": {"startedAt": c.t(st["started_ago"])}}
    elif st["kind"] == "waiting":
        out["started"] = False
        msg = st["message"]
        if st["reason"] == "CrashLoopBackOff" and msg is None:
            msg = f"back-off 5m0s restarting failed container={ctr['name']} pod={pod_name}_{ns}({pod_uid})"
        w = {"reason": st["reason"]}
        if msg:
            w["message"] = msg
        out["state"] = {"waiting": w}
    else:
        out["started"] = False
        out["state"] = {"terminated": _term(c, st["reason"], st["exitCode"], st["finished_ago"], st["ran_s"],
                                            out.get("containerID"))}
    return out


def pod(c, ns, name, *, owner, labels, template, node_name, statuses, created_ago, host_ip="10.0.0.1",
        pod_ip=None, phase=None, scheduled=True, pending_reason=None, pending_msg=None, qos="Burstable",
        host_network=False, extra_meta=None, node_affinity_name=None, ready_override=None, status_extra=None,
        tolerations=None):
    uid = c.uid()
    spec = dict(template["spec"])
    spec["containers"] = [dict(x) for x in spec["containers"]]
    vol = f"kube-api-access-{c.h(5)}"
    for ctr in spec["containers"]:
        ctr["volumeMounts"] = list(ctr.get("volumeMounts", [])) + [
            {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": vol, "readOnly": True}]
    spec["enableServiceLinks"] = True
    spec["preemptionPolicy"] = "PreemptLowerPriority"
    spec["priority"] = spec.get("priority", 0)
    spec["serviceAccount"] = spec.get("serviceAccountName", "default")
    spec["serviceAccountName"] = spec.get("serviceAccountName", "default")
    tol = list(tolerations or spec.get("tolerations", []))
    tol += [{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists",
             "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists",
             "tolerationSeconds": 300}]
    spec["tolerations"] = tol
    spec["volumes"] = list(spec.get("volumes", [])) + [{"name": vol, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                    "path": "namespace"}]}}]}}]
    if node_affinity_name:
        spec["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_affinity_name]}]}]}}}
    if node_name:
        spec["nodeName"] = node_name
    meta = {"creationTimestamp": c.t(created_ago), "labels": labels, "name": name, "namespace": ns,
            "resourceVersion": c.nextrv(), "uid": uid}
    if owner:
        meta["generateName"] = name.rsplit("-", 1)[0] + "-" if owner["kind"] not in ("StatefulSet", "Node") else None
        if meta["generateName"] is None:
            del meta["generateName"]
        meta["ownerReferences"] = [{"apiVersion": owner.get("apiVersion", "apps/v1"), "blockOwnerDeletion": True,
                                    "controller": True, "kind": owner["kind"], "name": owner["name"],
                                    "uid": owner["uid"]}]
    meta.update(extra_meta or {})
    status = {"qosClass": qos}
    start = created_ago - 1
    if not scheduled:
        status["phase"] = "Pending"
        status["conditions"] = [{"lastProbeTime": None, "lastTransitionTime": c.t(created_ago - 1),
                                 "message": pending_msg, "reason": pending_reason or "Unschedulable",
                                 "status": "False", "type": "PodScheduled"}]
        return c.add({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status})
    cstat = [_ctr_status(c, ctr, st, name, ns, uid) for ctr, st in zip(spec["containers"], statuses)]
    all_ready = all(s["ready"] for s in cstat)
    if ready_override is not None:
        all_ready = ready_override
    unready = [s["name"] for s in cstat if not s["ready"]]
    terminated_all = all("terminated" in s["state"] for s in cstat)
    if phase is None:
        if terminated_all:
            phase = "Succeeded" if all(s["state"]["terminated"]["exitCode"] == 0 for s in cstat) else "Failed"
        elif any("running" in s["state"] for s in cstat):
            phase = "Running"
        else:
            phase = "Running" if any(s["restartCount"] > 0 for s in cstat) else "Pending"
    ready_ago = min([st.get("started_ago", start) for st in statuses if st["kind"] == "running"] or [start]) - 5
    conds = [
        {"lastProbeTime": None, "lastTransitionTime": c.t(start - 2),
         "status": "False" if phase in ("Succeeded", "Failed") else "True", "type": "PodReadyToStartContainers"},
        {"lastProbeTime": None, "lastTransitionTime": c.t(start), "status": "True", "type": "Initialized"}]
    if all_ready:
        conds += [{"lastProbeTime": None, "lastTransitionTime": c.t(max(ready_ago, 1)), "status": "True",
                   "type": "Ready"},
                  {"lastProbeTime": None, "lastTransitionTime": c.t(max(ready_ago, 1)), "status": "True",
                   "type": "ContainersReady"}]
    else:
        reason = "PodCompleted" if phase in ("Succeeded", "Failed") else "ContainersNotReady"
        msg = None if reason == "PodCompleted" else f"containers with unready status: [{' '.join(unready)}]"
        for t_ in ("Ready", "ContainersReady"):
            cd = {"lastProbeTime": None, "lastTransitionTime": c.t(start), "reason": reason, "status": "False",
                  "type": t_}
            if msg:
                cd["message"] = msg
            conds.append(cd)
    conds.append({"lastProbeTime": None, "lastTransitionTime": c.t(created_ago), "status": "True",
                  "type": "PodScheduled"})
    status.update({"conditions": conds, "containerStatuses": cstat, "hostIP": host_ip, "hostIPs": [{"ip": host_ip}],
                   "phase": phase, "startTime": c.t(start)})
    ip = host_ip if host_network else (pod_ip or f"10.{c.rng.randint(1, 250)}.{c.rng.randint(0, 250)}."
                                                  f"{c.rng.randint(2, 250)}")
    if phase != "Pending" or host_network:
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    status.update(status_extra or {})
    return c.add({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status})


# ---- workloads -------------------------------------------------------------------------------------------------

def deployment(c, ns, name, *, labels, revisions, replicas, age_days=60, progress=None, strategy=None,
               annotations=None, deadline=600, paused=False):
    """revisions: list (oldest first) of dicts: rev, template(containers...), created_ago, replicas (RS spec),
    pods: list of (node, host_ip, statuses, created_ago, kwargs). The last entry is the current revision.
    progress: None (complete) or dict(reason, status, message, transition_ago, update_ago)."""
    duid = c.uid()
    sel = {"matchLabels": dict(labels)}
    cur = revisions[-1]
    all_pods = []
    ready_total = avail_total = total = updated = 0
    rs_objs = []
    for r in revisions:
        h = r.get("hash") or c.h(10)
        r["hash"] = h
        rs_name = f"{name}-{h}"
        rs_uid = c.uid()
        plabels = {**r["template"]["metadata"]["labels"], "pod-template-hash": h}
        tmpl = {"metadata": {**r["template"]["metadata"], "labels": plabels}, "spec": r["template"]["spec"]}
        pods = []
        for p in r.get("pods", []):
            node_name, host_ip, statuses, created_ago, kw = p
            pods.append(pod(c, ns, f"{rs_name}-{c.h(5)}", owner={"kind": "ReplicaSet", "name": rs_name, "uid": rs_uid},
                            labels=plabels, template=tmpl, node_name=node_name, host_ip=host_ip,
                            statuses=statuses, created_ago=created_ago, **kw))
        rdy = sum(1 for p in pods if any(cd["type"] == "Ready" and cd["status"] == "True"
                                         for cd in p["status"].get("conditions", [])))
        r["pod_objs"] = pods
        r["rs_name"] = rs_name
        total += len(pods)
        ready_total += rdy
        if r is cur:
            updated = len(pods)
        rs_status = {"observedGeneration": r.get("rs_generation", 3), "replicas": len(pods)}
        if pods:
            rs_status["fullyLabeledReplicas"] = len(pods)
        if rdy:
            rs_status.update({"availableReplicas": rdy, "readyReplicas": rdy})
        rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
              "metadata": {"annotations": {"deployment.kubernetes.io/desired-replicas": str(replicas),
                                           "deployment.kubernetes.io/max-replicas": str(replicas + max(1, replicas // 4)),
                                           "deployment.kubernetes.io/revision": str(r["rev"])},
                           "creationTimestamp": c.t(r["created_ago"]), "generation": r.get("rs_generation", 3),
                           "labels": plabels, "name": rs_name, "namespace": ns,
                           "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                                "kind": "Deployment", "name": name, "uid": duid}],
                           "resourceVersion": c.nextrv(), "uid": rs_uid},
              "spec": {"replicas": r["replicas"],
                       "selector": {"matchLabels": {**labels, "pod-template-hash": h}}, "template": tmpl},
              "status": rs_status}
        rs_objs.append(rs)
    avail_total = ready_total
    if progress is None:
        prog = {"lastTransitionTime": c.t(age_days * 86400 - 5), "lastUpdateTime": c.t(cur["created_ago"] - 60),
                "message": f'ReplicaSet "{name}-{cur["hash"]}" has successfully progressed.',
                "reason": "NewReplicaSetAvailable", "status": "True", "type": "Progressing"}
    else:
        prog = {"lastTransitionTime": c.t(progress["transition_ago"]), "lastUpdateTime": c.t(progress["update_ago"]),
                "message": progress["message"].replace("{rs}", f"{name}-{cur['hash']}"),
                "reason": progress["reason"], "status": progress["status"], "type": "Progressing"}
    min_avail = avail_total >= replicas - (0 if strategy and strategy.get("rollingUpdate", {}).get(
        "maxUnavailable") in (0, "0") else max(1, replicas // 4)) if replicas else True
    avail = {"lastTransitionTime": c.t(age_days * 86400 - 20), "lastUpdateTime": c.t(age_days * 86400 - 20),
             "message": "Deployment has minimum availability." if min_avail else
             "Deployment does not have minimum availability.",
             "reason": "MinimumReplicasAvailable" if min_avail else "MinimumReplicasUnavailable",
             "status": "True" if min_avail else "False", "type": "Available"}
    dstatus = {"conditions": [avail, prog], "observedGeneration": revisions[-1].get("generation", 7)}
    if total:
        dstatus["replicas"] = total
    if ready_total:
        dstatus.update({"availableReplicas": avail_total, "readyReplicas": ready_total})
    if updated:
        dstatus["updatedReplicas"] = updated
    if total - avail_total > 0:
        dstatus["unavailableReplicas"] = total - avail_total
    ann = {"deployment.kubernetes.io/revision": str(cur["rev"]), **(annotations or {})}
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"annotations": ann, "creationTimestamp": c.t(age_days * 86400),
                        "generation": revisions[-1].get("generation", 7), "labels": labels, "name": name,
                        "namespace": ns, "resourceVersion": c.nextrv(), "uid": duid},
           "spec": {"progressDeadlineSeconds": deadline, "replicas": replicas, "revisionHistoryLimit": 10,
                    "selector": sel,
                    "strategy": strategy or {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                                             "type": "RollingUpdate"},
                    "template": cur["template"]},
           "status": dstatus}
    if paused:
        dep["spec"]["paused"] = True
    c.add(dep, *rs_objs)
    return {"uid": duid, "revisions": revisions, "obj": dep}


def controller_revision(c, ns, owner_kind, owner_name, owner_uid, labels, template, rev, created_ago, hash_):
    ann = {"deprecated.daemonset.template.generation": str(rev)} if owner_kind == "DaemonSet" else None
    md = {"creationTimestamp": c.t(created_ago), "labels": {**labels, "controller-revision-hash": hash_},
          "name": f"{owner_name}-{hash_}", "namespace": ns,
          "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                               "kind": owner_kind, "name": owner_name, "uid": owner_uid}],
          "resourceVersion": c.nextrv(), "uid": c.uid()}
    if ann:
        md["annotations"] = ann
    return c.add({"apiVersion": "apps/v1", "data": {"spec": {"template": {"$patch": "replace", **template}}},
                  "kind": "ControllerRevision", "metadata": md, "revision": rev})


def daemonset(c, ns, name, *, labels, template, nodes, age_days=200, generation=1, old_templates=None,
              statuses_by_node=None, created_ago_by_node=None, tolerate_all=True, extra_meta=None):
    """nodes: list of (node_name, host_ip). statuses_by_node: {node: [statuses]} overrides the default Ready."""
    uid = c.uid()
    revs = []
    for i, tmpl in enumerate((old_templates or []) + [template]):
        rev = generation - len(old_templates or []) + i
        hsh = c.h(10)
        revs.append((rev, hsh, tmpl))
        controller_revision(c, ns, "DaemonSet", name, uid, labels, tmpl, rev,
                            (age_days * 86400 - 30) if i == 0 else (age_days * 86400) // (len(revs) + 1), hsh)
    rev, hsh, tmpl = revs[-1]
    ready = 0
    for n, ip in nodes:
        sts = (statuses_by_node or {}).get(n) or [running(c, 86400 * 9) for _ in tmpl["spec"]["containers"]]
        created = (created_ago_by_node or {}).get(n, 86400 * 9 + 30)
        plabels = {**labels, "controller-revision-hash": hsh, "pod-template-generation": str(rev)}
        tols = [{"operator": "Exists"}] if tolerate_all else None
        p = pod(c, ns, f"{name}-{c.h(5)}", owner={"kind": "DaemonSet", "name": name, "uid": uid}, labels=plabels,
                template=tmpl, node_name=n, host_ip=ip, statuses=sts, created_ago=created,
                node_affinity_name=n, host_network=tmpl["spec"].get("hostNetwork", False), tolerations=tols,
                qos="Burstable")
        if all(s["ready"] for s in p["status"]["containerStatuses"]):
            ready += 1
    n = len(nodes)
    st = {"currentNumberScheduled": n, "desiredNumberScheduled": n, "numberMisscheduled": 0, "numberReady": ready,
          "observedGeneration": generation, "updatedNumberScheduled": n}
    if ready:
        st["numberAvailable"] = ready
    if n - ready:
        st["numberUnavailable"] = n - ready
    spec_t = {"metadata": tmpl["metadata"], "spec": tmpl["spec"]}
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet",
          "metadata": {"annotations": {"deprecated.daemonset.template.generation": str(generation)},
                       "creationTimestamp": c.t(age_days * 86400), "generation": generation, "labels": labels,
                       "name": name, "namespace": ns, "resourceVersion": c.nextrv(), "uid": uid,
                       **(extra_meta or {})},
          "spec": {"revisionHistoryLimit": 10, "selector": {"matchLabels": labels}, "template": spec_t,
                   "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"}},
          "status": st}
    c.add(ds)
    return {"uid": uid, "obj": ds}


def service(c, ns, name, *, selector, ports, endpoints=None, svc_type="ClusterIP", cluster_ip=None, labels=None,
            headless=False, external_name=None, age_days=90):
    """endpoints: list of (pod_obj) ready, or None for no Endpoints object, [] for an empty one."""
    spec = {"internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
            "ports": [{"name": p[0], "port": p[1], "protocol": "TCP", "targetPort": p[2]} for p in ports],
            "sessionAffinity": "None", "type": svc_type}
    if selector is not None:
        spec["selector"] = selector
    if headless:
        spec["clusterIP"] = "None"
        spec["clusterIPs"] = ["None"]
    elif svc_type != "ExternalName":
        ip = cluster_ip or f"172.20.{c.rng.randint(0, 255)}.{c.rng.randint(2, 254)}"
        spec["clusterIP"] = ip
        spec["clusterIPs"] = [ip]
    if svc_type == "ExternalName":
        spec = {"externalName": external_name, "sessionAffinity": "None", "type": "ExternalName",
                "ports": spec["ports"]}
    md = {"creationTimestamp": c.t(age_days * 86400), "name": name, "namespace": ns, "resourceVersion": c.nextrv(),
          "uid": c.uid()}
    if labels:
        md["labels"] = labels
    c.add({"apiVersion": "v1", "kind": "Service", "metadata": md, "spec": spec, "status": {"loadBalancer": {}}})
    if endpoints is None:
        return
    emd = {"creationTimestamp": c.t(age_days * 86400), "name": name, "namespace": ns,
           "resourceVersion": c.nextrv(), "uid": c.uid()}
    if labels:
        emd["labels"] = labels
    ep = {"apiVersion": "v1", "kind": "Endpoints", "metadata": emd}
    if endpoints:
        emd["annotations"] = {"endpoints.kubernetes.io/last-change-trigger-time": c.t(3 * 3600)}
        ep["subsets"] = [{"addresses": [{"ip": p["status"]["podIP"], "nodeName": p["spec"]["nodeName"],
                                         "targetRef": {"kind": "Pod", "name": p["metadata"]["name"],
                                                       "namespace": ns, "uid": p["metadata"]["uid"]}}
                                        for p in endpoints],
                          "ports": [{"name": p[0], "port": p[3] if len(p) > 3 else p[1], "protocol": "TCP"}
                                    for p in ports]}]
    c.add(ep)


def configmap(c, ns, name, data, age_days=60):
    return c.add({"apiVersion": "v1", "data": data, "kind": "ConfigMap",
                  "metadata": {"creationTimestamp": c.t(age_days * 86400), "name": name, "namespace": ns,
                               "resourceVersion": c.nextrv(), "uid": c.uid()}})


def secret(c, ns, name, keys, age_days=60, type_="Opaque"):
    return c.add({"apiVersion": "v1", "data": {k: "" for k in sorted(keys)}, "kind": "Secret",
                  "metadata": {"creationTimestamp": c.t(age_days * 86400), "name": name, "namespace": ns,
                               "resourceVersion": c.nextrv(), "uid": c.uid()}, "type": type_})


# ---- events ----------------------------------------------------------------------------------------------------

def involved(obj, field_path=None, uid_override=None):
    md = obj["metadata"]
    io = {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": md["name"],
          "resourceVersion": md["resourceVersion"], "uid": uid_override or md["uid"]}
    if md.get("namespace"):
        io["namespace"] = md["namespace"]
    if field_path:
        io["fieldPath"] = field_path
    return io


def event(c, obj, reason, message, *, first_ago, last_ago=None, count=1, type_="Normal", component="kubelet",
          host=None, field_path=None, uid_override=None, ns=None):
    """A legacy core/v1 event (kubelet, controllers)."""
    last_ago = first_ago if last_ago is None else last_ago
    if last_ago > 3600:
        return None  # past the one-hour event TTL: a real API server has dropped it
    io = involved(obj, field_path, uid_override)
    if obj["kind"] == "Node":
        io.pop("resourceVersion", None)
        if uid_override:  # the kubelet names the node by name in place of a uid and prints no apiVersion
            io.pop("apiVersion", None)
    src = {"component": component}
    if host:
        src["host"] = host
    return c.add({"apiVersion": "v1", "count": count, "eventTime": None, "firstTimestamp": c.t(first_ago),
                  "involvedObject": io, "kind": "Event", "lastTimestamp": c.t(last_ago), "message": message,
                  "metadata": {"creationTimestamp": c.t(first_ago), "name": c.event_name(obj["metadata"]["name"]),
                               "namespace": ns or obj["metadata"].get("namespace") or "default",
                               "resourceVersion": c.nextrv(), "uid": c.uid()},
                  "reason": reason, "reportingComponent": component, "reportingInstance": host or "",
                  "source": src, "type": type_})


def sched_event(c, pod_obj, reason, message, *, first_ago, series=None, instance="default-scheduler-cp"):
    """A scheduler event written through events.k8s.io/v1, as the core/v1 view prints it."""
    ev = {"apiVersion": "v1", "eventTime": c.t(first_ago, frac=True), "firstTimestamp": None,
          "involvedObject": involved(pod_obj), "kind": "Event", "lastTimestamp": None, "message": message,
          "metadata": {"creationTimestamp": c.t(first_ago), "name": c.event_name(pod_obj["metadata"]["name"]),
                       "namespace": pod_obj["metadata"]["namespace"], "resourceVersion": c.nextrv(), "uid": c.uid()},
          "reason": reason, "reportingComponent": "default-scheduler", "reportingInstance": instance,
          "source": {}, "type": "Normal" if reason == "Scheduled" else "Warning"}
    if reason == "Scheduled":
        ev["action"] = "Binding"
    else:
        ev["action"] = "Scheduling"
    if series:
        count, last_ago = series
        ev["series"] = {"count": count, "lastObservedTime": c.t(last_ago, frac=True)}
    if first_ago > 3600 and not (series and series[1] <= 3600):
        return None
    return c.add(ev)


def pod_start_events(c, p, node_name, created_ago, sched_instance="default-scheduler-cp"):
    """Scheduled/Pulled/Created/Started for a pod created within the hour."""
    ns = p["metadata"]["namespace"]
    sched_event(c, p, "Scheduled", f"Successfully assigned {ns}/{p['metadata']['name']} to {node_name}",
                first_ago=created_ago, instance=sched_instance)
    for ctr in p["spec"]["containers"]:
        fp = f"spec.containers{{{ctr['name']}}}"
        event(c, p, "Pulled", f'Container image "{ctr["image"]}" already present on machine', first_ago=created_ago - 2,
              host=node_name, field_path=fp)
        event(c, p, "Created", f"Created container {ctr['name']}", first_ago=created_ago - 2, host=node_name,
              field_path=fp)
        event(c, p, "Started", f"Started container {ctr['name']}", first_ago=created_ago - 3, host=node_name,
              field_path=fp)


# ---- output ----------------------------------------------------------------------------------------------------

KIND_ORDER = ["Namespace", "Node", "StorageClass", "PersistentVolume", "ConfigMap", "Secret", "Service", "Endpoints",
              "PersistentVolumeClaim", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ControllerRevision",
              "CronJob", "Job", "HorizontalPodAutoscaler", "Pod", "Event"]


class _Dumper(yaml.SafeDumper):
    pass


def _str_rep(dumper, data):
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_rep)


def dump(c, path, as_list_kinds=()):
    objs = sorted(c.objects, key=lambda o: KIND_ORDER.index(o["kind"]))
    out = []
    groups = {}
    for o in objs:
        groups.setdefault(o["kind"], []).append(o)
    for kind in KIND_ORDER:
        items = groups.get(kind, [])
        if not items:
            continue
        if kind in as_list_kinds:
            out.append({"apiVersion": "v1", "items": items, "kind": "List",
                        "metadata": {"resourceVersion": ""}})
        else:
            out.extend(items)
    with open(path, "w") as f:
        for d in out:
            f.write("---\n")
            f.write(yaml.dump(d, Dumper=_Dumper, sort_keys=True, default_flow_style=False, width=120))


def statefulset(c, ns, name, *, labels, revisions, replicas, service_name, partition=0, age_days=120,
                claim_templates=None, pods=None, pod_management="OrderedReady"):
    """revisions: list (oldest first) of (rev, template, created_ago). pods: list of
    (ordinal, rev_index, node, host_ip, statuses, created_ago, kwargs)."""
    uid = c.uid()
    hashes = []
    for rev, tmpl, created in revisions:
        hsh = c.h(10)
        hashes.append(hsh)
        controller_revision(c, ns, "StatefulSet", name, uid, labels, tmpl, rev, created, hsh)
    cur_hash, upd_hash = hashes[-2] if len(hashes) > 1 and partition else hashes[-1], hashes[-1]
    if len(hashes) > 1 and partition == 0:
        # a finished update: current == update
        cur_hash = hashes[-1]
    made = []
    ready = cur_n = upd_n = 0
    for ordinal, ri, node_name, host_ip, statuses, created_ago, kw in (pods or []):
        hsh = hashes[ri]
        tmpl = revisions[ri][1]
        plabels = {**tmpl["metadata"]["labels"], "apps.kubernetes.io/pod-index": str(ordinal),
                   "controller-revision-hash": f"{name}-{hsh}",
                   "statefulset.kubernetes.io/pod-name": f"{name}-{ordinal}"}
        t2 = {"metadata": tmpl["metadata"], "spec": dict(tmpl["spec"], hostname=f"{name}-{ordinal}",
                                                          subdomain=service_name)}
        if claim_templates:
            t2["spec"]["volumes"] = [{"name": ct, "persistentVolumeClaim": {"claimName": f"{ct}-{name}-{ordinal}"}}
                                     for ct in claim_templates] + list(tmpl["spec"].get("volumes", []))
        p = pod(c, ns, f"{name}-{ordinal}", owner={"kind": "StatefulSet", "name": name, "uid": uid},
                labels=plabels, template=t2, node_name=node_name, host_ip=host_ip, statuses=statuses,
                created_ago=created_ago, **kw)
        made.append(p)
        if p["status"].get("containerStatuses") and all(s["ready"] for s in p["status"]["containerStatuses"]):
            ready += 1
        if hsh == upd_hash:
            upd_n += 1
        if hsh == cur_hash:
            cur_n += 1
    tmpl = revisions[-1][1]
    spec = {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
            "podManagementPolicy": pod_management, "replicas": replicas, "revisionHistoryLimit": 10,
            "selector": {"matchLabels": labels}, "serviceName": service_name, "template": tmpl,
            "updateStrategy": {"rollingUpdate": {"partition": partition}, "type": "RollingUpdate"}}
    if claim_templates:
        spec["volumeClaimTemplates"] = [
            {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"creationTimestamp": None, "name": ct},
             "spec": spec_} for ct, spec_ in claim_templates.items()]
        for v in spec["volumeClaimTemplates"]:
            v["status"] = {"phase": "Pending"}
    st = {"availableReplicas": ready, "collisionCount": 0, "currentReplicas": cur_n,
          "currentRevision": f"{name}-{cur_hash}", "observedGeneration": len(revisions) + 1, "readyReplicas": ready,
          "replicas": len(made), "updateRevision": f"{name}-{upd_hash}", "updatedReplicas": upd_n}
    if not ready:
        del st["readyReplicas"]
    obj = {"apiVersion": "apps/v1", "kind": "StatefulSet",
           "metadata": {"creationTimestamp": c.t(age_days * 86400), "generation": len(revisions) + 1,
                        "labels": labels, "name": name, "namespace": ns, "resourceVersion": c.nextrv(), "uid": uid},
           "spec": spec, "status": st}
    c.add(obj)
    return {"uid": uid, "obj": obj, "pods": made, "hashes": hashes}


def pvc(c, ns, name, *, size, sc=None, phase="Bound", labels=None, age_days=100, selected_node=None,
        provisioner=None):
    md = {"creationTimestamp": c.t(age_days * 86400), "finalizers": ["kubernetes.io/pvc-protection"], "name": name,
          "namespace": ns, "resourceVersion": c.nextrv(), "uid": c.uid()}
    if labels:
        md["labels"] = labels
    ann = {}
    if phase == "Bound":
        ann.update({"pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes"})
    if provisioner:
        ann["volume.beta.kubernetes.io/storage-provisioner"] = provisioner
        ann["volume.kubernetes.io/storage-provisioner"] = provisioner
    if selected_node:
        ann["volume.kubernetes.io/selected-node"] = selected_node
    if ann:
        md["annotations"] = ann
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}},
            "volumeMode": "Filesystem"}
    if sc is not None:
        spec["storageClassName"] = sc
    st = {"phase": phase}
    if phase == "Bound":
        spec["volumeName"] = f"pvc-{md['uid']}"
        st.update({"accessModes": ["ReadWriteOnce"], "capacity": {"storage": size}})
    return c.add({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": md, "spec": spec, "status": st})


def cronjob(c, ns, name, *, schedule, job_template, age_days=200, last_schedule_ago=None, last_success_ago=None,
            active=None, success_limit=3, failed_limit=1):
    uid = c.uid()
    st = {}
    if last_schedule_ago is not None:
        st["lastScheduleTime"] = c.t(last_schedule_ago)
    if last_success_ago is not None:
        st["lastSuccessfulTime"] = c.t(last_success_ago)
    if active:
        st["active"] = active
    obj = {"apiVersion": "batch/v1", "kind": "CronJob",
           "metadata": {"creationTimestamp": c.t(age_days * 86400), "generation": 1, "name": name, "namespace": ns,
                        "resourceVersion": c.nextrv(), "uid": uid},
           "spec": {"concurrencyPolicy": "Forbid", "failedJobsHistoryLimit": failed_limit,
                    "jobTemplate": {"metadata": {"creationTimestamp": None}, "spec": job_template},
                    "schedule": schedule, "successfulJobsHistoryLimit": success_limit, "suspend": False,
                    "timeZone": "Etc/UTC"},
           "status": st}
    c.add(obj)
    return obj


def job(c, ns, name, *, template, created_ago, owner=None, backoff=6, pods=(), outcome="Complete",
        finished_ago=None, labels=None):
    """pods: list of (node, host_ip, statuses, created_ago). outcome: Complete | Failed | Running."""
    uid = c.uid()
    jl = {"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name,
          "controller-uid": uid, "job-name": name, **(labels or {})}
    tmpl = {"metadata": {"creationTimestamp": None, "labels": jl}, "spec": template["spec"]}
    made = []
    for node_name, host_ip, statuses, p_created in pods:
        made.append(pod(c, ns, f"{name}-{c.h(5)}", owner={"kind": "Job", "name": name, "uid": uid,
                                                          "apiVersion": "batch/v1"},
                        labels=jl, template=tmpl, node_name=node_name, host_ip=host_ip, statuses=statuses,
                        created_ago=p_created, qos="Burstable"))
    succeeded = sum(1 for p in made if p["status"]["phase"] == "Succeeded")
    failed = sum(1 for p in made if p["status"]["phase"] == "Failed")
    st = {"ready": 0, "startTime": c.t(created_ago), "terminating": 0,
          "uncountedTerminatedPods": {}}
    if succeeded:
        st["succeeded"] = succeeded
    if failed:
        st["failed"] = failed
    if outcome == "Complete":
        st["completionTime"] = c.t(finished_ago)
        st["conditions"] = [
            {"lastProbeTime": c.t(finished_ago), "lastTransitionTime": c.t(finished_ago), "message":
             "Reached expected number of succeeded pods", "reason": "CompletionsReached", "status": "True",
             "type": "SuccessCriteriaMet"},
            {"lastProbeTime": c.t(finished_ago), "lastTransitionTime": c.t(finished_ago), "message":
             "Reached expected number of succeeded pods", "reason": "CompletionsReached", "status": "True",
             "type": "Complete"}]
    elif outcome == "Failed":
        st["conditions"] = [
            {"lastProbeTime": c.t(finished_ago), "lastTransitionTime": c.t(finished_ago),
             "message": "Job has reached the specified backoff limit", "reason": "BackoffLimitExceeded",
             "status": "True", "type": "FailureTarget"},
            {"lastProbeTime": c.t(finished_ago), "lastTransitionTime": c.t(finished_ago),
             "message": "Job has reached the specified backoff limit", "reason": "BackoffLimitExceeded",
             "status": "True", "type": "Failed"}]
    else:
        st["active"] = sum(1 for p in made if p["status"]["phase"] in ("Running", "Pending"))
    md = {"creationTimestamp": c.t(created_ago), "generation": 1, "labels": jl, "name": name, "namespace": ns,
          "resourceVersion": c.nextrv(), "uid": uid}
    if owner:
        md["annotations"] = {"batch.kubernetes.io/cronjob-scheduled-timestamp": c.t(created_ago)}
        md["ownerReferences"] = [{"apiVersion": "batch/v1", "blockOwnerDeletion": True, "controller": True,
                                  "kind": "CronJob", "name": owner["metadata"]["name"],
                                  "uid": owner["metadata"]["uid"]}]
    spec = {"backoffLimit": backoff, "completionMode": "NonIndexed", "completions": 1, "manualSelector": False,
            "parallelism": 1, "podReplacementPolicy": "TerminatingOrFailed",
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}, "suspend": False,
            "template": tmpl}
    obj = {"apiVersion": "batch/v1", "kind": "Job", "metadata": md, "spec": spec, "status": st}
    c.add(obj)
    return {"obj": obj, "pods": made}


def hpa(c, ns, name, *, target_kind="Deployment", target, min_r, max_r, current, desired, cpu_target, cpu_now,
        conditions, age_days=60, last_scale_ago=None, request_m=250):
    st = {"conditions": [{"lastTransitionTime": c.t(ago), "message": msg, "reason": reason, "status": status,
                          "type": type_} for type_, status, reason, msg, ago in conditions],
          "currentMetrics": [{"resource": {"current": {"averageUtilization": cpu_now,
                                                        "averageValue": f"{cpu_now * request_m // 100}m"}, "name": "cpu"},
                              "type": "Resource"}],
          "currentReplicas": current, "desiredReplicas": desired}
    if last_scale_ago is not None:
        st["lastScaleTime"] = c.t(last_scale_ago)
    return c.add({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                  "metadata": {"creationTimestamp": c.t(age_days * 86400), "name": name, "namespace": ns,
                               "resourceVersion": c.nextrv(), "uid": c.uid()},
                  "spec": {"maxReplicas": max_r, "metrics": [{"resource": {"name": "cpu", "target": {
                      "averageUtilization": cpu_target, "type": "Utilization"}}, "type": "Resource"}],
                           "minReplicas": min_r,
                           "scaleTargetRef": {"apiVersion": "apps/v1", "kind": target_kind, "name": target}},
                  "status": st})


def evict(c, p, *, at_ago, resource, message):
    """Turns a built pod into what the kubelet leaves after an eviction (phase Failed, reason Evicted)."""
    st = p["status"]
    st["phase"] = "Failed"
    st["reason"] = "Evicted"
    st["message"] = message
    conds = [{"lastProbeTime": None, "lastTransitionTime": c.t(at_ago),
              "message": f"The node was low on resource: {resource}.", "reason": "TerminationByKubelet",
              "status": "True", "type": "DisruptionTarget"}]
    for cd in st["conditions"]:
        if cd["type"] == "PodReadyToStartContainers":
            cd.update(status="False", lastTransitionTime=c.t(at_ago - 2))
        elif cd["type"] in ("Ready", "ContainersReady"):
            cd.clear()
            cd.update({"lastProbeTime": None, "lastTransitionTime": c.t(at_ago - 1), "reason": "PodFailed",
                       "status": "False", "type": "Ready"})
        conds.append(cd)
    # the loop above turned both Ready rows into Ready: fix the second
    seen = False
    for cd in conds:
        if cd.get("type") == "Ready" and cd.get("reason") == "PodFailed":
            if seen:
                cd["type"] = "ContainersReady"
            seen = True
    st["conditions"] = conds
    for cs in st["containerStatuses"]:
        started = cs["state"].get("running", {}).get("startedAt", c.t(at_ago + 3600))
        cs["ready"] = False
        cs["started"] = False
        cs["state"] = {"terminated": {"containerID": cs.get("containerID"), "exitCode": 137,
                                      "finishedAt": c.t(at_ago - 1), "reason": "Error", "startedAt": started}}
    return p


def with_init(c, p, name, image, ran_ago, ran_s=4):
    """Adds a completed init container (spec and status) to a built pod."""
    p["spec"]["initContainers"] = [{"image": image, "imagePullPolicy": "IfNotPresent", "name": name,
                                    "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}},
                                    "terminationMessagePath": "/dev/termination-log",
                                    "terminationMessagePolicy": "File"}]
    cid = f"containerd://{c.hexs()}"
    p["status"]["initContainerStatuses"] = [{
        "containerID": cid, "image": image, "imageID": f"{image.rsplit(':', 1)[0]}@sha256:{c.hexs()}",
        "lastState": {}, "name": name, "ready": True, "restartCount": 0, "started": False,
        "state": {"terminated": {"containerID": cid, "exitCode": 0, "finishedAt": c.t(ran_ago),
                                 "reason": "Completed", "startedAt": c.t(ran_ago + ran_s)}}}]
    return p
