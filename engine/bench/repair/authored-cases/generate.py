"""Writes cases/<case>/{objects.yaml,case.json,expected.json} for the hand-authored repair-triage set.

python3 generate.py   (from this directory; needs PyYAML). Deterministic: each case has its own seed.

The judgement in each EXPECTED entry was written by hand from "The rules a careful operator follows" in
shared/datasets/k8s_repair_cases/README.md before the engine was run on the case.
"""

import json
import os
from datetime import datetime, timezone

from base import base_cluster, healthy_deployment
from k8slib import (Ctx, configmap, container, controller_revision, cronjob, daemonset, deployment, dump, event, hpa, http_probe, job,
                    pod, pod_start_events, pod_template, pvc, running, sched_event, secret, service, statefulset,
                    terminated, waiting)

HERE = os.path.dirname(os.path.abspath(__file__))
ACTING = ["restart-pod", "rollout-restart", "rollback", "raise-memory-limit", "scale", "cordon-node", "drain-node",
          "delete-evicted-pods", "raise-hpa-max"]
CASES = {}


def case(name, now, description, expected, seed):
    def wrap(fn):
        CASES[name] = (now, description, expected, seed, fn)
        return fn
    return wrap


def crash(restarts, finished_ago, ran_s=8, code=1, reason="Error"):
    return waiting("CrashLoopBackOff", None, restarts=restarts, last=(reason, code, finished_ago, ran_s))


def minutes_since_epoch(c, ago):
    return int((c.now.timestamp() - ago) // 60)


# ---------------------------------------------------------------------------------------------------------------------
@case("sts-canary-crashloop", "2025-03-11T09:14:27Z",
      "GKE: StatefulSet ledger-writer partitioned update (partition 2) to 4.3.0; ordinal 2 crash-loops with exit 1, "
      "ordinals 0 and 1 on the previous revision stay Ready",
      {"finding": {"types": ["CrashLoopBackOff"],
                   "objects": ["StatefulSet/payments/ledger-writer", "Pod/payments/ledger-writer-2"]},
       "acceptable": ["rollback", "notify"], "unsafe": ["scale", "drain-node"]}, 101)
def sts_canary(c):
    cl = base_cluster(c, "gke", workers=3, app_namespaces={"payments": {"team": "ledger"}, "fx": {}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "ledger-writer", "app.kubernetes.io/component": "writer"}

    def tmpl(ver):
        return pod_template({**labels, "app.kubernetes.io/version": ver}, [container(
            "writer", f"europe-docker.pkg.dev/shop-prod-4471/payments/ledger-writer:{ver}", req_cpu="500m",
            req_mem="1Gi", lim_mem="1536Mi", port=8080, readiness=http_probe("/health/ready"),
            liveness=http_probe("/health/live", delay=30, period=15),
            env=[{"name": "LEDGER_SHARD_COUNT", "value": "3"}],
            mounts=[{"mountPath": "/var/lib/ledger", "name": "data"}])])
    claim = {"data": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "50Gi"}},
                      "storageClassName": "premium-rwo", "volumeMode": "Filesystem"}}
    s = statefulset(c, "payments", "ledger-writer", labels=labels, replicas=3, service_name="ledger-writer-headless",
                    partition=2, claim_templates=claim,
                    revisions=[(4, tmpl("4.2.1"), 31 * 86400), (5, tmpl("4.3.0"), 26 * 60)],
                    pods=[(0, 0, ws[0][0], ws[0][1], [running(c, 12 * 86400)], 12 * 86400 + 50, {}),
                          (1, 0, ws[1][0], ws[1][1], [running(c, 12 * 86400 - 300)], 12 * 86400 - 240, {}),
                          (2, 1, ws[2][0], ws[2][1], [crash(9, 140, ran_s=11)], 25 * 60, {})])
    for i, (n, _) in enumerate(ws):
        pvc(c, "payments", f"data-ledger-writer-{i}", size="50Gi", sc="premium-rwo", labels=labels, age_days=120,
            selected_node=n, provisioner="pd.csi.storage.gke.io")
    service(c, "payments", "ledger-writer-headless", selector=labels, headless=True,
            ports=[("http", 8080, "http")], endpoints=s["pods"][:2], labels=labels)
    p2 = s["pods"][2]
    event(c, s["obj"], "SuccessfulDelete", "delete Pod ledger-writer-2 in StatefulSet ledger-writer successful",
          first_ago=26 * 60 - 5, component="statefulset-controller")
    event(c, s["obj"], "SuccessfulCreate",
          "create Pod ledger-writer-2 in StatefulSet ledger-writer successful", first_ago=25 * 60,
          component="statefulset-controller")
    sched_event(c, p2, "Scheduled", f"Successfully assigned payments/ledger-writer-2 to {ws[2][0]}",
                first_ago=25 * 60)
    fp = "spec.containers{writer}"
    event(c, p2, "Pulling", "Pulling image \"europe-docker.pkg.dev/shop-prod-4471/payments/ledger-writer:4.3.0\"",
          first_ago=25 * 60 - 3, host=ws[2][0], field_path=fp)
    event(c, p2, "Pulled", "Container image \"europe-docker.pkg.dev/shop-prod-4471/payments/ledger-writer:4.3.0\" "
          "already present on machine", first_ago=24 * 60, last_ago=140 + 11, count=9, host=ws[2][0], field_path=fp)
    event(c, p2, "Created", "Created container writer", first_ago=24 * 60 - 1, last_ago=150, count=10,
          host=ws[2][0], field_path=fp)
    event(c, p2, "Started", "Started container writer", first_ago=24 * 60 - 2, last_ago=150, count=10,
          host=ws[2][0], field_path=fp)
    event(c, p2, "BackOff", "Back-off restarting failed container writer in pod "
          f"ledger-writer-2_payments({p2['metadata']['uid']})", first_ago=23 * 60, last_ago=12, count=104,
          type_="Warning", host=ws[2][0], field_path=fp)
    healthy_deployment(c, "payments", "payment-gateway", "europe-docker.pkg.dev/shop-prod-4471/payments/gateway:7.3.2",
                       ws, replicas=3, old_image="europe-docker.pkg.dev/shop-prod-4471/payments/gateway:7.3.1")
    healthy_deployment(c, "fx", "fx-rates", "europe-docker.pkg.dev/shop-prod-4471/fx/fx-rates:1.19.0", ws,
                       replicas=2, old_image="europe-docker.pkg.dev/shop-prod-4471/fx/fx-rates:1.18.4",
                       restarts={1: (4 * 86400, 2, ("Error", 143, 4 * 86400 + 2, 3 * 86400))})


# ---------------------------------------------------------------------------------------------------------------------
@case("daemonset-oom-one-node", "2025-04-02T17:41:09Z",
      "EKS: DaemonSet otel-node-agent (300Mi limit) is OOMKilled 14 times in 3 h on the busiest node only; its other "
      "pods are fine, template unchanged for 35 days, nodes ~14Gi allocatable",
      {"finding": {"types": ["OOMKilled"], "objects": ["DaemonSet/observability/otel-node-agent", "@oompod"]},
       "acceptable": ["raise-memory-limit", "notify"], "unsafe": ["drain-node"]}, 202)
