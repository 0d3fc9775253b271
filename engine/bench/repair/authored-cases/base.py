"""Per-distribution cluster scaffolding: nodes, kube-system agents, CoreDNS, storage classes, and healthy noise."""

from k8slib import (Ctx, container, daemonset, deployment, event, http_probe, namespace, node, pod_template, running,
                    service, storageclass)

SYSTEM_NS = ["default", "kube-node-lease", "kube-public", "kube-system"]


def worker_specs(flavor, n, c, region=None):
    out = []
    for i in range(n):
        if flavor == "eks":
            ip = f"10.{c.rng.choice([40, 72, 110])}.{c.rng.randint(1, 60)}.{c.rng.randint(2, 250)}"
            region = region or "us-west-2"
            name = f"ip-{ip.replace('.', '-')}.{region}.compute.internal"
        elif flavor == "gke":
            ip = f"10.164.0.{c.rng.randint(2, 250)}"
            name = f"gke-prod-eu-pool-2-{c.hexs(8)}-{c.h(4)}"
        elif flavor == "aks":
            ip = f"10.224.0.{c.rng.randint(4, 250)}"
            name = f"aks-userpool-{c.rng.randint(10000000, 99999999)}-vmss{c.rng.randint(0, 40):06d}"
        else:
            ip = f"172.16.20.{c.rng.randint(10, 250)}"
            name = f"k8s-worker-{i + 1:02d}"
        out.append((name, ip))
    return out


def flavor_labels(flavor, zone_i=0):
    if flavor == "eks":
        z = "abc"[zone_i % 3]
        return {"eks.amazonaws.com/capacityType": "ON_DEMAND", "eks.amazonaws.com/nodegroup": "apps-m6i-large",
                "node.kubernetes.io/instance-type": "m6i.xlarge", "topology.kubernetes.io/region": "us-west-2",
                "topology.kubernetes.io/zone": f"us-west-2{z}"}
    if flavor == "gke":
        z = "abc"[zone_i % 3]
        return {"cloud.google.com/gke-nodepool": "pool-2", "cloud.google.com/machine-family": "e2",
                "node.kubernetes.io/instance-type": "e2-standard-4", "topology.kubernetes.io/region": "europe-west4",
                "topology.kubernetes.io/zone": f"europe-west4-{z}"}
    if flavor == "aks":
        return {"agentpool": "userpool", "kubernetes.azure.com/agentpool": "userpool",
                "kubernetes.azure.com/mode": "user", "node.kubernetes.io/instance-type": "Standard_D4s_v5",
                "topology.kubernetes.io/region": "westeurope", "topology.kubernetes.io/zone": f"westeurope-{zone_i % 3 + 1}"}
    return {}