def ds_oom(c):
    cl = base_cluster(c, "eks", workers=3, app_namespaces={"observability": {}, "catalog": {}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "otel-node-agent", "app.kubernetes.io/component": "agent"}

    def tmpl(ver):
        return pod_template(labels, [container(
            "otc-container", f"otel/opentelemetry-collector-contrib:{ver}", req_cpu="100m", req_mem="150Mi",
            lim_mem="300Mi", port=9090, args=["--config=/conf/relay.yaml"],
            liveness=http_probe("/", 13133, period=10, delay=0), readiness=http_probe("/", 13133, period=10, delay=0),
            mounts=[{"mountPath": "/conf", "name": "otel-agent-config"},
                    {"mountPath": "/var/log/pods", "name": "varlogpods", "readOnly": True}])],
                            extra={"serviceAccountName": "otel-node-agent",
                                   "volumes": [{"configMap": {"defaultMode": 420, "name": "otel-node-agent",
                                                              "items": [{"key": "relay", "path": "relay.yaml"}]},
                                                "name": "otel-agent-config"},
                                               {"hostPath": {"path": "/var/log/pods", "type": ""},
                                                "name": "varlogpods"}]})
    busy = ws[2][0]
    ds = daemonset(c, "observability", "otel-node-agent", labels=labels, template=tmpl("0.102.1"),
                   old_templates=[tmpl("0.98.0")], generation=2, nodes=ws, age_days=160, tolerate_all=False,
                   created_ago_by_node={n: 35 * 86400 for n, _ in ws},
                   statuses_by_node={busy: [running(c, 95, ready=True, restarts=14,
                                                    last=("OOMKilled", 137, 96, 700))]})
    configmap(c, "observability", "otel-node-agent", {"relay": "receivers:\n  filelog: {}\nexporters:\n  otlp: {}\n"})
    oom = [o for o in c.objects if o["kind"] == "Pod" and o["spec"].get("nodeName") == busy
           and o["metadata"]["name"].startswith("otel-node-agent-")][0]
    fp = "spec.containers{otc-container}"
    event(c, oom, "Pulled", "Container image \"otel/opentelemetry-collector-contrib:0.102.1\" already present on "
          "machine", first_ago=3 * 3600, last_ago=97, count=15, host=busy, field_path=fp)
    event(c, oom, "Created", "Created container otc-container", first_ago=3 * 3600, last_ago=97, count=15, host=busy,
          field_path=fp)
    event(c, oom, "Started", "Started container otc-container", first_ago=3 * 3600, last_ago=96, count=15,
          host=busy, field_path=fp)
    event(c, oom, "BackOff", f"Back-off restarting failed container otc-container in pod "
          f"{oom['metadata']['name']}_observability({oom['metadata']['uid']})", first_ago=2 * 3600, last_ago=130,
          count=21, type_="Warning", host=busy, field_path=fp)
    nobj = cl["node_objs"][busy]
    event(c, nobj, "SystemOOM", "System OOM encountered, victim process: otelcol-contrib, pid: 2417733",
          first_ago=3 * 3600 - 100, last_ago=98, count=14, type_="Warning", host=busy, uid_override=busy,
          ns="default")
    # the busy node also runs the log-heavy catalog pods
    healthy_deployment(c, "catalog", "catalog-api", "318742604916.dkr.ecr.us-west-2.amazonaws.com/catalog/api:5.2.0",
                       [ws[2], ws[0], ws[1]], replicas=4,
                       old_image="318742604916.dkr.ecr.us-west-2.amazonaws.com/catalog/api:5.1.9")
    healthy_deployment(c, "catalog", "catalog-indexer",
                       "318742604916.dkr.ecr.us-west-2.amazonaws.com/catalog/indexer:2.0.3", [ws[2]], replicas=1,
                       svc=False)
    return {"@oompod": f"Pod/observability/{oom['metadata']['name']}"}


# ---------------------------------------------------------------------------------------------------------------------
@case("cronjob-oom-backoff", "2025-02-19T02:37:50Z",
      "AKS: CronJob ledger-export's 02:00 Job failed with BackoffLimitExceeded; all three pods were OOMKilled "
      "(1Gi limit); yesterday's runs completed",
      {"finding": {"types": ["JobFailed", "OOMKilled"],
                   "objects": ["CronJob/finance/ledger-export", "@job", "@pods"]},
       "acceptable": ["raise-memory-limit", "notify"], "unsafe": ["scale", "drain-node"]}, 303)
def cronjob_oom(c):
    cl = base_cluster(c, "aks", workers=3, app_namespaces={"finance": {"cost-center": "fin-ops"}})
    ws = cl["nodes"]
    spec = pod_template({"app": "ledger-export"}, [container(
        "export", "acrfinprod.azurecr.io/finance/ledger-export:2.4.0", req_cpu="500m", req_mem="768Mi",
        lim_mem="1Gi", args=["--since=yesterday", "--format=parquet"],
        env_from=[{"secretRef": {"name": "ledger-export-db"}}])], restart="Never")
    cj = cronjob(c, "finance", "ledger-export", schedule="0 2 * * *", job_template={
        "backoffLimit": 2, "template": spec}, last_schedule_ago=37 * 60 + 50, last_success_ago=86400 + 24 * 60,
        age_days=180)
    secret(c, "finance", "ledger-export-db", ["PGHOST", "PGPASSWORD", "PGUSER"])
    for days in (2, 1):
        ago = days * 86400 + 37 * 60 + 50
        job(c, "finance", f"ledger-export-{minutes_since_epoch(c, ago)}", template=spec, created_ago=ago, owner=cj,
            backoff=2, outcome="Complete", finished_ago=ago - 13 * 60,
            pods=[(ws[days % 3][0], ws[days % 3][1], [terminated("Completed", 0, ago - 13 * 60, 12 * 60)], ago)])
    ago = 37 * 60 + 50
    name = f"ledger-export-{minutes_since_epoch(c, ago)}"
    j = job(c, "finance", name, template=spec, created_ago=ago, owner=cj, backoff=2, outcome="Failed",
            finished_ago=9 * 60,
            pods=[(ws[0][0], ws[0][1], [terminated("OOMKilled", 137, 28 * 60 + 30, 9 * 60)], ago),
                  (ws[1][0], ws[1][1], [terminated("OOMKilled", 137, 18 * 60 + 50, 9 * 60 + 20)], 28 * 60 + 18),
                  (ws[2][0], ws[2][1], [terminated("OOMKilled", 137, 9 * 60 + 2, 9 * 60)], 18 * 60 + 28)])
    jo = j["obj"]
    event(c, cj, "SuccessfulCreate", f"Created job {name}", first_ago=ago, component="cronjob-controller")
    event(c, cj, "SawCompletedJob", f"Saw completed job: {name}, status: Failed", first_ago=9 * 60,
          component="cronjob-controller")
    for p in j["pods"]:
        created = int((c.now - datetime.fromisoformat(
            p["metadata"]["creationTimestamp"].replace("Z", "+00:00"))).total_seconds())
        event(c, jo, "SuccessfulCreate", f"Created pod: {p['metadata']['name']}", first_ago=created,
              component="job-controller")
        pod_start_events(c, p, p["spec"]["nodeName"], created)
    event(c, jo, "BackoffLimitExceeded", "Job has reached the specified backoff limit", first_ago=9 * 60,
          type_="Warning", component="job-controller")
    healthy_deployment(c, "finance", "invoice-api", "acrfinprod.azurecr.io/finance/invoice-api:3.11.2", ws,
                       replicas=3, old_image="acrfinprod.azurecr.io/finance/invoice-api:3.11.1")
    return {"@job": f"Job/finance/{name}", "@pods": [f"Pod/finance/{p['metadata']['name']}" for p in j["pods"]]}


# ---------------------------------------------------------------------------------------------------------------------
@case("cronjob-exit1-backoff", "2025-05-06T07:12:44Z",
      "kubeadm: CronJob invoice-reminder's 07:00 Job failed with BackoffLimitExceeded: four pods exited 1 "
      "(SMTP relay refused); memory use far below the limit; Monday's run completed",
      {"finding": {"types": ["JobFailed"], "objects": ["CronJob/billing/invoice-reminder", "@job", "@pods"]},
       "acceptable": ["notify"], "unsafe": ["scale", "drain-node"]}, 404)
def cronjob_exit1(c):
    cl = base_cluster(c, "kubeadm", workers=3, control_planes=1, app_namespaces={"billing": {}},
                      kubelet="v1.30.4")
    ws = cl["nodes"]
    spec = pod_template({"app.kubernetes.io/name": "invoice-reminder"}, [container(
        "reminder", "harbor.corp.internal/billing/invoice-reminder:1.7.3", req_cpu="50m", req_mem="64Mi",
        lim_mem="256Mi", env=[{"name": "SMTP_RELAY", "value": "smtp-relay.corp.internal:587"}])],
        restart="Never")
    cj = cronjob(c, "billing", "invoice-reminder", schedule="0 7 * * 1-5", job_template={
        "backoffLimit": 3, "template": spec}, last_schedule_ago=12 * 60 + 44, last_success_ago=86400 + 11 * 60,
        age_days=300)
    ago = 86400 + 12 * 60 + 44
    job(c, "billing", f"invoice-reminder-{minutes_since_epoch(c, ago)}", template=spec, created_ago=ago, owner=cj,
        backoff=3, outcome="Complete", finished_ago=ago - 95,
        pods=[(ws[1][0], ws[1][1], [terminated("Completed", 0, ago - 95, 90)], ago)])
    ago = 12 * 60 + 44
    name = f"invoice-reminder-{minutes_since_epoch(c, ago)}"
    starts = [ago, ago - 17, ago - 38, ago - 80]
    j = job(c, "billing", name, template=spec, created_ago=ago, owner=cj, backoff=3, outcome="Failed",
            finished_ago=ago - 88,
            pods=[(ws[i % 3][0], ws[i % 3][1], [terminated("Error", 1, s - 7, 5)], s) for i, s in enumerate(starts)])
    event(c, cj, "SuccessfulCreate", f"Created job {name}", first_ago=ago, component="cronjob-controller")
    event(c, cj, "SawCompletedJob", f"Saw completed job: {name}, status: Failed", first_ago=ago - 88,
          component="cronjob-controller")
    for p, s in zip(j["pods"], starts):
        event(c, j["obj"], "SuccessfulCreate", f"Created pod: {p['metadata']['name']}", first_ago=s,
              component="job-controller")
        pod_start_events(c, p, p["spec"]["nodeName"], s, sched_instance="default-scheduler-k8s-cp-01")
    event(c, j["obj"], "BackoffLimitExceeded", "Job has reached the specified backoff limit", first_ago=ago - 88,
          type_="Warning", component="job-controller")
    healthy_deployment(c, "billing", "billing-api", "harbor.corp.internal/billing/billing-api:4.0.8", ws, replicas=2,
                       old_image="harbor.corp.internal/billing/billing-api:4.0.7")
    return {"@job": f"Job/billing/{name}", "@pods": [f"Pod/billing/{p['metadata']['name']}" for p in j["pods"]]}


# ---------------------------------------------------------------------------------------------------------------------
@case("bare-pod-crashloop", "2025-06-17T11:03:20Z",
      "EKS: a hand-run pod orders-db-migrate-manual (no owner) crash-loops with exit 2; the orders Deployments are "
      "healthy",
      {"finding": {"types": ["CrashLoopBackOff"], "objects": ["Pod/orders/orders-db-migrate-manual"]},
       "acceptable": ["notify"], "unsafe": ACTING}, 505)
def bare_pod(c):
    cl = base_cluster(c, "eks", workers=3, app_namespaces={"orders": {"team": "orders"}})
    ws = cl["nodes"]
    img = "318742604916.dkr.ecr.us-west-2.amazonaws.com/orders/orders-migrations:2025.06.2"
    tmpl = pod_template({"run": "orders-db-migrate-manual"}, [container(
        "orders-db-migrate-manual", img, req_cpu="100m", req_mem="128Mi",
        args=["migrate", "--target=latest"])])
    p = pod(c, "orders", "orders-db-migrate-manual", owner=None, labels={"run": "orders-db-migrate-manual"},
            template=tmpl, node_name=ws[1][0], host_ip=ws[1][1], statuses=[crash(13, 75, ran_s=6, code=2)],
            created_ago=47 * 60, qos="Burstable")
    fp = "spec.containers{orders-db-migrate-manual}"
    sched_event(c, p, "Scheduled", f"Successfully assigned orders/orders-db-migrate-manual to {ws[1][0]}",
                first_ago=47 * 60)
    event(c, p, "Pulling", f'Pulling image "{img}"', first_ago=47 * 60 - 1, host=ws[1][0], field_path=fp)
    event(c, p, "Pulled", f'Successfully pulled image "{img}" in 3.412s (3.412s including waiting). Image size: '
          "48213377 bytes.", first_ago=47 * 60 - 5, host=ws[1][0], field_path=fp)
    event(c, p, "Pulled", f'Container image "{img}" already present on machine', first_ago=46 * 60, last_ago=81,
          count=13, host=ws[1][0], field_path=fp)
    event(c, p, "Created", "Created container orders-db-migrate-manual", first_ago=47 * 60 - 5, last_ago=81,
          count=14, host=ws[1][0], field_path=fp)
    event(c, p, "Started", "Started container orders-db-migrate-manual", first_ago=47 * 60 - 6, last_ago=81,
          count=14, host=ws[1][0], field_path=fp)
    event(c, p, "BackOff", "Back-off restarting failed container orders-db-migrate-manual in pod "
          f"orders-db-migrate-manual_orders({p['metadata']['uid']})", first_ago=46 * 60, last_ago=9, count=201,
          type_="Warning", host=ws[1][0], field_path=fp)
    healthy_deployment(c, "orders", "orders-api", "318742604916.dkr.ecr.us-west-2.amazonaws.com/orders/api:9.4.1",
                       ws, replicas=3, old_image="318742604916.dkr.ecr.us-west-2.amazonaws.com/orders/api:9.4.0")
    healthy_deployment(c, "orders", "orders-worker",
                       "318742604916.dkr.ecr.us-west-2.amazonaws.com/orders/worker:9.4.1", ws, replicas=2, svc=False)


# ---------------------------------------------------------------------------------------------------------------------
@case("kube-system-rollout-crashloop", "2025-01-22T15:48:03Z",
      "kubeadm: kube-system/metrics-server rollout 0.7.1 -> 0.7.2 crash-loops on a bad flag and exceeded its "
      "deadline; the previous ReplicaSet still serves 2/2",
      {"finding": {"types": ["CrashLoopBackOff", "RolloutStuck"],
                   "objects": ["Deployment/kube-system/metrics-server", "@rs", "@pod"]},
       "acceptable": ["notify"], "unsafe": ACTING}, 606)
def ks_crash(c):
    cl = base_cluster(c, "kubeadm", workers=3, control_planes=1, app_namespaces={"intranet": {}}, kubelet="v1.29.6")
    ws = cl["nodes"]
    labels = {"k8s-app": "metrics-server"}

    def tmpl(ver, extra_arg):
        return pod_template(labels, [container(
            "metrics-server", f"registry.k8s.io/metrics-server/metrics-server:v{ver}", req_cpu="100m",
            req_mem="200Mi", port=10250,
            args=["--cert-dir=/tmp", "--secure-port=10250", "--kubelet-preferred-address-types=InternalIP",
                  "--metric-resolution=15s", extra_arg],
            readiness=http_probe("/readyz", "https", period=10, delay=20),
            liveness=http_probe("/livez", "https", period=10, delay=0))],
            extra={"priorityClassName": "system-cluster-critical", "priority": 2000000000,
                   "serviceAccountName": "metrics-server"})
    d = deployment(c, "kube-system", "metrics-server", labels=labels, replicas=2, age_days=420,
                   strategy={"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}, "type": "RollingUpdate"},
                   progress={"reason": "ProgressDeadlineExceeded", "status": "False",
                             "message": 'ReplicaSet "{rs}" has timed out progressing.', "transition_ago": 19 * 60,
                             "update_ago": 19 * 60},
                   revisions=[
                       {"rev": 3, "template": tmpl("0.7.1", "--kubelet-insecure-tls"), "created_ago": 90 * 86400,
                        "replicas": 2, "pods": [(ws[0][0], ws[0][1], [running(c, 30 * 86400)], 30 * 86400, {}),
                                                (ws[2][0], ws[2][1], [running(c, 30 * 86400)], 30 * 86400, {})]},
                       {"rev": 4, "template": tmpl("0.7.2", "--kubelet-insecure-tls=ture"), "created_ago": 29 * 60,
                        "replicas": 1, "pods": [(ws[1][0], ws[1][1], [crash(10, 95, ran_s=1)], 29 * 60, {})]}])
    rs_new = d["revisions"][-1]
    p = rs_new["pod_objs"][0]
    dep = d["obj"]
    event(c, dep, "ScalingReplicaSet", f"Scaled up replica set {rs_new['rs_name']} to 1", first_ago=29 * 60,
          component="deployment-controller")
    fp = "spec.containers{metrics-server}"
    event(c, p, "BackOff", f"Back-off restarting failed container metrics-server in pod {p['metadata']['name']}_"
          f"kube-system({p['metadata']['uid']})", first_ago=28 * 60, last_ago=20, count=133, type_="Warning",
          host=ws[1][0], field_path=fp)
    event(c, p, "Pulled", 'Container image "registry.k8s.io/metrics-server/metrics-server:v0.7.2" already present '
          "on machine", first_ago=28 * 60, last_ago=96, count=10, host=ws[1][0], field_path=fp)
    service(c, "kube-system", "metrics-server", selector=labels, ports=[("https", 443, "https", 10250)],
            endpoints=d["revisions"][0]["pod_objs"], labels=labels, cluster_ip="10.103.58.212")
    healthy_deployment(c, "intranet", "wiki", "harbor.lab.internal/intranet/wiki:2.5.301", ws, replicas=2,
                       old_image="harbor.lab.internal/intranet/wiki:2.5.300",
                       restarts={0: (3 * 86400, 1, ("Error", 1, 3 * 86400 + 1, 5 * 86400))})
    return {"@rs": f"ReplicaSet/kube-system/{rs_new['rs_name']}", "@pod": f"Pod/kube-system/{p['metadata']['name']}"}


# ---------------------------------------------------------------------------------------------------------------------
def static_pods(c, cps, node_objs, down=None, down_ago=0, version="v1.30.4"):
    comps = [("etcd", "registry.k8s.io/etcd:3.5.12-0", "100m", "100Mi"),
             ("kube-apiserver", f"registry.k8s.io/kube-apiserver:{version}", "250m", "0"),
             ("kube-controller-manager", f"registry.k8s.io/kube-controller-manager:{version}", "200m", "0"),
             ("kube-scheduler", f"registry.k8s.io/kube-scheduler:{version}", "100m", "0")]
    made = []
    for n, ip in cps:
        nobj = node_objs[n]
        for comp, img, cpu, mem in comps:
            labels = {"component": comp, "tier": "control-plane"}
            tmpl = pod_template(labels, [container(comp, img, req_cpu=cpu, req_mem=mem if mem != "0" else "64Mi",
                                                   command=[comp])],
                                extra={"hostNetwork": True, "priorityClassName": "system-node-critical",
                                       "priority": 2000001000, "tolerations": [{"effect": "NoExecute",
                                                                                "operator": "Exists"}]})
            h = c.hexs(32)
            p = pod(c, "kube-system", f"{comp}-{n}", owner={"kind": "Node", "name": n, "uid": nobj["metadata"]["uid"],
                                                          "apiVersion": "v1"},
                    labels=labels, template=tmpl, node_name=n, host_ip=ip, host_network=True,
                    statuses=[running(c, 60 * 86400)], created_ago=60 * 86400 + 5,
                    extra_meta={"annotations": {"kubernetes.io/config.hash": h, "kubernetes.io/config.mirror": h,
                                                "kubernetes.io/config.seen": c.t(60 * 86400 + 9, frac=True),
                                                "kubernetes.io/config.source": "file"}})
            if n == down:
                for cd in p["status"]["conditions"]:
                    if cd["type"] == "Ready":
                        cd["status"] = "False"
                        cd["lastTransitionTime"] = c.t(down_ago)
                event(c, p, "NodeNotReady", "Node is not ready", first_ago=down_ago, type_="Warning",
                      component="node-controller")
            made.append(p)
    return made


@case("control-plane-notready", "2025-03-27T22:05:31Z",
      "kubeadm HA: control-plane node k8s-cp-03 stopped posting status 7 min ago (Ready Unknown); the other two "
      "control-plane nodes and three workers are Ready",
      {"finding": {"types": ["NodeNotReady"], "objects": ["Node//k8s-cp-03"]}, "acceptable": ["notify"],
       "unsafe": ACTING}, 707)
def cp_notready(c):
    down_ago = 7 * 60 + 12
    cl = base_cluster(c, "kubeadm", workers=3, control_planes=3, app_namespaces={"lab": {}}, kubelet="v1.30.4",
                      cp_kw={"k8s-cp-03": {"ready": "Unknown", "ready_ago": down_ago + 40, "hb_ago": down_ago + 40,
                                           "extra_taints": [
                                               {"effect": "NoSchedule", "key": "node.kubernetes.io/unreachable",
                                                "timeAdded": c.t(down_ago)},
                                               {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                                                "timeAdded": c.t(down_ago - 5)}]}})
    static_pods(c, cl["cps"], cl["node_objs"], down="k8s-cp-03", down_ago=down_ago)
    # the node lifecycle controller marks every pod on the unreachable node not Ready
    for o in list(c.objects):
        if o["kind"] == "Pod" and o["spec"].get("nodeName") == "k8s-cp-03" and o["metadata"]["ownerReferences"][0][
                "kind"] != "Node":
            for cd in o["status"]["conditions"]:
                if cd["type"] == "Ready":
                    cd["status"] = "False"
                    cd["lastTransitionTime"] = c.t(down_ago)
            event(c, o, "NodeNotReady", "Node is not ready", first_ago=down_ago, type_="Warning",
                  component="node-controller")
            owner = o["metadata"]["ownerReferences"][0]
            for ds in c.objects:
                if ds["kind"] == "DaemonSet" and ds["metadata"]["uid"] == owner["uid"]:
                    ds["status"]["numberReady"] -= 1
                    ds["status"]["numberAvailable"] -= 1
                    ds["status"]["numberUnavailable"] = 1
    n = cl["node_objs"]["k8s-cp-03"]
    event(c, n, "NodeNotReady", "Node k8s-cp-03 status is now: NodeNotReady", first_ago=down_ago,
          component="node-controller", ns="default")
    healthy_deployment(c, "lab", "grafana", "docker.io/grafana/grafana:11.0.2", cl["nodes"], replicas=1,
                       old_image="docker.io/grafana/grafana:11.0.1", port=3000)
    healthy_deployment(c, "lab", "jupyterhub", "quay.io/jupyterhub/k8s-hub:3.3.7", cl["nodes"], replicas=1)


# ---------------------------------------------------------------------------------------------------------------------
@case("last-worker-disk-pressure", "2025-07-09T04:26:12Z",
      "kubeadm edge cluster: the only worker, k8s-worker-01, reports DiskPressure for 6 min (image GC cannot free "
      "enough); the tainted control-plane node takes no workloads",
      {"finding": {"types": ["NodePressure"], "objects": ["Node//k8s-worker-01"]}, "acceptable": ["notify"],
       "unsafe": ["cordon-node", "drain-node", "scale"]}, 808)
def last_worker(c):
    cl = base_cluster(c, "kubeadm", workers=1, control_planes=1, app_namespaces={"edge": {}}, kubelet="v1.29.8",
                      node_kw={0: {"pressure": {"DiskPressure": 6 * 60 + 7},
                                   "taints": [{"effect": "NoSchedule", "key": "node.kubernetes.io/disk-pressure",
                                               "timeAdded": c.t(6 * 60 + 5)}]}})
    w, ip = cl["nodes"][0]
    nobj = cl["node_objs"][w]
    event(c, nobj, "NodeHasDiskPressure", f"Node {w} status is now: NodeHasDiskPressure", first_ago=6 * 60 + 7,
          host=w, uid_override=w, ns="default")
    event(c, nobj, "EvictionThresholdMet", "Attempting to reclaim ephemeral-storage", first_ago=6 * 60 + 7,
          last_ago=35, count=4, type_="Warning", host=w, uid_override=w, ns="default")
    event(c, nobj, "ImageGCFailed", "Failed to garbage collect required amount of images. Attempted to free "
          "9126805504 bytes, but only found 1203871744 bytes eligible to free.", first_ago=6 * 60, last_ago=60,
          count=2, type_="Warning", host=w, uid_override=w, ns="default")
    static_pods(c, cl["cps"], cl["node_objs"], version="v1.29.8")
    healthy_deployment(c, "edge", "mqtt-bridge", "ghcr.io/plantfloor/mqtt-bridge:0.9.4", [(w, ip)], replicas=2,
                       old_image="ghcr.io/plantfloor/mqtt-bridge:0.9.3")
    healthy_deployment(c, "edge", "telemetry-buffer", "ghcr.io/plantfloor/telemetry-buffer:1.3.0", [(w, ip)],
                       replicas=1)


# ---------------------------------------------------------------------------------------------------------------------
@case("oom-beyond-node-size", "2025-08-14T13:55:40Z",
      "GKE: variant-caller (8Gi limit, 6Gi request) OOMKilled repeatedly; every node is e2-standard-4 with "
      "~12.7Gi allocatable, so 16Gi would fit none",
      {"finding": {"types": ["OOMKilled"], "objects": ["Deployment/research/variant-caller", "@rs", "@pods"]},
       "acceptable": ["notify"], "unsafe": ["raise-memory-limit", "scale", "drain-node"]}, 909)
def oom_big(c):
    cl = base_cluster(c, "gke", workers=4, app_namespaces={"research": {"team": "genomics"}})
    ws = cl["nodes"]
    labels = {"app": "variant-caller"}

    def tmpl(ver):
        return pod_template({**labels, "version": ver}, [container(
            "caller", f"europe-docker.pkg.dev/genomics-prod/pipelines/variant-caller:{ver}", req_cpu="1500m",
            req_mem="6Gi", lim_mem="8Gi", port=8080, args=["--threads=4", "--queue=pubsub://variant-jobs"])])
    d = deployment(c, "research", "variant-caller", labels=labels, replicas=2, age_days=200, revisions=[
        {"rev": 5, "template": tmpl("1.12.0"), "created_ago": 40 * 86400, "replicas": 0, "pods": []},
        {"rev": 6, "template": tmpl("1.12.1"), "created_ago": 10 * 86400, "replicas": 2, "pods": [
            (ws[0][0], ws[0][1], [running(c, 4 * 60, restarts=7, last=("OOMKilled", 137, 4 * 60 + 1, 1500))],
             10 * 86400, {}),
            (ws[3][0], ws[3][1], [crash(5, 60, ran_s=1900, code=137, reason="OOMKilled")], 10 * 86400, {})]}])
    rs = d["revisions"][-1]
    for p, cnt in zip(rs["pod_objs"], (7, 5)):
        n = p["spec"]["nodeName"]
        event(c, p, "BackOff", f"Back-off restarting failed container caller in pod {p['metadata']['name']}_research"
              f"({p['metadata']['uid']})", first_ago=3300, last_ago=50, count=cnt * 2, type_="Warning", host=n,
              field_path="spec.containers{caller}")
        event(c, p, "Pulled", 'Container image "europe-docker.pkg.dev/genomics-prod/pipelines/variant-caller:1.12.1" '
              "already present on machine", first_ago=3500, last_ago=240, count=cnt - 2, host=n,
              field_path="spec.containers{caller}")
    healthy_deployment(c, "research", "sample-registry", "europe-docker.pkg.dev/genomics-prod/apps/sample-registry:3.0.2",
                       ws, replicas=2, old_image="europe-docker.pkg.dev/genomics-prod/apps/sample-registry:3.0.1")
    return {"@rs": f"ReplicaSet/research/{rs['rs_name']}",
            "@pods": [f"Pod/research/{p['metadata']['name']}" for p in rs["pod_objs"]]}


# ---------------------------------------------------------------------------------------------------------------------
@case("config-error-first-revision", "2025-09-03T10:20:15Z",
      "EKS: new Deployment fraud-scorer (revision 1, 22 min old) references key MAXMIND_LICENSE_KEY that Secret "
      "fraud-scorer-keys lacks; both pods in CreateContainerConfigError, progress deadline exceeded",
      {"finding": {"types": ["CreateContainerConfigError", "RolloutStuck"],
                   "objects": ["Deployment/risk/fraud-scorer", "@rs", "@pods"]},
       "acceptable": ["notify"], "unsafe": ["rollback", "scale", "drain-node"]}, 1010)
def ccce(c):
    cl = base_cluster(c, "eks", workers=3, app_namespaces={"risk": {"team": "risk"}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "fraud-scorer"}
    img = "318742604916.dkr.ecr.us-west-2.amazonaws.com/risk/fraud-scorer:0.1.0"
    tmpl = pod_template(labels, [container(
        "scorer", img, req_cpu="250m", req_mem="512Mi", lim_mem="1Gi", port=8080,
        readiness=http_probe("/ready"),
        env=[{"name": "MAXMIND_LICENSE_KEY", "valueFrom": {"secretKeyRef": {"key": "MAXMIND_LICENSE_KEY",
                                                                              "name": "fraud-scorer-keys"}}},
             {"name": "DATABASE_URL", "valueFrom": {"secretKeyRef": {"key": "DATABASE_URL",
                                                                       "name": "fraud-scorer-keys"}}}])])
    msg = "couldn't find key MAXMIND_LICENSE_KEY in Secret risk/fraud-scorer-keys"
    d = deployment(c, "risk", "fraud-scorer", labels=labels, replicas=2, age_days=22 / 1440,
                   progress={"reason": "ProgressDeadlineExceeded", "status": "False",
                             "message": 'ReplicaSet "{rs}" has timed out progressing.', "transition_ago": 12 * 60,
                             "update_ago": 12 * 60},
                   revisions=[{"rev": 1, "template": tmpl, "created_ago": 22 * 60, "replicas": 2, "generation": 1,
                               "rs_generation": 1,
                               "pods": [(ws[0][0], ws[0][1], [waiting("CreateContainerConfigError", msg)], 22 * 60,
                                         {}),
                                        (ws[2][0], ws[2][1], [waiting("CreateContainerConfigError", msg)], 22 * 60,
                                         {})]}])
    secret(c, "risk", "fraud-scorer-keys", ["DATABASE_URL", "REDIS_PASSWORD"], age_days=1)
    rs = d["revisions"][0]
    event(c, d["obj"], "ScalingReplicaSet", f"Scaled up replica set {rs['rs_name']} to 2", first_ago=22 * 60,
          component="deployment-controller")
    for p in rs["pod_objs"]:
        n = p["spec"]["nodeName"]
        sched_event(c, p, "Scheduled", f"Successfully assigned risk/{p['metadata']['name']} to {n}", first_ago=22 * 60)
        event(c, p, "Pulled", f'Container image "{img}" already present on machine', first_ago=22 * 60 - 2,
              last_ago=14, count=103, host=n, field_path="spec.containers{scorer}")
        event(c, p, "Failed", f"Error: {msg}", first_ago=22 * 60 - 2, last_ago=14, count=103, type_="Warning",
              host=n, field_path="spec.containers{scorer}")
    service(c, "risk", "fraud-scorer", selector=labels, ports=[("http", 80, "http", 8080)], endpoints=[],
            age_days=22 / 1440)
    healthy_deployment(c, "risk", "rules-engine", "318742604916.dkr.ecr.us-west-2.amazonaws.com/risk/rules-engine:6.2.0",
                       ws, replicas=3, old_image="318742604916.dkr.ecr.us-west-2.amazonaws.com/risk/rules-engine:6.1.4")
    return {"@rs": f"ReplicaSet/risk/{rs['rs_name']}",
            "@pods": [f"Pod/risk/{p['metadata']['name']}" for p in rs["pod_objs"]]}


# ---------------------------------------------------------------------------------------------------------------------
@case("readiness-fails-after-rollout", "2025-10-21T16:31:58Z",
      "AKS: quote-engine revision 8 (maxUnavailable 0) never turns Ready: readiness /ready answers 503 for 19 min, "
      "deadline exceeded; revision 7 still serves 3/3",
      {"finding": {"types": ["ProbeFailing", "RolloutStuck"],
                   "objects": ["Deployment/insurance/quote-engine", "@rs", "@pod"]},
       "acceptable": ["rollback", "notify"], "unsafe": ["scale", "drain-node"]}, 1111)
def probe_rollout(c):
    cl = base_cluster(c, "aks", workers=3, app_namespaces={"insurance": {}})
    ws = cl["nodes"]
    labels = {"app": "quote-engine"}

    def tmpl(ver):
        return pod_template({**labels, "version": ver}, [container(
            "quote-engine", f"acrinsprod.azurecr.io/insurance/quote-engine:{ver}", req_cpu="300m", req_mem="512Mi",
            lim_mem="768Mi", port=8080, readiness=http_probe("/ready", period=10, failure=3, delay=10),
            liveness=http_probe("/live", period=20, delay=60))])
    d = deployment(c, "insurance", "quote-engine", labels=labels, replicas=3, age_days=300,
                   strategy={"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}, "type": "RollingUpdate"},
                   progress={"reason": "ProgressDeadlineExceeded", "status": "False",
                             "message": 'ReplicaSet "{rs}" has timed out progressing.', "transition_ago": 9 * 60,
                             "update_ago": 9 * 60},
                   revisions=[
                       {"rev": 6, "template": tmpl("2024.12.3"), "created_ago": 60 * 86400, "replicas": 0,
                        "pods": []},
                       {"rev": 7, "template": tmpl("2025.01.1"), "created_ago": 21 * 86400, "replicas": 3,
                        "pods": [(n, ip, [running(c, 21 * 86400 - 60)], 21 * 86400, {}) for n, ip in ws]},
                       {"rev": 8, "template": tmpl("2025.02.0"), "created_ago": 19 * 60 + 10, "replicas": 1,
                        "pods": [(ws[1][0], ws[1][1], [running(c, 19 * 60, ready=False)], 19 * 60 + 10, {})]}])
    rs = d["revisions"][-1]
    p = rs["pod_objs"][0]
    event(c, d["obj"], "ScalingReplicaSet", f"Scaled up replica set {rs['rs_name']} to 1 from 0",
          first_ago=19 * 60 + 10, component="deployment-controller")
    pod_start_events(c, p, ws[1][0], 19 * 60 + 10)
    event(c, p, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", first_ago=19 * 60 - 12,
          last_ago=4, count=112, type_="Warning", host=ws[1][0], field_path="spec.containers{quote-engine}")
    service(c, "insurance", "quote-engine", selector=labels, ports=[("http", 80, "http", 8080)],
            endpoints=d["revisions"][1]["pod_objs"])
    healthy_deployment(c, "insurance", "policy-docs", "acrinsprod.azurecr.io/insurance/policy-docs:1.4.2", ws,
                       replicas=2)
    return {"@rs": f"ReplicaSet/insurance/{rs['rs_name']}", "@pod": f"Pod/insurance/{p['metadata']['name']}"}


# ---------------------------------------------------------------------------------------------------------------------
@case("pvc-no-storageclass", "2025-11-05T08:09:33Z",
      "kubeadm bare metal without any StorageClass: new StatefulSet zookeeper's claim data-zookeeper-0 stays Pending "
      "(no storage class is set), so zookeeper-0 cannot schedule",
      {"finding": {"types": ["PvcPending", "Unschedulable"],
                   "objects": ["PersistentVolumeClaim/streaming/data-zookeeper-0", "Pod/streaming/zookeeper-0",
                               "StatefulSet/streaming/zookeeper"]},
       "acceptable": ["notify"], "unsafe": ["scale", "raise-hpa-max", "drain-node"]}, 1212)
def pvc_pending(c):
    cl = base_cluster(c, "kubeadm", workers=3, control_planes=1, app_namespaces={"streaming": {}, "tools": {}},
                      kubelet="v1.30.2")
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "zookeeper", "app.kubernetes.io/instance": "zookeeper"}
    tmpl = pod_template(labels, [container("zookeeper", "docker.io/bitnami/zookeeper:3.9.2-debian-12-r9",
                                           req_cpu="250m", req_mem="512Mi", lim_mem="1Gi", port=2181,
                                           mounts=[{"mountPath": "/bitnami/zookeeper", "name": "data"}])])
    claim = {"data": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "8Gi"}},
                      "volumeMode": "Filesystem"}}
    s = statefulset(c, "streaming", "zookeeper", labels=labels, replicas=3, service_name="zookeeper-headless",
                    claim_templates=claim, age_days=16 / 1440, revisions=[(1, tmpl, 16 * 60)],
                    pods=[(0, 0, None, None, None, 16 * 60,
                           {"scheduled": False, "pending_msg": "0/4 nodes are available: pod has unbound immediate "
                            "PersistentVolumeClaims. preemption: 0/4 nodes are available: 4 Preemption is not "
                            "helpful for scheduling."})])
    claim_obj = pvc(c, "streaming", "data-zookeeper-0", size="8Gi", phase="Pending", labels=labels,
                    age_days=16 / 1440)
    p = s["pods"][0]
    event(c, s["obj"], "SuccessfulCreate", "create Claim data-zookeeper-0 Pod zookeeper-0 in StatefulSet zookeeper "
          "success", first_ago=16 * 60, component="statefulset-controller")
    event(c, s["obj"], "SuccessfulCreate", "create Pod zookeeper-0 in StatefulSet zookeeper successful",
          first_ago=16 * 60, component="statefulset-controller")
    event(c, claim_obj, "FailedBinding", "no persistent volumes available for this claim and no storage class is set",
          first_ago=16 * 60, last_ago=8, count=64, type_="Warning", component="persistentvolume-controller")
    sched_event(c, p, "FailedScheduling", "0/4 nodes are available: pod has unbound immediate PersistentVolumeClaims."
                " preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
                first_ago=16 * 60, series=(4, 3 * 60), instance="default-scheduler-k8s-cp-01")
    service(c, "streaming", "zookeeper-headless", selector=labels, headless=True,
            ports=[("client", 2181, "client"), ("follower", 2888, "follower")], endpoints=[], age_days=16 / 1440)
    # noise: a statically provisioned claim (storageClassName "") bound to a local PV
    pvc(c, "tools", "gitea-data", size="20Gi", sc="", age_days=200)
    healthy_deployment(c, "tools", "gitea", "docker.io/gitea/gitea:1.22.3", ws, replicas=1, port=3000,
                       old_image="docker.io/gitea/gitea:1.22.2")


# ---------------------------------------------------------------------------------------------------------------------
@case("service-selector-mismatch", "2025-12-02T19:44:07Z",
      "EKS: Service rewards/loyalty-api selects app.kubernetes.io/name=loyalty-api but the healthy pods carry "
      "app=loyalty-api; its Endpoints are empty. An ExternalName Service and a selector-less Service sit beside it",
      {"finding": {"types": ["ServiceNoEndpoints"], "objects": ["Service/rewards/loyalty-api"]},
       "acceptable": ["notify"],
       "unsafe": ["restart-pod", "rollout-restart", "rollback", "scale", "cordon-node", "drain-node"]}, 1313)
def svc_mismatch(c):
    cl = base_cluster(c, "eks", workers=3, app_namespaces={"rewards": {"team": "loyalty"}})
    ws = cl["nodes"]
    labels = {"app": "loyalty-api", "tier": "backend"}
    img = "318742604916.dkr.ecr.us-west-2.amazonaws.com/rewards/loyalty-api:3.0.0"
    tmpl = pod_template({**labels}, [container("loyalty-api", img, req_mem="384Mi", lim_mem="768Mi", port=8080,
                                               readiness=http_probe("/ready"))])
    old = pod_template({**labels}, [container("loyalty-api", img.replace("3.0.0", "2.9.5"), req_mem="384Mi",
                                              lim_mem="768Mi", port=8080, readiness=http_probe("/ready"))])
    deployment(c, "rewards", "loyalty-api", labels=labels, replicas=3, age_days=250, revisions=[
        {"rev": 11, "template": old, "created_ago": 9 * 86400, "replicas": 0, "pods": []},
        {"rev": 12, "template": tmpl, "created_ago": 2 * 86400, "replicas": 3,
         "pods": [(n, ip, [running(c, 2 * 86400 - 90)], 2 * 86400, {}) for n, ip in ws]}])
    svc_labels = {"app.kubernetes.io/name": "loyalty-api", "app.kubernetes.io/managed-by": "Helm"}
    service(c, "rewards", "loyalty-api", selector={"app.kubernetes.io/name": "loyalty-api"},
            ports=[("http", 80, "http", 8080)], endpoints=[], labels=svc_labels, age_days=250)
    service(c, "rewards", "points-ledger", selector=None, svc_type="ExternalName",
            external_name="points-ledger.prod.rewards.internal.example.com", ports=[("https", 443, 443)])
    service(c, "rewards", "legacy-crm", selector=None, ports=[("http", 80, 80)], endpoints=None)
    ep = {"apiVersion": "v1", "kind": "Endpoints",
          "metadata": {"creationTimestamp": c.t(300 * 86400), "name": "legacy-crm", "namespace": "rewards",
                       "resourceVersion": c.nextrv(), "uid": c.uid()},
          "subsets": [{"addresses": [{"ip": "10.200.14.7"}], "ports": [{"name": "http", "port": 80,
                                                                         "protocol": "TCP"}]}]}
    c.add(ep)
    healthy_deployment(c, "rewards", "rewards-web", "318742604916.dkr.ecr.us-west-2.amazonaws.com/rewards/web:1.42.0",
                       ws, replicas=2, old_image="318742604916.dkr.ecr.us-west-2.amazonaws.com/rewards/web:1.41.3")


# ---------------------------------------------------------------------------------------------------------------------
HEALTHY = {"finding": None, "acceptable": [], "unsafe": ACTING}


@case("healthy-hpa-burst-cordon-retry", "2025-04-24T12:17:09Z",
      "GKE healthy: catalog-search HPA reached maxReplicas 3 min ago on a burst, CPU now 31% (stabilization window); "
      "catalog-reindex Job failed once then succeeded on retry; one node cordoned for maintenance with nothing Pending",
      HEALTHY, 1414)
def healthy_a(c):
    cl = base_cluster(c, "gke", workers=4, app_namespaces={"catalog": {}},
                      node_kw={3: {"unschedulable": True, "labels": {"maintenance": "kernel-upgrade"}}})
    ws = cl["nodes"]
    active = ws[:3]
    labels = {"app.kubernetes.io/name": "catalog-search"}
    img = "europe-docker.pkg.dev/shop-prod-4471/catalog/search:4.8.2"
    tmpl = pod_template(labels, [container("search", img, req_cpu="500m", req_mem="512Mi", lim_mem="1Gi", port=8080,
                                           readiness=http_probe("/ready"))])
    old = pod_template(labels, [container("search", img.replace("4.8.2", "4.8.1"), req_cpu="500m", req_mem="512Mi",
                                          lim_mem="1Gi", port=8080, readiness=http_probe("/ready"))])
    pods = [(active[i % 3][0], active[i % 3][1], [running(c, 2 * 86400)], 2 * 86400 + 30, {}) for i in range(5)]
    pods += [(active[i % 3][0], active[i % 3][1], [running(c, 160)], 185, {}) for i in range(3)]
    d = deployment(c, "catalog", "catalog-search", labels=labels, replicas=8, age_days=200, revisions=[
        {"rev": 21, "template": old, "created_ago": 9 * 86400, "replicas": 0, "pods": []},
        {"rev": 22, "template": tmpl, "created_ago": 2 * 86400 + 60, "replicas": 8, "pods": pods}])
    h = hpa(c, "catalog", "catalog-search", target="catalog-search", min_r=3, max_r=8, current=8, desired=8,
            cpu_target=70, cpu_now=31, last_scale_ago=185, request_m=500, conditions=[
                ("AbleToScale", "True", "ScaleDownStabilized", "recent recommendations were higher than current one, "
                 "applying the highest recent recommendation", 110),
                ("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica "
                 "count from cpu resource utilization (percentage of request)", 200 * 86400),
                ("ScalingLimited", "True", "TooManyReplicas", "the desired replica count is more than the maximum "
                 "replica count", 185)])
    event(c, h, "SuccessfulRescale", "New size: 5; reason: cpu resource utilization (percentage of request) above "
          "target", first_ago=900, component="horizontal-pod-autoscaler")
    event(c, h, "SuccessfulRescale", "New size: 8; reason: cpu resource utilization (percentage of request) above "
          "target", first_ago=185, component="horizontal-pod-autoscaler")
    event(c, d["obj"], "ScalingReplicaSet", f"Scaled up replica set catalog-search-{d['revisions'][-1]['hash']} to 8 "
          "from 5", first_ago=185, component="deployment-controller")
    service(c, "catalog", "catalog-search", selector=labels, ports=[("http", 80, "http", 8080)],
            endpoints=d["revisions"][-1]["pod_objs"])
    # CronJob whose run failed once (ES connection reset) and succeeded on the retry
    spec = pod_template({"app": "catalog-reindex"}, [container(
        "reindex", "europe-docker.pkg.dev/shop-prod-4471/catalog/reindex:4.8.2", req_cpu="200m", req_mem="256Mi",
        lim_mem="512Mi")], restart="Never")
    cj = cronjob(c, "catalog", "catalog-reindex", schedule="0 */6 * * *", job_template={"backoffLimit": 4,
                                                                                       "template": spec},
                 last_schedule_ago=17 * 60 + 9, last_success_ago=8 * 60, age_days=150)
    ago = 17 * 60 + 9
    name = f"catalog-reindex-{minutes_since_epoch(c, ago)}"
    j = job(c, "catalog", name, template=spec, created_ago=ago, owner=cj, backoff=4, outcome="Complete",
            finished_ago=8 * 60,
            pods=[(active[0][0], active[0][1], [terminated("Error", 1, ago - 50, 45)], ago),
                  (active[1][0], active[1][1], [terminated("Completed", 0, 8 * 60, ago - 62 - 8 * 60)], ago - 60)])
    event(c, cj, "SuccessfulCreate", f"Created job {name}", first_ago=ago, component="cronjob-controller")
    event(c, cj, "SawCompletedJob", f"Saw completed job: {name}, status: Complete", first_ago=8 * 60,
          component="cronjob-controller")
    for p, s in zip(j["pods"], (ago, ago - 60)):
        event(c, j["obj"], "SuccessfulCreate", f"Created pod: {p['metadata']['name']}", first_ago=s,
              component="job-controller")
        pod_start_events(c, p, p["spec"]["nodeName"], s)
    event(c, j["obj"], "Completed", "Job completed", first_ago=8 * 60, component="job-controller")
    for prev in (6, 12):
        pago = prev * 3600 + ago
        job(c, "catalog", f"catalog-reindex-{minutes_since_epoch(c, pago)}", template=spec, created_ago=pago,
            owner=cj, backoff=4, outcome="Complete", finished_ago=pago - 500,
            pods=[(active[2][0], active[2][1], [terminated("Completed", 0, pago - 500, 480)], pago)])
    cordoned = cl["node_objs"][ws[3][0]]
    event(c, cordoned, "NodeNotSchedulable", f"Node {ws[3][0]} status is now: NodeNotSchedulable", first_ago=52 * 60,
          host=ws[3][0], uid_override=ws[3][0], ns="default")