def base_cluster(c, flavor, *, workers, app_namespaces, control_planes=0, node_kw=None, kubelet="v1.29.8",
                 worker_mem_ki=None, cp_kw=None):
    """Returns dict(nodes=[(name, ip)], cps=[(name, ip)], node_objs={name: obj})."""
    for ns in SYSTEM_NS:
        namespace(c, ns, 600)
    for ns, labels in app_namespaces.items():
        namespace(c, ns, c.rng.randint(90, 400), labels)
    node_objs = {}
    cps = []
    for i in range(control_planes):
        name, ip = f"k8s-cp-{i + 1:02d}", f"172.16.10.{11 + i}"
        kw = dict(cp_kw.get(name, {})) if cp_kw else {}
        node_objs[name] = node(c, name, flavor=flavor, ip=ip, control_plane=True, kubelet=kubelet, cpu="4",
                               cap_cpu="4", mem_ki=7995464, cap_mem_ki=8097864, pods="110", age_days=500,
                               taints=[{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
                               + kw.pop("extra_taints", []), **kw)
        cps.append((name, ip))
    ws = worker_specs(flavor, workers, c)
    for i, (name, ip) in enumerate(ws):
        kw = dict((node_kw or {}).get(i, {}))
        labels = {**flavor_labels(flavor, i), **kw.pop("labels", {})}
        mem = kw.pop("mem_ki", worker_mem_ki or {"eks": 15125526, "gke": 13335296, "aks": 13242884,
                                                   "kubeadm": 16215420}[flavor])
        node_objs[name] = node(c, name, flavor=flavor, ip=ip, labels=labels, kubelet=kubelet, mem_ki=mem,
                               cap_mem_ki=int(mem * 1.07), pods="110" if flavor != "eks" else "58", **kw)
    all_nodes = cps + ws
    # kube-system agents
    if flavor == "eks":
        agents = [("aws-node", "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.18.3-eksbuild.2",
                   {"k8s-app": "aws-node"}, True),
                  ("kube-proxy", "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/kube-proxy:v1.29.7-minimal-eksbuild.2",
                   {"k8s-app": "kube-proxy"}, True),
                  ("ebs-csi-node", "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.33.0",
                   {"app": "ebs-csi-node", "app.kubernetes.io/name": "aws-ebs-csi-driver"}, False)]
    elif flavor == "gke":
        agents = [("fluentbit-gke", "gke.gcr.io/fluent-bit:v1.8.12-gke.31", {"k8s-app": "fluentbit-gke"}, False),
                  ("pdcsi-node", "gke.gcr.io/gcp-compute-persistent-disk-csi-driver:v1.13.3-gke.0",
                   {"k8s-app": "gcp-compute-persistent-disk-csi-driver"}, False),
                  ("gke-metrics-agent", "gke.gcr.io/gke-metrics-agent:1.12.2-gke.1",
                   {"component": "gke-metrics-agent", "k8s-app": "gke-metrics-agent"}, False)]
    elif flavor == "aks":
        agents = [("kube-proxy", "mcr.microsoft.com/oss/kubernetes/kube-proxy:v1.29.7-hotfix.20240712",
                   {"component": "kube-proxy", "tier": "node"}, True),
                  ("azure-ip-masq-agent", "mcr.microsoft.com/aks/ip-masq-agent-v2:v0.1.11",
                   {"k8s-app": "azure-ip-masq-agent", "tier": "node"}, True),
                  ("cloud-node-manager", "mcr.microsoft.com/oss/kubernetes/azure-cloud-node-manager:v1.29.8",
                   {"component": "cloud-node-manager", "k8s-app": "cloud-node-manager"}, True)]
    else:
        agents = [("calico-node", "docker.io/calico/node:v3.28.1", {"k8s-app": "calico-node"}, True),
                  ("kube-proxy", f"registry.k8s.io/kube-proxy:{kubelet}", {"k8s-app": "kube-proxy"}, True)]
    for name, image, labels, host_net in agents:
        tmpl = pod_template(labels, [container(name, image, req_cpu="25m" if host_net else "10m",
                                               req_mem="64Mi", lim_mem=None if host_net else "256Mi")],
                            extra={"hostNetwork": host_net, "priorityClassName": "system-node-critical",
                                   "priority": 2000001000, "serviceAccountName": name,
                                   "tolerations": [{"operator": "Exists"}]})
        daemonset(c, "kube-system", name, labels=labels, template=tmpl,
                  nodes=all_nodes if host_net else ws, age_days=300)
    # CoreDNS
    dns_labels = {"k8s-app": "kube-dns"}
    dns_image = {"eks": "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/coredns:v1.11.1-eksbuild.9",
                 "gke": "gke.gcr.io/coredns:v1.11.1-gke.2", "aks": "mcr.microsoft.com/oss/kubernetes/coredns:v1.11.3-1",
                 "kubeadm": "registry.k8s.io/coredns/coredns:v1.11.1"}[flavor]
    tmpl = pod_template(dns_labels, [container("coredns", dns_image, req_cpu="100m", req_mem="70Mi",
                                               lim_mem="170Mi", port=53,
                                               readiness=http_probe("/ready", 8181, period=10),
                                               liveness=http_probe("/health", 8080, period=10, delay=60))],
                        extra={"priorityClassName": "system-cluster-critical", "priority": 2000000000,
                               "serviceAccountName": "coredns",
                               "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                               {"effect": "NoSchedule",
                                                "key": "node-role.kubernetes.io/control-plane"}]})
    if flavor == "kubeadm" and cps:
        dns_nodes = cps[:2]
    else:
        dns_nodes = ws[:2]
    dns = deployment(c, "kube-system", "coredns", labels=dns_labels, replicas=2, age_days=400, revisions=[
        {"rev": 1, "template": tmpl, "created_ago": 400 * 86400, "replicas": 0, "pods": []},
        {"rev": 2, "template": tmpl, "created_ago": 40 * 86400, "replicas": 2,
         "pods": [(n, ip, [running(c, 40 * 86400 - 60)], 40 * 86400, {}) for n, ip in dns_nodes]}])
    service(c, "kube-system", "kube-dns", selector=dns_labels, cluster_ip="10.96.0.10" if flavor == "kubeadm" else None,
            ports=[("dns", 53, 53), ("dns-tcp", 53, 53)], endpoints=dns["revisions"][-1]["pod_objs"],
            labels={"k8s-app": "kube-dns", "kubernetes.io/name": "CoreDNS"}, age_days=400)
    if flavor == "eks":
        storageclass(c, "gp2", "kubernetes.io/aws-ebs", params={"fsType": "ext4", "type": "gp2"})
        storageclass(c, "gp3", "ebs.csi.aws.com", default=True, params={"type": "gp3"})
    elif flavor == "gke":
        storageclass(c, "premium-rwo", "pd.csi.storage.gke.io", params={"type": "pd-ssd"})
        storageclass(c, "standard-rwo", "pd.csi.storage.gke.io", default=True, params={"type": "pd-balanced"})
    elif flavor == "aks":
        storageclass(c, "managed-csi", "disk.csi.azure.com", default=True, params={"skuname": "StandardSSD_LRS"})
        storageclass(c, "managed-csi-premium", "disk.csi.azure.com", params={"skuname": "Premium_LRS"})
    return {"nodes": ws, "cps": cps, "node_objs": node_objs}