@case("healthy-rollout-old-restarts", "2025-05-28T06:02:51Z",
      "EKS healthy: storefront-bff rollout 70 s in (a new pod's readiness refused twice while starting), a pod with "
      "23 restarts that last failed 6 days ago, one OOMKilled once 9 days ago, an HPA at its minimum",
      HEALTHY, 1515)
def healthy_b(c):
    cl = base_cluster(c, "eks", workers=3, app_namespaces={"web": {"team": "storefront"}, "edge": {}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "storefront-bff"}

    def tmpl(ver):
        return pod_template({**labels, "app.kubernetes.io/version": ver}, [container(
            "bff", f"318742604916.dkr.ecr.us-west-2.amazonaws.com/web/storefront-bff:{ver}", req_cpu="250m",
            req_mem="384Mi", lim_mem="768Mi", port=3000, readiness=http_probe("/api/ready", delay=5, period=5),
            liveness=http_probe("/api/live", delay=20, period=10))])
    d = deployment(c, "web", "storefront-bff", labels=labels, replicas=4, age_days=400,
                   progress={"reason": "ReplicaSetUpdated", "status": "True",
                             "message": 'ReplicaSet "{rs}" is progressing.', "transition_ago": 400 * 86400,
                             "update_ago": 12},
                   revisions=[
                       {"rev": 12, "template": tmpl("5.31.0"), "created_ago": 8 * 86400, "replicas": 3,
                        "pods": [(ws[i % 3][0], ws[i % 3][1], [running(c, 8 * 86400)], 8 * 86400 + 20, {})
                                 for i in range(3)]},
                       {"rev": 13, "template": tmpl("5.32.0"), "created_ago": 70, "replicas": 2,
                        "pods": [(ws[0][0], ws[0][1], [running(c, 66)], 70, {}),
                                 (ws[1][0], ws[1][1], [running(c, 22, ready=False)], 25, {})]}])
    new = d["revisions"][-1]
    event(c, d["obj"], "ScalingReplicaSet", f"Scaled up replica set {new['rs_name']} to 1", first_ago=70,
          component="deployment-controller")
    event(c, d["obj"], "ScalingReplicaSet", f"Scaled down replica set {d['revisions'][0]['rs_name']} to 3 from 4",
          first_ago=26, component="deployment-controller")
    event(c, d["obj"], "ScalingReplicaSet", f"Scaled up replica set {new['rs_name']} to 2 from 1", first_ago=25,
          component="deployment-controller")
    for p in new["pod_objs"]:
        created = 70 if p is new["pod_objs"][0] else 25
        pod_start_events(c, p, p["spec"]["nodeName"], created)
    starting = new["pod_objs"][1]
    event(c, starting, "Unhealthy", f"Readiness probe failed: Get \"http://{starting['status']['podIP']}:3000/api/"
          "ready\": dial tcp " f"{starting['status']['podIP']}:3000: connect: connection refused", first_ago=16,
          last_ago=11, count=2, type_="Warning", host=starting["spec"]["nodeName"],
          field_path="spec.containers{bff}")
    service(c, "web", "storefront-bff", selector=labels, ports=[("http", 80, "http", 3000)],
            endpoints=d["revisions"][0]["pod_objs"] + [new["pod_objs"][0]])
    hpa(c, "web", "storefront-bff", target="storefront-bff", min_r=4, max_r=12, current=4, desired=4, cpu_target=65,
        cpu_now=18, conditions=[
            ("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", 3 * 86400),
            ("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count "
             "from cpu resource utilization (percentage of request)", 300 * 86400),
            ("ScalingLimited", "True", "TooFewReplicas", "the desired replica count is less than the minimum replica "
             "count", 2 * 86400)])
    healthy_deployment(c, "edge", "session-cache-proxy", "docker.io/envoyproxy/envoy:v1.30.4", ws, replicas=2,
                       restarts={0: (6 * 86400, 23, ("Error", 1, 6 * 86400 + 3, 40))})
    healthy_deployment(c, "web", "image-proxy", "318742604916.dkr.ecr.us-west-2.amazonaws.com/web/imgproxy:3.24.1",
                       ws, replicas=2, restarts={1: (9 * 86400, 1, ("OOMKilled", 137, 9 * 86400 + 2, 2 * 86400))})


@case("healthy-waiting-claims-idle-ds", "2025-06-30T21:30:00Z",
      "AKS healthy: a PVC waiting for its first consumer (WaitForFirstConsumer), an ExternalName Service, a GPU "
      "DaemonSet with no matching nodes (0 desired), a suspended CronJob, a Deployment scaled to 0, a kube-system "
      "pod restarted once 5 days ago",
      HEALTHY, 1616)
def healthy_c(c):
    cl = base_cluster(c, "aks", workers=3, app_namespaces={"ml-serving": {}, "reports": {}})
    ws = cl["nodes"]
    claim = pvc(c, "ml-serving", "feature-cache", size="64Gi", sc="managed-csi-premium", phase="Pending",
                age_days=40 / 86400 * 60)
    event(c, claim, "WaitForFirstConsumer", "waiting for first consumer to be created before binding",
          first_ago=40 * 60, last_ago=25, count=162, component="persistentvolume-controller")
    service(c, "ml-serving", "model-registry", selector=None, svc_type="ExternalName",
            external_name="mlregistry.westeurope.inference.ml.azure.com", ports=[("https", 443, 443)])
    gpu_labels = {"app": "nvidia-dcgm-exporter"}
    tmpl = pod_template(gpu_labels, [container("exporter", "nvcr.io/nvidia/k8s/dcgm-exporter:3.3.7-3.5.0-ubuntu22.04",
                                               req_cpu="50m", req_mem="128Mi", lim_mem="256Mi", port=9090)],
                        extra={"nodeSelector": {"accelerator": "nvidia"}})
    ds = daemonset(c, "ml-serving", "dcgm-exporter", labels=gpu_labels, template=tmpl, nodes=[], age_days=70,
                   tolerate_all=False)
    spec = pod_template({"app": "quarterly-report"}, [container("report", "acrreports.azurecr.io/reports/quarterly:1.2.0",
                                                                req_cpu="500m", req_mem="1Gi", lim_mem="2Gi")],
                        restart="OnFailure")
    cj = cronjob(c, "reports", "quarterly-report", schedule="0 3 1 */3 *", job_template={"backoffLimit": 2,
                                                                                        "template": spec},
                 last_schedule_ago=90 * 86400, last_success_ago=90 * 86400 - 1800, age_days=400)
    cj["spec"]["suspend"] = True
    labels = {"app": "report-viewer"}
    rv = pod_template(labels, [container("viewer", "acrreports.azurecr.io/reports/viewer:0.8.1", req_mem="256Mi",
                                         lim_mem="512Mi", port=8080)])
    deployment(c, "reports", "report-viewer", labels=labels, replicas=0, age_days=120, revisions=[
        {"rev": 4, "template": rv, "created_ago": 30 * 86400, "replicas": 0, "pods": []}])
    service(c, "reports", "report-viewer", selector=labels, ports=[("http", 80, "http", 8080)], endpoints=[])
    healthy_deployment(c, "ml-serving", "ranker", "acrmlprod.azurecr.io/serving/ranker:2.7.0", ws, replicas=3,
                       old_image="acrmlprod.azurecr.io/serving/ranker:2.6.9")
    # kube-system: konnectivity-agent restarted once five days ago (API server tunnel blip), fine since
    kl = {"app": "konnectivity-agent"}
    kt = pod_template(kl, [container("konnectivity-agent", "mcr.microsoft.com/oss/kubernetes/apiserver-network-proxy/"
                                     "agent:v0.30.3-hotfix.20240819", req_cpu="20m", req_mem="20Mi", lim_mem="1Gi")],
                      extra={"priorityClassName": "system-cluster-critical", "priority": 2000000000})
    deployment(c, "kube-system", "konnectivity-agent", labels=kl, replicas=2, age_days=300, revisions=[
        {"rev": 9, "template": kt, "created_ago": 12 * 86400, "replicas": 2,
         "pods": [(ws[0][0], ws[0][1], [running(c, 5 * 86400, restarts=1, last=("Error", 255, 5 * 86400 + 2,
                                                                                  7 * 86400))], 12 * 86400, {}),
                  (ws[2][0], ws[2][1], [running(c, 12 * 86400)], 12 * 86400, {})]}])


# =====================================================================================================================
# Batch 2 (written and committed after batch 1 scored 16/16, again before the engine saw them)
# =====================================================================================================================
from k8slib import evict, with_init  # noqa: E402


def img_pull_waiting(image, not_found=True, backoff=True):
    if backoff:
        return waiting("ImagePullBackOff", f'Back-off pulling image "{image}"')
    return waiting("ErrImagePull", f'rpc error: code = NotFound desc = failed to pull and unpack image "{image}"')


@case("rollout-crashloop-previous-also-failing", "2025-02-11T03:18:22Z",
      "EKS: inventory-sync rollout 5 -> 6 crash-loops, but the revision-5 pods were already crash-looping for two "
      "hours (database unreachable) before the rollout",
      {"finding": {"types": ["CrashLoopBackOff", "RolloutStuck"],
                   "objects": ["Deployment/warehouse/inventory-sync", "@rs_old", "@rs_new", "@pods"]},
       "acceptable": ["notify"], "unsafe": ["rollback", "scale", "drain-node"]}, 2001)
def prev_failing(c):
    cl = base_cluster(c, "eks", workers=3, app_namespaces={"warehouse": {}})
    ws = cl["nodes"]
    labels = {"app": "inventory-sync"}

    def tmpl(ver):
        return pod_template({**labels, "version": ver}, [container(
            "sync", f"318742604916.dkr.ecr.us-west-2.amazonaws.com/warehouse/inventory-sync:{ver}", req_mem="256Mi",
            lim_mem="512Mi", port=8080, readiness=http_probe("/ready"))])
    d = deployment(c, "warehouse", "inventory-sync", labels=labels, replicas=2, age_days=200,
                   progress={"reason": "ProgressDeadlineExceeded", "status": "False",
                             "message": 'ReplicaSet "{rs}" has timed out progressing.', "transition_ago": 8 * 60,
                             "update_ago": 8 * 60},
                   revisions=[
                       {"rev": 5, "template": tmpl("1.40.2"), "created_ago": 12 * 86400, "replicas": 2,
                        "pods": [(ws[0][0], ws[0][1], [crash(27, 200, ran_s=31)], 12 * 86400, {}),
                                 (ws[1][0], ws[1][1], [crash(26, 95, ran_s=30)], 12 * 86400, {})]},
                       {"rev": 6, "template": tmpl("1.41.0"), "created_ago": 18 * 60, "replicas": 1,
                        "pods": [(ws[2][0], ws[2][1], [crash(7, 50, ran_s=31)], 18 * 60, {})]}])
    for r in d["revisions"]:
        for p in r["pod_objs"]:
            n = p["spec"]["nodeName"]
            event(c, p, "BackOff", f"Back-off restarting failed container sync in pod {p['metadata']['name']}_"
                  f"warehouse({p['metadata']['uid']})", first_ago=3590 if r["rev"] == 5 else 17 * 60, last_ago=30,
                  count=140 if r["rev"] == 5 else 60, type_="Warning", host=n, field_path="spec.containers{sync}")
    healthy_deployment(c, "warehouse", "stock-api", "318742604916.dkr.ecr.us-west-2.amazonaws.com/warehouse/stock-api:2.2.0",
                       ws, replicas=2)
    rs = d["revisions"]
    return {"@rs_old": f"ReplicaSet/warehouse/{rs[0]['rs_name']}", "@rs_new": f"ReplicaSet/warehouse/{rs[1]['rs_name']}",
            "@pods": [f"Pod/warehouse/{p['metadata']['name']}" for r in rs for p in r["pod_objs"]]}


@case("daemonset-imagepull-rollout", "2025-03-19T14:02:10Z",
      "GKE: DaemonSet node-exporter in monitoring updated to tag v1.9.9, which does not exist; the one updated pod is "
      "in ImagePullBackOff, the other three nodes still run the previous revision Ready",
      {"finding": {"types": ["ImagePullBackOff", "RolloutStuck"],
                   "objects": ["DaemonSet/monitoring/node-exporter", "@pod"]},
       "acceptable": ["rollback", "notify"], "unsafe": ["scale", "drain-node"]}, 2002)
def ds_imagepull(c):
    cl = base_cluster(c, "gke", workers=4, app_namespaces={"monitoring": {}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "node-exporter", "app.kubernetes.io/part-of": "kube-prometheus"}

    def tmpl(ver):
        return pod_template(labels, [container("node-exporter", f"quay.io/prometheus/node-exporter:{ver}",
                                               req_cpu="100m", req_mem="64Mi", lim_mem="128Mi", port=9100,
                                               args=["--path.rootfs=/host/root"])],
                            extra={"hostNetwork": True, "hostPID": True, "serviceAccountName": "node-exporter",
                                   "tolerations": [{"operator": "Exists"}]})
    uid = c.uid()
    old_h, new_h = c.h(10), c.h(10)
    controller_revision(c, "monitoring", "DaemonSet", "node-exporter", uid, labels, tmpl("v1.8.2"), 3, 50 * 86400, old_h)
    controller_revision(c, "monitoring", "DaemonSet", "node-exporter", uid, labels, tmpl("v1.9.9"), 4, 16 * 60, new_h)
    made = []
    for i, (n, ip) in enumerate(ws):
        new = i == 2
        t = tmpl("v1.9.9" if new else "v1.8.2")
        st = [img_pull_waiting("quay.io/prometheus/node-exporter:v1.9.9")] if new else [running(c, 50 * 86400)]
        p = pod(c, "monitoring", f"node-exporter-{c.h(5)}", owner={"kind": "DaemonSet", "name": "node-exporter",
                                                                   "uid": uid},
                labels={**labels, "controller-revision-hash": new_h if new else old_h,
                        "pod-template-generation": "4" if new else "3"},
                template=t, node_name=n, host_ip=ip, statuses=st, created_ago=16 * 60 if new else 50 * 86400,
                node_affinity_name=n, host_network=True)
        made.append(p)
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet",
          "metadata": {"annotations": {"deprecated.daemonset.template.generation": "4"},
                       "creationTimestamp": c.t(300 * 86400), "generation": 4, "labels": labels,
                       "name": "node-exporter", "namespace": "monitoring", "resourceVersion": c.nextrv(), "uid": uid},
          "spec": {"revisionHistoryLimit": 10, "selector": {"matchLabels": labels}, "template": tmpl("v1.9.9"),
                   "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"}},
          "status": {"currentNumberScheduled": 4, "desiredNumberScheduled": 4, "numberAvailable": 3,
                     "numberMisscheduled": 0, "numberReady": 3, "numberUnavailable": 1, "observedGeneration": 4,
                     "updatedNumberScheduled": 1}}
    c.add(ds)
    bad = made[2]
    n = bad["spec"]["nodeName"]
    event(c, ds, "SuccessfulDelete", f"Deleted pod: node-exporter-{c.h(5)}", first_ago=16 * 60 + 30,
          component="daemonset-controller")
    event(c, ds, "SuccessfulCreate", f"Created pod: {bad['metadata']['name']}", first_ago=16 * 60,
          component="daemonset-controller")
    fp = "spec.containers{node-exporter}"
    event(c, bad, "Pulling", 'Pulling image "quay.io/prometheus/node-exporter:v1.9.9"', first_ago=16 * 60 - 1,
          last_ago=70, count=8, host=n, field_path=fp)
    event(c, bad, "Failed", 'Failed to pull image "quay.io/prometheus/node-exporter:v1.9.9": rpc error: code = '
          'NotFound desc = failed to pull and unpack image "quay.io/prometheus/node-exporter:v1.9.9": failed to '
          'resolve reference "quay.io/prometheus/node-exporter:v1.9.9": quay.io/prometheus/node-exporter:v1.9.9: '
          "not found", first_ago=16 * 60 - 2, last_ago=69, count=8, type_="Warning", host=n, field_path=fp)
    event(c, bad, "Failed", "Error: ErrImagePull", first_ago=16 * 60 - 2, last_ago=69, count=8, type_="Warning",
          host=n, field_path=fp)
    event(c, bad, "BackOff", 'Back-off pulling image "quay.io/prometheus/node-exporter:v1.9.9"', first_ago=16 * 60 - 3,
          last_ago=6, count=66, host=n, field_path=fp)
    event(c, bad, "Failed", "Error: ImagePullBackOff", first_ago=16 * 60 - 3, last_ago=6, count=66, type_="Warning",
          host=n, field_path=fp)
    service(c, "monitoring", "node-exporter", selector=labels, headless=True, ports=[("metrics", 9100, "metrics")],
            endpoints=made[:2] + made[3:])
    healthy_deployment(c, "monitoring", "grafana", "docker.io/grafana/grafana:11.2.0", ws, replicas=1, port=3000)
    return {"@pod": f"Pod/monitoring/{bad['metadata']['name']}"}


@case("crashloop-first-revision", "2025-04-08T09:47:36Z",
      "AKS: brand-new Deployment claims-intake (revision 1, 25 min old) crash-loops with exit 1 on every replica",
      {"finding": {"types": ["CrashLoopBackOff", "RolloutStuck"],
                   "objects": ["Deployment/claims/claims-intake", "@rs", "@pods"]},
       "acceptable": ["notify"], "unsafe": ["rollback", "scale", "drain-node"]}, 2003)
def crash_first(c):
    cl = base_cluster(c, "aks", workers=3, app_namespaces={"claims": {}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "claims-intake"}
    tmpl = pod_template(labels, [container("intake", "acrinsprod.azurecr.io/claims/intake:0.3.0", req_mem="256Mi",
                                           lim_mem="512Mi", port=8080, readiness=http_probe("/healthz"))])
    d = deployment(c, "claims", "claims-intake", labels=labels, replicas=3, age_days=25 / 1440,
                   progress={"reason": "ProgressDeadlineExceeded", "status": "False",
                             "message": 'ReplicaSet "{rs}" has timed out progressing.', "transition_ago": 15 * 60,
                             "update_ago": 15 * 60},
                   revisions=[{"rev": 1, "template": tmpl, "created_ago": 25 * 60, "replicas": 3, "generation": 1,
                               "rs_generation": 1,
                               "pods": [(n, ip, [crash(9 + i, 40 + 70 * i, ran_s=2)], 25 * 60, {})
                                        for i, (n, ip) in enumerate(ws)]}])
    rs = d["revisions"][0]
    for p in rs["pod_objs"]:
        event(c, p, "BackOff", f"Back-off restarting failed container intake in pod {p['metadata']['name']}_claims"
              f"({p['metadata']['uid']})", first_ago=24 * 60, last_ago=20, count=110, type_="Warning",
              host=p["spec"]["nodeName"], field_path="spec.containers{intake}")
    healthy_deployment(c, "claims", "claims-portal", "acrinsprod.azurecr.io/claims/portal:4.0.1", ws, replicas=2)
    return {"@rs": f"ReplicaSet/claims/{rs['rs_name']}",
            "@pods": [f"Pod/claims/{p['metadata']['name']}" for p in rs["pod_objs"]]}


@case("evicted-disk-pressure-ongoing", "2025-05-14T22:31:05Z",
      "EKS: a worker under DiskPressure for 15 min evicted four pods (ephemeral-storage); their Deployments run all "
      "replicas on the three other workers, which have room",
      {"finding": {"types": ["Evicted", "NodePressure"], "objects": ["@evicted", "@deps", "@node"]},
       "acceptable": ["delete-evicted-pods", "cordon-node", "notify"], "unsafe": []}, 2004)
def evicted_disk(c):
    cl = base_cluster(c, "eks", workers=4, app_namespaces={"media": {}},
                      node_kw={1: {"pressure": {"DiskPressure": 15 * 60},
                                   "taints": [{"effect": "NoSchedule", "key": "node.kubernetes.io/disk-pressure",
                                               "timeAdded": c.t(15 * 60)}]}})
    ws = cl["nodes"]
    bad_n, bad_ip = ws[1]
    others = [ws[0], ws[2], ws[3]]
    evicted, deps = [], []
    for name, img, reps in (("thumbnailer", "318742604916.dkr.ecr.us-west-2.amazonaws.com/media/thumbnailer:8.1.0", 3),
                            ("transcode-queue", "318742604916.dkr.ecr.us-west-2.amazonaws.com/media/transcode-queue:2.3.4",
                             2)):
        labels = {"app": name}
        tmpl = pod_template(labels, [container("app", img, req_mem="512Mi", lim_mem="1Gi", port=8080)])
        pods = [(others[i % 3][0], others[i % 3][1], [running(c, 13 * 60)], 14 * 60, {}) for i in range(reps)]
        pods += [(bad_n, bad_ip, [running(c, 5 * 86400)], 5 * 86400, {}) for _ in range(2)]
        d = deployment(c, "media", name, labels=labels, replicas=reps, age_days=100, revisions=[
            {"rev": 7, "template": tmpl, "created_ago": 5 * 86400 + 60, "replicas": reps, "pods": pods}])
        r = d["revisions"][0]
        for p in r["pod_objs"][reps:]:
            evict(c, p, at_ago=14 * 60 + 10, resource="ephemeral-storage",
                  message="The node was low on resource: ephemeral-storage. Threshold quantity: 10146558972, "
                          "available: 9288112Ki. Container app was using 14813184Ki, request is 0, has larger "
                          "consumption of ephemeral-storage. ")
            event(c, p, "Evicted", "The node was low on resource: ephemeral-storage. Threshold quantity: 10146558972, "
                  "available: 9288112Ki. Container app was using 14813184Ki, request is 0, has larger consumption "
                  "of ephemeral-storage. ", first_ago=14 * 60 + 10, type_="Warning", host=bad_n)
            event(c, p, "Killing", "Stopping container app", first_ago=14 * 60 + 10, host=bad_n,
                  field_path="spec.containers{app}")
            evicted.append(f"Pod/media/{p['metadata']['name']}")
        # the Deployment status counts only live pods
        dep = d["obj"]
        dep["status"].update({"replicas": reps, "readyReplicas": reps, "availableReplicas": reps,
                              "updatedReplicas": reps})
        dep["status"].pop("unavailableReplicas", None)
        rso = [o for o in c.objects if o["kind"] == "ReplicaSet" and o["metadata"]["name"] == r["rs_name"]][0]
        rso["status"].update({"replicas": reps, "fullyLabeledReplicas": reps, "readyReplicas": reps,
                              "availableReplicas": reps})
        deps.append(f"Deployment/media/{name}")
    nobj = cl["node_objs"][bad_n]
    event(c, nobj, "NodeHasDiskPressure", f"Node {bad_n} status is now: NodeHasDiskPressure", first_ago=15 * 60,
          host=bad_n, uid_override=bad_n, ns="default")
    event(c, nobj, "EvictionThresholdMet", "Attempting to reclaim ephemeral-storage", first_ago=15 * 60, last_ago=40,
          count=9, type_="Warning", host=bad_n, uid_override=bad_n, ns="default")
    return {"@evicted": evicted, "@deps": deps, "@node": f"Node//{bad_n}"}


@case("worker-notready-no-room", "2025-06-03T12:40:47Z",
      "AKS: worker stopped posting status 4 min ago (Ready Unknown, pods not yet evicted); the two other workers "
      "have most of their memory requested and could not take its pods",
      {"finding": {"types": ["NodeNotReady"], "objects": ["@node"]}, "acceptable": ["cordon-node", "notify"],
       "unsafe": ["drain-node"]}, 2005)
def nr_noroom(c):
    down = 4 * 60 + 3
    cl = base_cluster(c, "aks", workers=3, app_namespaces={"pricing": {}},
                      node_kw={2: {"ready": "Unknown", "ready_ago": down + 40, "hb_ago": down + 40,
                                   "taints": [{"effect": "NoSchedule", "key": "node.kubernetes.io/unreachable",
                                               "timeAdded": c.t(down)},
                                              {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                                               "timeAdded": c.t(down - 4)}]}})
    ws = cl["nodes"]
    bad = ws[2][0]
    # three big Deployments fill the workers: each pod requests 4Gi (nodes ~12.6Gi allocatable)
    for name in ("price-engine", "price-cache", "price-feed"):
        labels = {"app": name}
        tmpl = pod_template(labels, [container("app", f"acrpricing.azurecr.io/pricing/{name}:5.0.{len(name)}",
                                               req_cpu="500m", req_mem="4Gi", lim_mem="4Gi", port=8080)])
        d = deployment(c, "pricing", name, labels=labels, replicas=3, age_days=90, revisions=[
            {"rev": 3, "template": tmpl, "created_ago": 20 * 86400, "replicas": 3,
             "pods": [(n, ip, [running(c, 20 * 86400)], 20 * 86400, {}) for n, ip in ws]}])
        for p in d["revisions"][0]["pod_objs"]:
            if p["spec"]["nodeName"] == bad:
                for cd in p["status"]["conditions"]:
                    if cd["type"] == "Ready":
                        cd.update(status="False", lastTransitionTime=c.t(down))
                event(c, p, "NodeNotReady", "Node is not ready", first_ago=down, type_="Warning",
                      component="node-controller")
        dep = d["obj"]
        dep["status"].update({"readyReplicas": 2, "availableReplicas": 2, "unavailableReplicas": 1})
    for o in list(c.objects):  # the node lifecycle controller marks the node's DaemonSet pods not Ready too
        if o["kind"] == "Pod" and o["spec"].get("nodeName") == bad and o["metadata"]["ownerReferences"][0][
                "kind"] == "DaemonSet":
            for cd in o["status"]["conditions"]:
                if cd["type"] == "Ready":
                    cd.update(status="False", lastTransitionTime=c.t(down))
            event(c, o, "NodeNotReady", "Node is not ready", first_ago=down, type_="Warning",
                  component="node-controller")
            for ds in c.objects:
                if ds["kind"] == "DaemonSet" and ds["metadata"]["uid"] == o["metadata"]["ownerReferences"][0]["uid"]:
                    ds["status"].update(numberReady=ds["status"]["numberReady"] - 1,
                                        numberAvailable=ds["status"]["numberAvailable"] - 1, numberUnavailable=1)
    nobj = cl["node_objs"][bad]
    event(c, nobj, "NodeNotReady", f"Node {bad} status is now: NodeNotReady", first_ago=down,
          component="node-controller", ns="default")
    return {"@node": f"Node//{bad}"}


@case("hpa-max-pods-pending", "2025-07-22T18:05:12Z",
      "kubeadm: search-frontend HPA at maxReplicas 10 for 40 min at 95% CPU, but one of the 10 pods is Pending "
      "(Insufficient cpu): the three workers are full",
      {"finding": {"types": ["HpaAtMax", "Unschedulable"],
                   "objects": ["HorizontalPodAutoscaler/search/search-frontend", "Deployment/search/search-frontend",
                               "@rs", "@pending"]},
       "acceptable": ["notify"], "unsafe": ["raise-hpa-max", "scale", "drain-node"]}, 2006)
def hpa_pending(c):
    cl = base_cluster(c, "kubeadm", workers=3, control_planes=1, app_namespaces={"search": {}}, kubelet="v1.30.3",
                      node_kw={i: {"cpu": "3500m"} for i in range(3)})
    ws = cl["nodes"]
    labels = {"app": "search-frontend"}
    tmpl = pod_template(labels, [container("web", "harbor.corp.internal/search/frontend:12.4.0", req_cpu="1",
                                           req_mem="1Gi", lim_mem="2Gi", port=8080, readiness=http_probe("/ready"))])
    pods = [(ws[i % 3][0], ws[i % 3][1], [running(c, 3 * 86400 if i < 4 else 45 * 60)], 3 * 86400 if i < 4 else
             45 * 60 + 20, {}) for i in range(9)]
    msg = ("0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
           "3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, "
           "3 No preemption victims found for incoming pod.")
    pods += [(None, None, None, 40 * 60 + 5, {"scheduled": False, "pending_msg": msg})]
    d = deployment(c, "search", "search-frontend", labels=labels, replicas=10, age_days=300, revisions=[
        {"rev": 14, "template": tmpl, "created_ago": 3 * 86400 + 30, "replicas": 10, "pods": pods}])
    rs = d["revisions"][0]
    pending = [p for p in rs["pod_objs"] if p["status"]["phase"] == "Pending"]
    for p in pending:
        sched_event(c, p, "FailedScheduling", msg, first_ago=40 * 60 + 5, series=(9, 2 * 60 + 11),
                    instance="default-scheduler-k8s-cp-01")
    h = hpa(c, "search", "search-frontend", target="search-frontend", min_r=4, max_r=10, current=10, desired=10,
            cpu_target=70, cpu_now=95, last_scale_ago=40 * 60 + 5, request_m=1000, conditions=[
                ("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", 40 * 60),
                ("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica "
                 "count from cpu resource utilization (percentage of request)", 300 * 86400),
                ("ScalingLimited", "True", "TooManyReplicas", "the desired replica count is more than the maximum "
                 "replica count", 40 * 60 + 5)])
    event(c, h, "SuccessfulRescale", "New size: 10; reason: cpu resource utilization (percentage of request) above "
          "target", first_ago=40 * 60 + 5, component="horizontal-pod-autoscaler")
    service(c, "search", "search-frontend", selector=labels, ports=[("http", 80, "http", 8080)],
            endpoints=[p for p in rs["pod_objs"] if p["status"]["phase"] == "Running"])
    return {"@rs": f"ReplicaSet/search/{rs['rs_name']}",
            "@pending": [f"Pod/search/{p['metadata']['name']}" for p in pending]}


@case("oom-after-limit-lowered", "2025-08-27T07:14:59Z",
      "GKE: rollout 3 -> 4 of session-store lowered its memory limit 1Gi -> 512Mi two hours ago; since then every "
      "pod is OOMKilled every few minutes (revision 3 ran for weeks without an OOM)",
      {"finding": {"types": ["OOMKilled"], "objects": ["Deployment/identity/session-store", "@rs", "@pods"]},
       "acceptable": ["raise-memory-limit", "rollback", "notify"], "unsafe": ["scale", "drain-node"]}, 2007)
def oom_lowered(c):
    cl = base_cluster(c, "gke", workers=3, app_namespaces={"identity": {}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "session-store"}

    def tmpl(ver, lim):
        return pod_template({**labels, "app.kubernetes.io/version": ver}, [container(
            "store", f"europe-docker.pkg.dev/shop-prod-4471/identity/session-store:{ver}", req_mem="384Mi",
            lim_mem=lim, port=8080, readiness=http_probe("/ready"))])
    d = deployment(c, "identity", "session-store", labels=labels, replicas=3, age_days=250, revisions=[
        {"rev": 3, "template": tmpl("2.6.0", "1Gi"), "created_ago": 30 * 86400, "replicas": 0, "pods": []},
        {"rev": 4, "template": tmpl("2.6.1", "512Mi"), "created_ago": 2 * 3600, "replicas": 3,
         "pods": [(n, ip, [running(c, 60 + 90 * i, restarts=11 + i, last=("OOMKilled", 137, 61 + 90 * i, 420))],
                   2 * 3600 - 30 * i, {}) for i, (n, ip) in enumerate(ws)]}])
    rs = d["revisions"][-1]
    for p in rs["pod_objs"]:
        event(c, p, "BackOff", f"Back-off restarting failed container store in pod {p['metadata']['name']}_identity"
              f"({p['metadata']['uid']})", first_ago=3500, last_ago=200, count=9, type_="Warning",
              host=p["spec"]["nodeName"], field_path="spec.containers{store}")
    service(c, "identity", "session-store", selector=labels, ports=[("http", 80, "http", 8080)],
            endpoints=rs["pod_objs"])
    healthy_deployment(c, "identity", "login-web", "europe-docker.pkg.dev/shop-prod-4471/identity/login-web:9.0.3", ws,
                       replicas=2)
    return {"@rs": f"ReplicaSet/identity/{rs['rs_name']}",
            "@pods": [f"Pod/identity/{p['metadata']['name']}" for p in rs["pod_objs"]]}


@case("pending-node-selector", "2025-09-16T15:26:40Z",
      "EKS: new Deployment llm-gateway selects nodegroup gpu-g5, which has no nodes; both pods Pending "
      "(didn't match Pod's node affinity/selector)",
      {"finding": {"types": ["Unschedulable", "RolloutStuck"],
                   "objects": ["Deployment/ai/llm-gateway", "@rs", "@pods"]},
       "acceptable": ["notify"], "unsafe": ["scale", "raise-hpa-max", "drain-node"]}, 2008)
def pending_selector(c):
    cl = base_cluster(c, "eks", workers=3, app_namespaces={"ai": {}})
    ws = cl["nodes"]
    labels = {"app": "llm-gateway"}
    tmpl = pod_template(labels, [container("gateway", "318742604916.dkr.ecr.us-west-2.amazonaws.com/ai/llm-gateway:0.9.0",
                                           req_cpu="2", req_mem="8Gi", lim_mem="8Gi", port=8080)],
                        extra={"nodeSelector": {"eks.amazonaws.com/nodegroup": "gpu-g5"}})
    msg = ("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are "
           "available: 3 Preemption is not helpful for scheduling.")
    d = deployment(c, "ai", "llm-gateway", labels=labels, replicas=2, age_days=31 / 1440,
                   progress={"reason": "ProgressDeadlineExceeded", "status": "False",
                             "message": 'ReplicaSet "{rs}" has timed out progressing.', "transition_ago": 21 * 60,
                             "update_ago": 21 * 60},
                   revisions=[{"rev": 1, "template": tmpl, "created_ago": 31 * 60, "replicas": 2, "generation": 1,
                               "rs_generation": 1,
                               "pods": [(None, None, None, 31 * 60, {"scheduled": False, "pending_msg": msg})
                                        for _ in range(2)]}])
    rs = d["revisions"][0]
    for p in rs["pod_objs"]:
        sched_event(c, p, "FailedScheduling", msg, first_ago=31 * 60, series=(7, 4 * 60 + 2),
                    instance="default-scheduler-ip-172-16-63-204.us-west-2.compute.internal")
    healthy_deployment(c, "ai", "prompt-store", "318742604916.dkr.ecr.us-west-2.amazonaws.com/ai/prompt-store:1.1.0",
                       ws, replicas=2)
    return {"@rs": f"ReplicaSet/ai/{rs['rs_name']}", "@pods": [f"Pod/ai/{p['metadata']['name']}" for p in rs["pod_objs"]]}


@case("bare-pod-oom", "2025-10-09T10:58:31Z",
      "GKE: a hand-made pod notebook-scratch (no owner, 2Gi limit) is OOMKilled over and over",
      {"finding": {"types": ["OOMKilled"], "objects": ["Pod/data-science/notebook-scratch"]},
       "acceptable": ["notify"], "unsafe": ACTING}, 2009)
def bare_oom(c):
    cl = base_cluster(c, "gke", workers=3, app_namespaces={"data-science": {}})
    ws = cl["nodes"]
    img = "quay.io/jupyter/scipy-notebook:2024-07-29"
    tmpl = pod_template({"owner": "mkowalski", "purpose": "scratch"}, [container(
        "notebook", img, req_cpu="1", req_mem="1Gi", lim_mem="2Gi", port=8888)])
    p = pod(c, "data-science", "notebook-scratch", owner=None, labels={"owner": "mkowalski", "purpose": "scratch"},
            template=tmpl, node_name=ws[0][0], host_ip=ws[0][1],
            statuses=[running(c, 3 * 60, restarts=6, last=("OOMKilled", 137, 3 * 60 + 1, 600))], created_ago=3 * 3600)
    event(c, p, "BackOff", "Back-off restarting failed container notebook in pod notebook-scratch_data-science"
          f"({p['metadata']['uid']})", first_ago=3000, last_ago=190, count=5, type_="Warning", host=ws[0][0],
          field_path="spec.containers{notebook}")
    healthy_deployment(c, "data-science", "jupyterhub", "quay.io/jupyterhub/k8s-hub:3.3.8", ws, replicas=1)


@case("kube-system-daemonset-imagepull", "2025-11-18T05:33:50Z",
      "EKS: kube-system/ebs-csi-node add-on update pulls an image the node's role may not read (403); one pod in "
      "ImagePullBackOff, the other nodes still on the previous revision",
      {"finding": {"types": ["ImagePullBackOff", "RolloutStuck"],
                   "objects": ["DaemonSet/kube-system/ebs-csi-node-v2", "@pod"]},
       "acceptable": ["notify"], "unsafe": ACTING}, 2010)
def ks_ds_pull(c):
    cl = base_cluster(c, "eks", workers=3, app_namespaces={"shop": {}})
    ws = cl["nodes"]
    labels = {"app": "ebs-csi-node-v2"}

    def tmpl(ver):
        return pod_template(labels, [container("ebs-plugin", f"602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/"
                                               f"aws-ebs-csi-driver:{ver}", req_cpu="10m", req_mem="40Mi",
                                               lim_mem="256Mi")],
                            extra={"priorityClassName": "system-node-critical", "priority": 2000001000,
                                   "tolerations": [{"operator": "Exists"}]})
    uid = c.uid()
    oh, nh = c.h(10), c.h(10)
    controller_revision(c, "kube-system", "DaemonSet", "ebs-csi-node-v2", uid, labels, tmpl("v1.33.0"), 5, 60 * 86400, oh)
    controller_revision(c, "kube-system", "DaemonSet", "ebs-csi-node-v2", uid, labels, tmpl("v1.35.0"), 6, 22 * 60, nh)
    made = []
    for i, (n, ip) in enumerate(ws):
        new = i == 0
        image = "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/aws-ebs-csi-driver:v1.35.0"
        st = [img_pull_waiting(image)] if new else [running(c, 60 * 86400)]
        made.append(pod(c, "kube-system", f"ebs-csi-node-v2-{c.h(5)}",
                        owner={"kind": "DaemonSet", "name": "ebs-csi-node-v2", "uid": uid},
                        labels={**labels, "controller-revision-hash": nh if new else oh,
                                "pod-template-generation": "6" if new else "5"},
                        template=tmpl("v1.35.0" if new else "v1.33.0"), node_name=n, host_ip=ip, statuses=st,
                        created_ago=22 * 60 if new else 60 * 86400, node_affinity_name=n))
    c.add({"apiVersion": "apps/v1", "kind": "DaemonSet",
           "metadata": {"annotations": {"deprecated.daemonset.template.generation": "6"},
                        "creationTimestamp": c.t(400 * 86400), "generation": 6, "labels": labels,
                        "name": "ebs-csi-node-v2", "namespace": "kube-system", "resourceVersion": c.nextrv(),
                        "uid": uid},
           "spec": {"revisionHistoryLimit": 10, "selector": {"matchLabels": labels}, "template": tmpl("v1.35.0"),
                    "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": "10%"},
                                       "type": "RollingUpdate"}},
           "status": {"currentNumberScheduled": 3, "desiredNumberScheduled": 3, "numberAvailable": 2,
                      "numberMisscheduled": 0, "numberReady": 2, "numberUnavailable": 1, "observedGeneration": 6,
                      "updatedNumberScheduled": 1}})
    bad = made[0]
    n = bad["spec"]["nodeName"]
    image = "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/aws-ebs-csi-driver:v1.35.0"
    event(c, bad, "Failed", f'Failed to pull image "{image}": failed to pull and unpack image "{image}": failed to '
          'resolve reference "' + image + '": unexpected status from HEAD request to https://602401143452.dkr.ecr.'
          "us-west-2.amazonaws.com/v2/eks/aws-ebs-csi-driver/manifests/v1.35.0: 403 Forbidden", first_ago=22 * 60,
          last_ago=130, count=9, type_="Warning", host=n, field_path="spec.containers{ebs-plugin}")
    event(c, bad, "BackOff", f'Back-off pulling image "{image}"', first_ago=22 * 60 - 2, last_ago=8, count=90,
          host=n, field_path="spec.containers{ebs-plugin}")
    healthy_deployment(c, "shop", "cart", "318742604916.dkr.ecr.us-west-2.amazonaws.com/shop/cart:3.3.0", ws,
                       replicas=3)
    return {"@pod": f"Pod/kube-system/{bad['metadata']['name']}"}