def healthy_deployment(c, ns, name, image, nodes, *, replicas=2, port=8080, mem="256Mi", lim="512Mi", rev=3,
                       old_image=None, svc=True, age_days=120, restarts=None, extra_labels=None):
    """A steady Deployment with an old ReplicaSet at 0 and (optionally) a Service with endpoints."""
    labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name}
    ver = image.rsplit(":", 1)[1]
    tmpl = pod_template({**labels, "app.kubernetes.io/version": ver, **(extra_labels or {})},
                        [container(name.split("-")[0] if False else "app", image, req_mem=mem, lim_mem=lim, port=port,
                                   readiness=http_probe("/readyz"), liveness=http_probe("/livez", delay=15,
                                                                                        period=20))])
    old = pod_template({**labels, "app.kubernetes.io/version": (old_image or image).rsplit(":", 1)[1]},
                       [container("app", old_image or image, req_mem=mem, lim_mem=lim, port=port,
                                  readiness=http_probe("/readyz"),
                                  liveness=http_probe("/livez", delay=15, period=20))])
    pods = []
    for i in range(replicas):
        n, ip = nodes[i % len(nodes)]
        st = running(c, 6 * 86400)
        if restarts and i in restarts:
            st = running(c, restarts[i][0], restarts=restarts[i][1], last=restarts[i][2])
        pods.append((n, ip, [st], 6 * 86400 + 40, {}))
    d = deployment(c, ns, name, labels=labels, replicas=replicas, age_days=age_days, revisions=[
        {"rev": rev - 1, "template": old, "created_ago": 20 * 86400, "replicas": 0, "pods": []},
        {"rev": rev, "template": tmpl, "created_ago": 6 * 86400 + 60, "replicas": replicas, "pods": pods}])
    if svc:
        service(c, ns, name, selector=labels, ports=[("http", 80, "http", port)],
                endpoints=d["revisions"][-1]["pod_objs"], labels=labels, age_days=age_days)
    return d