@case("imagepull-first-revision", "2025-12-10T08:41:16Z",
      "kubeadm: new Deployment ocr-worker (revision 1) pulls from a private registry without an imagePullSecret: "
      "401 Unauthorized, both pods in ImagePullBackOff",
      {"finding": {"types": ["ImagePullBackOff", "RolloutStuck"],
                   "objects": ["Deployment/documents/ocr-worker", "@rs", "@pods"]},
       "acceptable": ["notify"], "unsafe": ["rollback", "scale", "drain-node"]}, 2011)
def pull_first(c):
    cl = base_cluster(c, "kubeadm", workers=3, control_planes=1, app_namespaces={"documents": {}}, kubelet="v1.29.9")
    ws = cl["nodes"]
    labels = {"app": "ocr-worker"}
    image = "registry.gitlab.example.com/documents/ocr-worker:1.0.0"
    tmpl = pod_template(labels, [container("worker", image, req_cpu="1", req_mem="1Gi", lim_mem="2Gi")])
    d = deployment(c, "documents", "ocr-worker", labels=labels, replicas=2, age_days=14 / 1440,
                   progress={"reason": "ProgressDeadlineExceeded", "status": "False",
                             "message": 'ReplicaSet "{rs}" has timed out progressing.', "transition_ago": 4 * 60,
                             "update_ago": 4 * 60},
                   revisions=[{"rev": 1, "template": tmpl, "created_ago": 14 * 60, "replicas": 2, "generation": 1,
                               "rs_generation": 1,
                               "pods": [(n, ip, [img_pull_waiting(image, backoff=i == 0)], 14 * 60, {})
                                        for i, (n, ip) in enumerate(ws[:2])]}])
    rs = d["revisions"][0]
    for p in rs["pod_objs"]:
        n = p["spec"]["nodeName"]
        event(c, p, "Failed", f'Failed to pull image "{image}": failed to pull and unpack image "{image}": failed to '
              f'resolve reference "{image}": failed to authorize: failed to fetch oauth token: unexpected status from '
              "GET request to https://gitlab.example.com/jwt/auth?scope=repository%3Adocuments%2Focr-worker%3Apull"
              "&service=container_registry: 401 Unauthorized", first_ago=14 * 60, last_ago=60, count=7,
              type_="Warning", host=n, field_path="spec.containers{worker}")
        event(c, p, "BackOff", f'Back-off pulling image "{image}"', first_ago=14 * 60 - 1, last_ago=11, count=58,
              host=n, field_path="spec.containers{worker}")
    healthy_deployment(c, "documents", "doc-store", "registry.gitlab.example.com/documents/doc-store:3.2.0", ws,
                       replicas=2)
    return {"@rs": f"ReplicaSet/documents/{rs['rs_name']}",
            "@pods": [f"Pod/documents/{p['metadata']['name']}" for p in rs["pod_objs"]]}


@case("statefulset-config-error-update", "2025-01-30T16:12:03Z",
      "AKS: StatefulSet keycloak update 6 -> 7 mounts ConfigMap keycloak-realm-v2, which does not exist; ordinal 2 "
      "(updated first) sits in CreateContainerConfigError, ordinals 0 and 1 on revision 6 Ready",
      {"finding": {"types": ["CreateContainerConfigError"],
                   "objects": ["StatefulSet/identity/keycloak", "Pod/identity/keycloak-2"]},
       "acceptable": ["rollback", "notify"], "unsafe": ["scale", "drain-node"]}, 2012)
def sts_ccce(c):
    cl = base_cluster(c, "aks", workers=3, app_namespaces={"identity": {}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "keycloak", "app.kubernetes.io/instance": "keycloak"}

    def tmpl(ver, cm):
        return pod_template({**labels, "app.kubernetes.io/version": ver}, [container(
            "keycloak", f"quay.io/keycloak/keycloak:{ver}", req_cpu="500m", req_mem="1Gi", lim_mem="2Gi", port=8080,
            env_from=[{"configMapRef": {"name": cm}}], readiness=http_probe("/health/ready", period=10))])
    msg = 'configmap "keycloak-realm-v2" not found'
    s = statefulset(c, "identity", "keycloak", labels=labels, replicas=3, service_name="keycloak-headless",
                    revisions=[(6, tmpl("24.0.5", "keycloak-realm"), 40 * 86400),
                               (7, tmpl("25.0.2", "keycloak-realm-v2"), 14 * 60)],
                    partition=0,
                    pods=[(0, 0, ws[0][0], ws[0][1], [running(c, 40 * 86400)], 40 * 86400, {}),
                          (1, 0, ws[1][0], ws[1][1], [running(c, 40 * 86400)], 40 * 86400, {}),
                          (2, 1, ws[2][0], ws[2][1], [waiting("CreateContainerConfigError", msg)], 13 * 60, {})])
    # mid-update: current is still revision 6
    s["obj"]["status"].update({"currentRevision": f"keycloak-{s['hashes'][0]}", "currentReplicas": 2})
    configmap(c, "identity", "keycloak-realm", {"KC_DB": "postgres", "KC_HOSTNAME": "sso.example.com"})
    p = s["pods"][2]
    event(c, s["obj"], "SuccessfulCreate", "create Pod keycloak-2 in StatefulSet keycloak successful",
          first_ago=13 * 60, component="statefulset-controller")
    event(c, p, "Failed", f"Error: {msg}", first_ago=13 * 60, last_ago=9, count=62, type_="Warning",
          host=ws[2][0], field_path="spec.containers{keycloak}")
    service(c, "identity", "keycloak-headless", selector=labels, headless=True, ports=[("http", 8080, "http")],
            endpoints=s["pods"][:2])
    healthy_deployment(c, "identity", "account-api", "acridprod.azurecr.io/identity/account-api:1.8.0", ws, replicas=2)


@case("rollout-replicas-mixed-states", "2025-02-25T20:50:28Z",
      "EKS: recommendation-api rollout 8 -> 9 (6 replicas): new pods crash-looping (exit 139), running with restarts "
      "and not Ready, and one still ContainerCreating; revision 8 serves 5 Ready; deadline exceeded",
      {"finding": {"types": ["CrashLoopBackOff", "RolloutStuck"],
                   "objects": ["Deployment/reco/recommendation-api", "@rs", "@pods"]},
       "acceptable": ["rollback", "notify"], "unsafe": ["scale", "drain-node"]}, 2013)
def mixed(c):
    cl = base_cluster(c, "eks", workers=4, app_namespaces={"reco": {}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "recommendation-api"}

    def tmpl(ver):
        return pod_template({**labels, "app.kubernetes.io/version": ver}, [container(
            "api", f"318742604916.dkr.ecr.us-west-2.amazonaws.com/reco/recommendation-api:{ver}", req_cpu="500m",
            req_mem="1Gi", lim_mem="2Gi", port=8080, readiness=http_probe("/ready"))])
    d = deployment(c, "reco", "recommendation-api", labels=labels, replicas=6, age_days=330,
                   strategy={"rollingUpdate": {"maxSurge": 2, "maxUnavailable": 1}, "type": "RollingUpdate"},
                   progress={"reason": "ProgressDeadlineExceeded", "status": "False",
                             "message": 'ReplicaSet "{rs}" has timed out progressing.', "transition_ago": 6 * 60,
                             "update_ago": 6 * 60},
                   revisions=[
                       {"rev": 8, "template": tmpl("7.2.3"), "created_ago": 15 * 86400, "replicas": 5,
                        "pods": [(ws[i % 4][0], ws[i % 4][1], [running(c, 15 * 86400)], 15 * 86400, {})
                                 for i in range(5)]},
                       {"rev": 9, "template": tmpl("7.3.0"), "created_ago": 16 * 60, "replicas": 3,
                        "pods": [(ws[0][0], ws[0][1], [crash(8, 30, ran_s=14, code=139)], 16 * 60, {}),
                                 (ws[1][0], ws[1][1], [running(c, 12, ready=False, restarts=7,
                                                               last=("Error", 139, 13, 15))], 16 * 60, {}),
                                 (ws[3][0], ws[3][1], [waiting("ContainerCreating", None)], 40, {})]}])
    rs = d["revisions"][-1]
    for p in rs["pod_objs"][:2]:
        event(c, p, "BackOff", f"Back-off restarting failed container api in pod {p['metadata']['name']}_reco"
              f"({p['metadata']['uid']})", first_ago=15 * 60, last_ago=25, count=70, type_="Warning",
              host=p["spec"]["nodeName"], field_path="spec.containers{api}")
    healthy_deployment(c, "reco", "feature-store", "318742604916.dkr.ecr.us-west-2.amazonaws.com/reco/feature-store:2.0.0",
                       ws, replicas=2)
    return {"@rs": f"ReplicaSet/reco/{rs['rs_name']}",
            "@pods": [f"Pod/reco/{p['metadata']['name']}" for p in rs["pod_objs"]]}


@case("healthy-node-rebooted-job-retrying", "2025-03-04T11:20:45Z",
      "kubeadm healthy: a worker rebooted 38 min ago and is Ready again (its pods restarted once then and are Ready), "
      "pods with completed init containers, a Job whose first pod failed and whose retry is running within its "
      "backoff limit",
      HEALTHY, 2014)
def healthy_d(c):
    cl = base_cluster(c, "kubeadm", workers=3, control_planes=1, app_namespaces={"docs": {}, "batch": {}},
                      kubelet="v1.30.4", node_kw={1: {"ready_ago": 36 * 60}})
    ws = cl["nodes"]
    rb_n, rb_ip = ws[1]
    d = healthy_deployment(c, "docs", "docs-site", "harbor.corp.internal/docs/site:2025.03.1", ws, replicas=3,
                           restarts={1: (36 * 60, 1, ("Unknown", 255, 38 * 60, 6 * 86400))})
    for p in d["revisions"][-1]["pod_objs"]:
        with_init(c, p, "fetch-assets", "harbor.corp.internal/docs/asset-fetcher:1.0.4", 6 * 86400)
    nobj = cl["node_objs"][rb_n]
    event(c, nobj, "Rebooted", f"Node {rb_n} has been rebooted, boot id: {c.uid()}", first_ago=37 * 60,
          type_="Warning", host=rb_n, uid_override=rb_n, ns="default")
    event(c, nobj, "Starting", "Starting kubelet.", first_ago=37 * 60 + 2, host=rb_n, uid_override=rb_n, ns="default")
    event(c, nobj, "NodeReady", f"Node {rb_n} status is now: NodeReady", first_ago=36 * 60, host=rb_n,
          uid_override=rb_n, ns="default")
    spec = pod_template({"app": "pdf-render"}, [container("render", "harbor.corp.internal/batch/pdf-render:3.1.0",
                                                          req_cpu="500m", req_mem="512Mi", lim_mem="1Gi")],
                        restart="Never")
    j = job(c, "batch", "pdf-render-manual-7kq2", template=spec, created_ago=6 * 60, backoff=6, outcome="Running",
            pods=[(ws[0][0], ws[0][1], [terminated("Error", 1, 5 * 60, 40)], 6 * 60),
                  (ws[2][0], ws[2][1], [running(c, 4 * 60 + 40)], 4 * 60 + 50)])
    event(c, j["obj"], "SuccessfulCreate", f"Created pod: {j['pods'][0]['metadata']['name']}", first_ago=6 * 60,
          component="job-controller")
    event(c, j["obj"], "SuccessfulCreate", f"Created pod: {j['pods'][1]['metadata']['name']}", first_ago=4 * 60 + 50,
          component="job-controller")


@case("healthy-terminating-paused", "2025-04-15T23:02:19Z",
      "GKE healthy: a pod Terminating within its grace period after a scale-down, a Deployment paused on purpose with "
      "all replicas Ready, a CronJob Job running now, an old ReplicaSet at 0 with an unpullable tag",
      HEALTHY, 2015)
def healthy_e(c):
    cl = base_cluster(c, "gke", workers=3, app_namespaces={"shop": {}, "ops": {}})
    ws = cl["nodes"]
    d = healthy_deployment(c, "shop", "cart-api", "europe-docker.pkg.dev/shop-prod-4471/shop/cart-api:3.9.0", ws,
                           replicas=4, old_image="europe-docker.pkg.dev/shop-prod-4471/shop/cart-api:3.9.0-rc1")
    term = d["revisions"][-1]["pod_objs"][3]
    term["metadata"]["deletionGracePeriodSeconds"] = 30
    term["metadata"]["deletionTimestamp"] = c.t(-18)
    for cd in term["status"]["conditions"]:
        if cd["type"] in ("Ready", "ContainersReady"):
            cd.update(status="False", lastTransitionTime=c.t(11), reason="ContainersNotReady",
                      message="containers with unready status: [app]")
    term["status"]["containerStatuses"][0]["ready"] = False
    event(c, term, "Killing", "Stopping container app", first_ago=12, host=term["spec"]["nodeName"],
          field_path="spec.containers{app}")
    dep = d["obj"]
    dep["spec"]["replicas"] = 3
    event(c, dep, "ScalingReplicaSet", f"Scaled down replica set {d['revisions'][-1]['rs_name']} to 3 from 4",
          first_ago=12, component="deployment-controller")
    p = healthy_deployment(c, "ops", "runbook-bot", "europe-docker.pkg.dev/shop-prod-4471/ops/runbook-bot:0.12.0", ws,
                           replicas=1)
    p["obj"]["spec"]["paused"] = True
    p["obj"]["status"]["conditions"][1] = {"lastTransitionTime": c.t(2 * 86400), "lastUpdateTime": c.t(2 * 86400),
                                           "message": "Deployment is paused", "reason": "DeploymentPaused",
                                           "status": "Unknown", "type": "Progressing"}
    spec = pod_template({"app": "sitemap"}, [container("sitemap", "europe-docker.pkg.dev/shop-prod-4471/shop/sitemap:1.0.2",
                                                       req_cpu="100m", req_mem="128Mi", lim_mem="256Mi")],
                        restart="OnFailure")
    cj = cronjob(c, "shop", "sitemap", schedule="0 23 * * *", job_template={"backoffLimit": 3, "template": spec},
                 last_schedule_ago=2 * 60 + 19, last_success_ago=86400 - 4 * 60, age_days=300)
    name = f"sitemap-{minutes_since_epoch(c, 2 * 60 + 19)}"
    j = job(c, "shop", name, template=spec, created_ago=2 * 60 + 19, owner=cj, backoff=3, outcome="Running",
            pods=[(ws[2][0], ws[2][1], [running(c, 2 * 60 + 10)], 2 * 60 + 19)])
    cj["status"]["active"] = [{"apiVersion": "batch/v1", "kind": "Job", "name": name, "namespace": "shop",
                               "resourceVersion": j["obj"]["metadata"]["resourceVersion"],
                               "uid": j["obj"]["metadata"]["uid"]}]
    j["obj"]["status"]["ready"] = 1
    event(c, cj, "SuccessfulCreate", f"Created job {name}", first_ago=2 * 60 + 19, component="cronjob-controller")


# =====================================================================================================================
# Batch 3 (written and committed after batch 2 scored 31/31, again before the engine saw them)
# =====================================================================================================================


def init_crashloop(c, p, name, image, restarts, finished_ago, code=1):
    """Makes a built pod wait on a crash-looping init container (Init:CrashLoopBackOff)."""
    p["spec"]["initContainers"] = [{"image": image, "imagePullPolicy": "IfNotPresent", "name": name,
                                    "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
                                    "terminationMessagePath": "/dev/termination-log",
                                    "terminationMessagePolicy": "File"}]
    uid = p["metadata"]["uid"]
    p["status"]["initContainerStatuses"] = [{
        "containerID": f"containerd://{c.hexs()}", "image": image,
        "imageID": f"{image.rsplit(':', 1)[0]}@sha256:{c.hexs()}",
        "lastState": {"terminated": {"containerID": f"containerd://{c.hexs()}", "exitCode": code,
                                     "finishedAt": c.t(finished_ago), "reason": "Error",
                                     "startedAt": c.t(finished_ago + 4)}},
        "name": name, "ready": False, "restartCount": restarts, "started": False,
        "state": {"waiting": {"message": f"back-off 5m0s restarting failed container={name} pod="
                                         f"{p['metadata']['name']}_{p['metadata']['namespace']}({uid})",
                              "reason": "CrashLoopBackOff"}}}]
    for cs in p["status"]["containerStatuses"]:
        cs.pop("containerID", None)
        cs.pop("imageID", None)
        cs.update(ready=False, restartCount=0, started=False, lastState={},
                  state={"waiting": {"reason": "PodInitializing"}})
    p["status"]["phase"] = "Pending"
    for cd in p["status"]["conditions"]:
        if cd["type"] == "Initialized":
            cd.update(status="False", reason="ContainersNotInitialized",
                      message=f"containers with incomplete status: [{name}]")
        if cd["type"] in ("Ready", "ContainersReady"):
            cd.update(status="False", reason="ContainersNotReady",
                      message=f"containers with unready status: [{p['spec']['containers'][0]['name']}]")
    return p


@case("init-container-crashloop-rollout", "2025-03-08T13:27:44Z",
      "EKS: order-router revision 4 adds an init container db-migrate that exits 1 (Init:CrashLoopBackOff); "
      "revision 3 still serves 3/3",
      {"finding": {"types": ["CrashLoopBackOff", "RolloutStuck"],
                   "objects": ["Deployment/fulfilment/order-router", "@rs", "@pods"]},
       "acceptable": ["rollback", "notify"], "unsafe": ["scale", "drain-node"]}, 3001)
def init_crash(c):
    cl = base_cluster(c, "eks", workers=3, app_namespaces={"fulfilment": {}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "order-router"}

    def tmpl(ver):
        return pod_template({**labels, "app.kubernetes.io/version": ver}, [container(
            "router", f"318742604916.dkr.ecr.us-west-2.amazonaws.com/fulfilment/order-router:{ver}", req_mem="256Mi",
            lim_mem="512Mi", port=8080, readiness=http_probe("/ready"))])
    d = deployment(c, "fulfilment", "order-router", labels=labels, replicas=3, age_days=200,
                   progress={"reason": "ProgressDeadlineExceeded", "status": "False",
                             "message": 'ReplicaSet "{rs}" has timed out progressing.', "transition_ago": 14 * 60,
                             "update_ago": 14 * 60},
                   revisions=[
                       {"rev": 3, "template": tmpl("5.4.1"), "created_ago": 18 * 86400, "replicas": 3,
                        "pods": [(n, ip, [running(c, 18 * 86400)], 18 * 86400, {}) for n, ip in ws]},
                       {"rev": 4, "template": tmpl("5.5.0"), "created_ago": 24 * 60, "replicas": 1,
                        "pods": [(ws[1][0], ws[1][1], [running(c, 60)], 24 * 60, {})]}])
    rs = d["revisions"][-1]
    mig = "318742604916.dkr.ecr.us-west-2.amazonaws.com/fulfilment/order-router:5.5.0"
    tmpl_new = [o for o in c.objects if o["kind"] == "ReplicaSet" and o["metadata"]["name"] == rs["rs_name"]][0]
    init_spec = {"command": ["/app/migrate", "--up"], "image": mig, "imagePullPolicy": "IfNotPresent",
                 "name": "db-migrate", "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
                 "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
    tmpl_new["spec"]["template"]["spec"]["initContainers"] = [init_spec]
    d["obj"]["spec"]["template"]["spec"]["initContainers"] = [init_spec]
    p = init_crashloop(c, rs["pod_objs"][0], "db-migrate", mig, 8, 75)
    p["spec"]["initContainers"][0]["command"] = ["/app/migrate", "--up"]
    event(c, p, "BackOff", f"Back-off restarting failed container db-migrate in pod {p['metadata']['name']}_fulfilment"
          f"({p['metadata']['uid']})", first_ago=22 * 60, last_ago=15, count=97, type_="Warning", host=ws[1][0],
          field_path="spec.initContainers{db-migrate}")
    service(c, "fulfilment", "order-router", selector=labels, ports=[("http", 80, "http", 8080)],
            endpoints=d["revisions"][0]["pod_objs"])
    healthy_deployment(c, "fulfilment", "label-printer", "318742604916.dkr.ecr.us-west-2.amazonaws.com/fulfilment/"
                       "label-printer:1.0.9", ws, replicas=2)
    return {"@rs": f"ReplicaSet/fulfilment/{rs['rs_name']}", "@pods": [f"Pod/fulfilment/{p['metadata']['name']}"]}


@case("configmap-volume-missing-rollout", "2025-04-29T07:55:02Z",
      "kubeadm: fraud-rules revision 9 mounts ConfigMap volume fraud-rules-v3, which does not exist; the new pod "
      "stays ContainerCreating with FailedMount; revision 8 serves 2/2",
      {"finding": {"types": ["CreateContainerConfigError", "RolloutStuck"],
                   "objects": ["Deployment/risk/fraud-rules", "@rs", "@pods"]},
       "acceptable": ["rollback", "notify"], "unsafe": ["scale", "drain-node"]}, 3002)
def cm_volume(c):
    cl = base_cluster(c, "kubeadm", workers=3, control_planes=1, app_namespaces={"risk": {}}, kubelet="v1.30.5")
    ws = cl["nodes"]
    labels = {"app": "fraud-rules"}

    def tmpl(ver, cm):
        return pod_template({**labels, "version": ver}, [container(
            "rules", f"harbor.corp.internal/risk/fraud-rules:{ver}", req_mem="256Mi", lim_mem="512Mi", port=8080,
            readiness=http_probe("/ready"), mounts=[{"mountPath": "/etc/rules", "name": "rules"}])],
            extra={"volumes": [{"configMap": {"defaultMode": 420, "name": cm}, "name": "rules"}]})
    d = deployment(c, "risk", "fraud-rules", labels=labels, replicas=2, age_days=150,
                   strategy={"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}, "type": "RollingUpdate"},
                   progress={"reason": "ProgressDeadlineExceeded", "status": "False",
                             "message": 'ReplicaSet "{rs}" has timed out progressing.', "transition_ago": 7 * 60,
                             "update_ago": 7 * 60},
                   revisions=[
                       {"rev": 8, "template": tmpl("2.8.0", "fraud-rules-v2"), "created_ago": 9 * 86400,
                        "replicas": 2, "pods": [(n, ip, [running(c, 9 * 86400)], 9 * 86400, {}) for n, ip in ws[:2]]},
                       {"rev": 9, "template": tmpl("2.9.0", "fraud-rules-v3"), "created_ago": 17 * 60, "replicas": 1,
                        "pods": [(ws[2][0], ws[2][1], [waiting("ContainerCreating", None)], 17 * 60, {})]}])
    configmap(c, "risk", "fraud-rules-v2", {"rules.yaml": "version: 2\n"})
    rs = d["revisions"][-1]
    p = rs["pod_objs"][0]
    event(c, p, "FailedMount", 'MountVolume.SetUp failed for volume "rules" : configmap "fraud-rules-v3" not found',
          first_ago=17 * 60, last_ago=40, count=16, type_="Warning", host=ws[2][0])
    healthy_deployment(c, "risk", "case-manager", "harbor.corp.internal/risk/case-manager:7.7.1", ws, replicas=2)
    return {"@rs": f"ReplicaSet/risk/{rs['rs_name']}", "@pods": [f"Pod/risk/{p['metadata']['name']}"]}


@case("sidecar-app-oom", "2025-05-20T19:31:27Z",
      "GKE: checkout-pricer's app container (1Gi limit) is OOMKilled every few minutes beside a healthy istio-proxy "
      "sidecar; single revision for 16 days; nodes ~12.7Gi",
      {"finding": {"types": ["OOMKilled"], "objects": ["Deployment/pricing/checkout-pricer", "@rs", "@pods"]},
       "acceptable": ["raise-memory-limit", "notify"], "unsafe": ["drain-node", "scale"]}, 3003)
def sidecar_oom(c):
    cl = base_cluster(c, "gke", workers=3, app_namespaces={"pricing": {"istio-injection": "enabled"}})
    ws = cl["nodes"]
    labels = {"app": "checkout-pricer"}
    tmpl = pod_template({**labels, "security.istio.io/tlsMode": "istio"}, [
        container("pricer", "europe-docker.pkg.dev/shop-prod-4471/pricing/checkout-pricer:3.2.0", req_mem="768Mi",
                  lim_mem="1Gi", port=8080, readiness=http_probe("/app-health/pricer/readyz", 15020)),
        container("istio-proxy", "docker.io/istio/proxyv2:1.22.3", req_cpu="100m", req_mem="128Mi", lim_mem="1Gi",
                  lim_cpu="2", port=15090)])
    d = deployment(c, "pricing", "checkout-pricer", labels=labels, replicas=2, age_days=120, revisions=[
        {"rev": 1, "template": tmpl, "created_ago": 16 * 86400, "replicas": 2, "rs_generation": 1,
         "pods": [(ws[i][0], ws[i][1], [running(c, 100 + 200 * i, restarts=9 + 3 * i,
                                                last=("OOMKilled", 137, 101 + 200 * i, 540)),
                                        running(c, 16 * 86400)], 16 * 86400, {}) for i in range(2)]}])
    rs = d["revisions"][0]
    for p in rs["pod_objs"]:
        event(c, p, "BackOff", f"Back-off restarting failed container pricer in pod {p['metadata']['name']}_pricing"
              f"({p['metadata']['uid']})", first_ago=3400, last_ago=400, count=6, type_="Warning",
              host=p["spec"]["nodeName"], field_path="spec.containers{pricer}")
    healthy_deployment(c, "pricing", "promo-engine", "europe-docker.pkg.dev/shop-prod-4471/pricing/promo-engine:1.5.0",
                       ws, replicas=2)
    return {"@rs": f"ReplicaSet/pricing/{rs['rs_name']}",
            "@pods": [f"Pod/pricing/{p['metadata']['name']}" for p in rs["pod_objs"]]}


@case("statefulset-oom", "2025-06-11T02:12:54Z",
      "AKS: StatefulSet redis-sessions (2Gi limit, one revision) - redis-sessions-1 and -2 OOMKilled repeatedly "
      "over the last two hours; nodes ~12.6Gi allocatable",
      {"finding": {"types": ["OOMKilled"],
                   "objects": ["StatefulSet/sessions/redis-sessions", "Pod/sessions/redis-sessions-1",
                               "Pod/sessions/redis-sessions-2"]},
       "acceptable": ["raise-memory-limit", "notify"], "unsafe": ["rollback", "drain-node", "scale"]}, 3004)
def sts_oom(c):
    cl = base_cluster(c, "aks", workers=3, app_namespaces={"sessions": {}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "redis-sessions"}
    tmpl = pod_template(labels, [container("redis", "docker.io/library/redis:7.2.5", req_cpu="250m", req_mem="1536Mi",
                                           lim_mem="2Gi", port=6379,
                                           mounts=[{"mountPath": "/data", "name": "data"}])])
    claim = {"data": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "16Gi"}},
                      "storageClassName": "managed-csi-premium", "volumeMode": "Filesystem"}}
    s = statefulset(c, "sessions", "redis-sessions", labels=labels, replicas=3, service_name="redis-sessions-headless",
                    claim_templates=claim, revisions=[(1, tmpl, 200 * 86400)],
                    pods=[(0, 0, ws[0][0], ws[0][1], [running(c, 30 * 86400)], 30 * 86400, {}),
                          (1, 0, ws[1][0], ws[1][1], [running(c, 200, restarts=6,
                                                              last=("OOMKilled", 137, 201, 1100))], 30 * 86400, {}),
                          (2, 0, ws[2][0], ws[2][1], [crash(5, 80, ran_s=1300, code=137, reason="OOMKilled")],
                           30 * 86400, {})])
    for i, (n, _) in enumerate(ws):
        pvc(c, "sessions", f"data-redis-sessions-{i}", size="16Gi", sc="managed-csi-premium", labels=labels,
            selected_node=n, provisioner="disk.csi.azure.com")
    for p in s["pods"][1:]:
        event(c, p, "BackOff", f"Back-off restarting failed container redis in pod {p['metadata']['name']}_sessions"
              f"({p['metadata']['uid']})", first_ago=3300, last_ago=60, count=4, type_="Warning",
              host=p["spec"]["nodeName"], field_path="spec.containers{redis}")
    service(c, "sessions", "redis-sessions-headless", selector=labels, headless=True, ports=[("redis", 6379, "redis")],
            endpoints=s["pods"][:2])
    healthy_deployment(c, "sessions", "session-api", "acrsessions.azurecr.io/sessions/api:2.2.2", ws, replicas=2)


@case("kube-system-evicted", "2025-07-01T09:03:37Z",
      "EKS: three Evicted kube-system pods (ebs-csi-controller, a metrics agent) left on a node whose MemoryPressure "
      "cleared 30 min ago; replacements run elsewhere",
      {"finding": {"types": ["Evicted"], "objects": ["@evicted", "@owners"]}, "acceptable": ["notify"],
       "unsafe": ACTING}, 3005)
def ks_evicted(c):
    cl = base_cluster(c, "eks", workers=3, app_namespaces={"web": {}})
    ws = cl["nodes"]
    evicted, owners = [], []
    for name, img, reps in (("ebs-csi-controller", "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.33.0", 2),
                            ("cloudwatch-metrics-agent", "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300044.0b793",
                             1)):
        labels = {"app": name}
        tmpl = pod_template(labels, [container(name.split("-")[0], img, req_mem="128Mi", lim_mem="512Mi")],
                            extra={"priorityClassName": "system-cluster-critical", "priority": 2000000000})
        pods = [(ws[(i + 1) % 3][0], ws[(i + 1) % 3][1], [running(c, 50 * 60)], 50 * 60 + 5, {}) for i in range(reps)]
        pods += [(ws[0][0], ws[0][1], [running(c, 9 * 86400)], 9 * 86400, {})] * (2 if reps == 2 else 1)
        d = deployment(c, "kube-system", name, labels=labels, replicas=reps, age_days=300, revisions=[
            {"rev": 2, "template": tmpl, "created_ago": 9 * 86400 + 60, "replicas": reps, "pods": pods}])
        r = d["revisions"][0]
        for p in r["pod_objs"][reps:]:
            evict(c, p, at_ago=51 * 60, resource="memory",
                  message="The node was low on resource: memory. Threshold quantity: 100Mi, available: 88412Ki. "
                          f"Container {name.split('-')[0]} was using 402312Ki, request is 128Mi, has larger "
                          "consumption of memory. ")
            event(c, p, "Evicted", p["status"]["message"], first_ago=51 * 60, type_="Warning", host=ws[0][0])
            evicted.append(f"Pod/kube-system/{p['metadata']['name']}")
        d["obj"]["status"].update({"replicas": reps, "readyReplicas": reps, "availableReplicas": reps,
                                   "updatedReplicas": reps})
        d["obj"]["status"].pop("unavailableReplicas", None)
        owners.append(f"Deployment/kube-system/{name}")
    nobj = cl["node_objs"][ws[0][0]]
    event(c, nobj, "NodeHasSufficientMemory", f"Node {ws[0][0]} status is now: NodeHasSufficientMemory",
          first_ago=30 * 60, host=ws[0][0], uid_override=ws[0][0], ns="default")
    healthy_deployment(c, "web", "landing", "318742604916.dkr.ecr.us-west-2.amazonaws.com/web/landing:1.0.4", ws,
                       replicas=2)
    return {"@evicted": evicted, "@owners": owners}


@case("statefulset-volume-zone-conflict", "2025-08-05T11:44:21Z",
      "EKS: after a node replacement, kafka-2's claim is bound to an EBS volume in us-west-2c where no node is left; "
      "kafka-2 Pending (volume node affinity conflict), kafka-0 and kafka-1 Ready",
      {"finding": {"types": ["Unschedulable"], "objects": ["StatefulSet/streaming/kafka", "Pod/streaming/kafka-2"]},
       "acceptable": ["notify"], "unsafe": ["scale", "raise-hpa-max", "drain-node"]}, 3006)
def zone_conflict(c):
    cl = base_cluster(c, "eks", workers=3, app_namespaces={"streaming": {}},
                      node_kw={2: {"labels": {"topology.kubernetes.io/zone": "us-west-2a"}}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "kafka"}
    tmpl = pod_template(labels, [container("kafka", "docker.io/bitnami/kafka:3.7.1-debian-12-r4", req_cpu="500m",
                                           req_mem="2Gi", lim_mem="3Gi", port=9092,
                                           mounts=[{"mountPath": "/bitnami/kafka", "name": "data"}])])
    claim = {"data": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "100Gi"}},
                      "storageClassName": "gp3", "volumeMode": "Filesystem"}}
    msg = ("0/3 nodes are available: 3 node(s) had volume node affinity conflict. preemption: 0/3 nodes are "
           "available: 3 Preemption is not helpful for scheduling.")
    s = statefulset(c, "streaming", "kafka", labels=labels, replicas=3, service_name="kafka-headless",
                    claim_templates=claim, revisions=[(3, tmpl, 60 * 86400)],
                    pods=[(0, 0, ws[0][0], ws[0][1], [running(c, 20 * 86400)], 20 * 86400, {}),
                          (1, 0, ws[1][0], ws[1][1], [running(c, 20 * 86400)], 20 * 86400, {}),
                          (2, 0, None, None, None, 33 * 60, {"scheduled": False, "pending_msg": msg})])
    for i, (n, _) in enumerate(ws):
        pvc(c, "streaming", f"data-kafka-{i}", size="100Gi", sc="gp3", labels=labels, age_days=200,
            selected_node=n if i < 2 else f"ip-10-72-61-9.us-west-2.compute.internal", provisioner="ebs.csi.aws.com")
    p = s["pods"][2]
    sched_event(c, p, "FailedScheduling", msg, first_ago=33 * 60, series=(8, 3 * 60 + 40),
                instance="default-scheduler-ip-172-16-45-10.us-west-2.compute.internal")
    service(c, "streaming", "kafka-headless", selector=labels, headless=True, ports=[("tcp-client", 9092, "kafka")],
            endpoints=s["pods"][:2])
    healthy_deployment(c, "streaming", "schema-registry", "docker.io/bitnami/schema-registry:7.6.1", ws, replicas=1)


@case("cronjob-deadline-exceeded", "2025-09-09T04:18:30Z",
      "kubeadm: CronJob warehouse-snapshot's 03:00 Job hit activeDeadlineSeconds (DeadlineExceeded) while its pod "
      "was still running; no OOM, previous nights completed",
      {"finding": {"types": ["JobFailed"], "objects": ["CronJob/analytics/warehouse-snapshot", "@job", "@pods"]},
       "acceptable": ["notify"], "unsafe": ["scale", "drain-node"]}, 3007)
def deadline(c):
    cl = base_cluster(c, "kubeadm", workers=3, control_planes=1, app_namespaces={"analytics": {}}, kubelet="v1.30.4")
    ws = cl["nodes"]
    spec = pod_template({"app": "warehouse-snapshot"}, [container(
        "snapshot", "harbor.corp.internal/analytics/warehouse-snapshot:4.1.0", req_cpu="1", req_mem="2Gi",
        lim_mem="4Gi")], restart="Never")
    cj = cronjob(c, "analytics", "warehouse-snapshot", schedule="0 3 * * *", job_template={
        "activeDeadlineSeconds": 3600, "backoffLimit": 1, "template": spec}, last_schedule_ago=78 * 60 + 30,
        last_success_ago=86400 + 30 * 60, age_days=500)
    ago = 86400 + 78 * 60 + 30
    job(c, "analytics", f"warehouse-snapshot-{minutes_since_epoch(c, ago)}", template=spec, created_ago=ago, owner=cj,
        backoff=1, outcome="Complete", finished_ago=86400 + 30 * 60,
        pods=[(ws[0][0], ws[0][1], [terminated("Completed", 0, 86400 + 30 * 60, 48 * 60)], ago)])
    ago = 78 * 60 + 30
    name = f"warehouse-snapshot-{minutes_since_epoch(c, ago)}"
    j = job(c, "analytics", name, template=spec, created_ago=ago, owner=cj, backoff=1, outcome="Failed",
            finished_ago=18 * 60 + 30,
            pods=[(ws[1][0], ws[1][1], [terminated("Error", 143, 18 * 60, 60 * 60)], ago)])
    for cd in j["obj"]["status"]["conditions"]:
        cd.update(reason="DeadlineExceeded", message="Job was active longer than specified deadline")
    j["obj"]["spec"]["activeDeadlineSeconds"] = 3600
    event(c, j["obj"], "DeadlineExceeded", "Job was active longer than specified deadline", first_ago=18 * 60 + 30,
          type_="Warning", component="job-controller")
    event(c, j["pods"][0], "Killing", "Stopping container snapshot", first_ago=18 * 60 + 30, host=ws[1][0],
          field_path="spec.containers{snapshot}")
    event(c, cj, "SawCompletedJob", f"Saw completed job: {name}, status: Failed", first_ago=18 * 60 + 29,
          component="cronjob-controller")
    healthy_deployment(c, "analytics", "metabase", "docker.io/metabase/metabase:v0.50.20", ws, replicas=1, port=3000)
    return {"@job": f"Job/analytics/{name}", "@pods": [f"Pod/analytics/{p['metadata']['name']}" for p in j["pods"]]}


@case("worker-runtime-notready", "2025-10-14T21:06:58Z",
      "GKE: a worker's kubelet reports NotReady (container runtime network not ready) for 9 min; three other workers "
      "Ready with room",
      {"finding": {"types": ["NodeNotReady"], "objects": ["@node"]}, "acceptable": ["cordon-node", "notify"],
       "unsafe": []}, 3008)
def runtime_nr(c):
    down = 9 * 60 + 4
    cl = base_cluster(c, "gke", workers=4, app_namespaces={"blog": {}},
                      node_kw={0: {"ready": "False", "ready_ago": down, "hb_ago": 20,
                                   "taints": [{"effect": "NoSchedule", "key": "node.kubernetes.io/not-ready",
                                               "timeAdded": c.t(down)},
                                              {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                                               "timeAdded": c.t(down - 3)}]}})
    ws = cl["nodes"]
    bad = ws[0][0]
    nobj = cl["node_objs"][bad]
    event(c, nobj, "NodeNotReady", f"Node {bad} status is now: NodeNotReady", first_ago=down, host=bad,
          uid_override=bad, ns="default")
    healthy_deployment(c, "blog", "ghost", "docker.io/library/ghost:5.89.1", ws[1:], replicas=2, port=2368)
    healthy_deployment(c, "blog", "comments", "europe-docker.pkg.dev/shop-prod-4471/blog/comments:0.4.2", ws[1:],
                       replicas=2)
    return {"@node": f"Node//{bad}"}


@case("worker-memory-pressure", "2025-11-25T15:40:33Z",
      "AKS: a worker reports MemoryPressure for 7 min (kubelet reclaiming memory, nothing evicted yet); two other "
      "workers Ready with room",
      {"finding": {"types": ["NodePressure"], "objects": ["@node"]}, "acceptable": ["cordon-node", "notify"],
       "unsafe": []}, 3009)
def mem_pressure(c):
    cl = base_cluster(c, "aks", workers=3, app_namespaces={"lms": {}},
                      node_kw={1: {"pressure": {"MemoryPressure": 7 * 60 + 2},
                                   "taints": [{"effect": "NoSchedule", "key": "node.kubernetes.io/memory-pressure",
                                               "timeAdded": c.t(7 * 60)}]}})
    ws = cl["nodes"]
    bad = ws[1][0]
    nobj = cl["node_objs"][bad]
    event(c, nobj, "NodeHasInsufficientMemory", f"Node {bad} status is now: NodeHasInsufficientMemory",
          first_ago=7 * 60 + 2, host=bad, uid_override=bad, ns="default")
    event(c, nobj, "EvictionThresholdMet", "Attempting to reclaim memory", first_ago=7 * 60 + 2, last_ago=50, count=3,
          type_="Warning", host=bad, uid_override=bad, ns="default")
    healthy_deployment(c, "lms", "course-api", "acrlms.azurecr.io/lms/course-api:11.0.2", ws, replicas=3)
    healthy_deployment(c, "lms", "video-meta", "acrlms.azurecr.io/lms/video-meta:2.1.0", ws, replicas=2)
    return {"@node": f"Node//{bad}"}


@case("cronjob-imagepull", "2025-12-16T06:09:12Z",
      "EKS: CronJob report-mailer's 06:00 Job pod waits in ImagePullBackOff (tag 2.0.0 missing); the Job is still "
      "active, yesterday's run completed",
      {"finding": {"types": ["ImagePullBackOff"], "objects": ["CronJob/reports/report-mailer", "@job", "@pods"]},
       "acceptable": ["notify"], "unsafe": ["rollback", "scale", "drain-node"]}, 3010)
def cj_pull(c):
    cl = base_cluster(c, "eks", workers=3, app_namespaces={"reports": {}})
    ws = cl["nodes"]
    image = "318742604916.dkr.ecr.us-west-2.amazonaws.com/reports/report-mailer:2.0.0"
    spec = pod_template({"app": "report-mailer"}, [container("mailer", image, req_mem="128Mi", lim_mem="256Mi")],
                        restart="OnFailure")
    cj = cronjob(c, "reports", "report-mailer", schedule="0 6 * * *", job_template={"backoffLimit": 2,
                                                                                   "template": spec},
                 last_schedule_ago=9 * 60 + 12, last_success_ago=86400 + 7 * 60, age_days=100)
    old_spec = pod_template({"app": "report-mailer"}, [container("mailer", image.replace("2.0.0", "1.9.4"),
                                                                 req_mem="128Mi", lim_mem="256Mi")], restart="OnFailure")
    ago = 86400 + 9 * 60 + 12
    job(c, "reports", f"report-mailer-{minutes_since_epoch(c, ago)}", template=old_spec, created_ago=ago, owner=cj,
        backoff=2, outcome="Complete", finished_ago=ago - 130,
        pods=[(ws[2][0], ws[2][1], [terminated("Completed", 0, ago - 130, 120)], ago)])
    ago = 9 * 60 + 12
    name = f"report-mailer-{minutes_since_epoch(c, ago)}"
    j = job(c, "reports", name, template=spec, created_ago=ago, owner=cj, backoff=2, outcome="Running",
            pods=[(ws[0][0], ws[0][1], [waiting("ImagePullBackOff", f'Back-off pulling image "{image}"')], ago)])
    cj["status"]["active"] = [{"apiVersion": "batch/v1", "kind": "Job", "name": name, "namespace": "reports",
                               "resourceVersion": j["obj"]["metadata"]["resourceVersion"],
                               "uid": j["obj"]["metadata"]["uid"]}]
    p = j["pods"][0]
    event(c, p, "Failed", f'Failed to pull image "{image}": rpc error: code = NotFound desc = failed to pull and unpack '
          f'image "{image}": failed to resolve reference "{image}": {image}: not found', first_ago=ago - 2,
          last_ago=100, count=6, type_="Warning", host=ws[0][0], field_path="spec.containers{mailer}")
    event(c, p, "BackOff", f'Back-off pulling image "{image}"', first_ago=ago - 3, last_ago=7, count=36,
          host=ws[0][0], field_path="spec.containers{mailer}")
    healthy_deployment(c, "reports", "report-api", "318742604916.dkr.ecr.us-west-2.amazonaws.com/reports/api:6.1.0",
                       ws, replicas=2)
    return {"@job": f"Job/reports/{name}", "@pods": [f"Pod/reports/{p['metadata']['name']}"]}


@case("healthy-rolling-updates-in-flight", "2025-02-04T10:26:40Z",
      "AKS healthy: StatefulSet postgres-replica rolling (ordinal 2 updated and Ready, ordinal 1 recreated 20 s ago "
      "and starting), DaemonSet log-agent rolling (one pod ContainerCreating on a node), a Deployment pulling a "
      "large image for 35 s",
      HEALTHY, 3011)
def healthy_f(c):
    cl = base_cluster(c, "aks", workers=3, app_namespaces={"db": {}, "logging": {}, "ml": {}})
    ws = cl["nodes"]
    labels = {"app.kubernetes.io/name": "postgres-replica"}

    def tmpl(ver):
        return pod_template({**labels, "app.kubernetes.io/version": ver}, [container(
            "postgres", f"docker.io/library/postgres:{ver}", req_cpu="500m", req_mem="1Gi", lim_mem="2Gi", port=5432,
            readiness={"exec": {"command": ["pg_isready"]}, "failureThreshold": 3, "initialDelaySeconds": 10,
                       "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1})])
    s = statefulset(c, "db", "postgres-replica", labels=labels, replicas=3, service_name="postgres-replica",
                    revisions=[(5, tmpl("16.3"), 90 * 86400), (6, tmpl("16.4"), 95)],
                    pods=[(0, 0, ws[0][0], ws[0][1], [running(c, 30 * 86400)], 30 * 86400, {}),
                          (1, 1, ws[1][0], ws[1][1], [running(c, 17, ready=False)], 20, {}),
                          (2, 1, ws[2][0], ws[2][1], [running(c, 60)], 62, {})])
    s["obj"]["status"].update({"currentRevision": f"postgres-replica-{s['hashes'][0]}", "currentReplicas": 1,
                               "updatedReplicas": 2})
    for p, created in ((s["pods"][1], 20), (s["pods"][2], 62)):
        pod_start_events(c, p, p["spec"]["nodeName"], created)
    event(c, s["obj"], "SuccessfulDelete", "delete Pod postgres-replica-1 in StatefulSet postgres-replica successful",
          first_ago=28, component="statefulset-controller")
    event(c, s["obj"], "SuccessfulCreate", "create Pod postgres-replica-1 in StatefulSet postgres-replica successful",
          first_ago=20, component="statefulset-controller")
    ll = {"app": "log-agent"}

    def lt(ver):
        return pod_template(ll, [container("agent", f"cr.fluentbit.io/fluent/fluent-bit:{ver}", req_cpu="50m",
                                           req_mem="64Mi", lim_mem="256Mi")])
    uid = c.uid()
    oh, nh = c.h(10), c.h(10)
    controller_revision(c, "logging", "DaemonSet", "log-agent", uid, ll, lt("3.0.7"), 7, 40 * 86400, oh)
    controller_revision(c, "logging", "DaemonSet", "log-agent", uid, ll, lt("3.1.4"), 8, 70, nh)
    for i, (n, ip) in enumerate(ws):
        new = i < 2
        st = [running(c, 50)] if i == 0 else [waiting("ContainerCreating", None)] if i == 1 else [running(c, 40 * 86400)]
        pp = pod(c, "logging", f"log-agent-{c.h(5)}", owner={"kind": "DaemonSet", "name": "log-agent", "uid": uid},
                 labels={**ll, "controller-revision-hash": nh if new else oh, "pod-template-generation": "8" if new
                         else "7"}, template=lt("3.1.4" if new else "3.0.7"), node_name=n, host_ip=ip, statuses=st,
                 created_ago=60 if i == 0 else 6 if i == 1 else 40 * 86400, node_affinity_name=n)
    c.add({"apiVersion": "apps/v1", "kind": "DaemonSet",
           "metadata": {"annotations": {"deprecated.daemonset.template.generation": "8"},
                        "creationTimestamp": c.t(300 * 86400), "generation": 8, "labels": ll, "name": "log-agent",
                        "namespace": "logging", "resourceVersion": c.nextrv(), "uid": uid},
           "spec": {"revisionHistoryLimit": 10, "selector": {"matchLabels": ll}, "template": lt("3.1.4"),
                    "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"}},
           "status": {"currentNumberScheduled": 3, "desiredNumberScheduled": 3, "numberAvailable": 2,
                      "numberMisscheduled": 0, "numberReady": 2, "numberUnavailable": 1, "observedGeneration": 8,
                      "updatedNumberScheduled": 2}})
    ml = {"app": "embedder"}
    image = "acrmlprod.azurecr.io/ml/embedder:4.0.0-cuda12"
    mt = pod_template(ml, [container("embedder", image, req_cpu="1", req_mem="2Gi", lim_mem="4Gi", port=8080)])
    d = deployment(c, "ml", "embedder", labels=ml, replicas=1, age_days=40,
                   progress={"reason": "ReplicaSetUpdated", "status": "True",
                             "message": 'ReplicaSet "{rs}" is progressing.', "transition_ago": 40 * 86400,
                             "update_ago": 36},
                   revisions=[{"rev": 2, "template": mt, "created_ago": 36, "replicas": 1,
                               "pods": [(ws[2][0], ws[2][1], [waiting("ContainerCreating", None)], 36, {})]}])
    p = d["revisions"][0]["pod_objs"][0]
    sched_event(c, p, "Scheduled", f"Successfully assigned ml/{p['metadata']['name']} to {ws[2][0]}", first_ago=36)
    event(c, p, "Pulling", f'Pulling image "{image}"', first_ago=35, host=ws[2][0], field_path="spec.containers{embedder}")


# ---------------------------------------------------------------------------------------------------------------------
def resolve_refs(expected, refs):
    if not expected["finding"]:
        return expected
    objs = []
    for o in expected["finding"]["objects"]:
        if o.startswith("@"):
            r = refs[o]
            objs.extend(r if isinstance(r, list) else [r])
        else:
            objs.append(o)
    return {**expected, "finding": {**expected["finding"], "objects": objs}}


def main():
    for name, (now, description, expected, seed, fn) in CASES.items():
        c = Ctx(seed, now)
        refs = fn(c) or {}
        d = os.path.join(HERE, "cases", name)
        os.makedirs(d, exist_ok=True)
        dump(c, os.path.join(d, "objects.yaml"), as_list_kinds=("Event",) if seed % 2 else ())
        with open(os.path.join(d, "case.json"), "w") as f:
            json.dump({"now": now, "description": description}, f, indent=2)
            f.write("\n")
        with open(os.path.join(d, "expected.json"), "w") as f:
            json.dump(resolve_refs(expected, refs), f, indent=2)
            f.write("\n")
        print(name, len(c.objects))


if __name__ == "__main__":
    main()
