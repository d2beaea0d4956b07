#!/usr/bin/env python3
"""Writes oms.yaml: the six services on Kubernetes with PostgreSQL stores (docs/DEPLOY.md).
One Deployment, headless Service and PodDisruptionBudget per service, all alike but for
the port and the service's own flags, so they are generated rather than copied six times.
Run it after changing this file; deploy/kubernetes:manifests_test fails when oms.yaml is
not what it writes. Usage: generate.py [OUTPUT]"""
import sys

import yaml

IMAGE = "registry.example.com/oms:0.1.0"  # built from the release binaries (docs/DEPLOY.md)
NAMESPACE = "oms"
SERVICES = [  # name, gRPC port, metrics port, replicas, own flags
    ("orchestrator_svc", 50050, 9150, 2, []),
    ("order_svc", 50051, 9151, 3, []),
    ("inventory_svc", 50052, 9152, 2, []),
    ("logistics_svc", 50053, 9153, 2, ["--carriers_file=/etc/oms/config/carriers.textproto"]),
    ("notify_svc", 50054, 9154, 2, ["--defaults_file=/etc/oms/config/notify_defaults.textproto"]),
    ("analytics_svc", 50055, 9155, 2, ["--dashboard_listen=0.0.0.0:8080"]),
]
# Measured: 28-32 MB resident per idle service under ./oms up (docs/BENCHMARKS.md), CPU per
# order 4.8-6.7 ms over all six; requests leave room for caches and a few hundred orders/s.
RESOURCES = {"requests": {"cpu": "250m", "memory": "96Mi"}, "limits": {"memory": "512Mi"}}


def dns_name(service):
    return service.replace("_", "-")


def peer_flags():
    flags = []
    for name, port, _, _, _ in SERVICES:
        short = name.split("_")[0]
        flags.append(f"--{short}_addr=dns:///{dns_name(name)}.{NAMESPACE}.svc.cluster.local:{port}")
    return flags


def probe(name, port, period, failures):
    # gRPC health over TLS with the pod's own client certificate (Kubernetes' native grpc
    # probe speaks plaintext, which the servers refuse off loopback).
    return {
        "exec": {"command": [
            "/usr/lib/oms/bin/health_check", f"--target=127.0.0.1:{port}",
            "--tls_ca=/etc/oms/tls/ca.crt", "--tls_cert=/etc/oms/tls/tls.crt",
            "--tls_key=/etc/oms/tls/tls.key", f"--tls_server_name={dns_name(name)}",
        ]},
        "periodSeconds": period, "timeoutSeconds": 3, "failureThreshold": failures,
    }


def deployment(name, port, metrics_port, replicas, own):
    labels = {"app.kubernetes.io/name": dns_name(name), "app.kubernetes.io/part-of": "oms"}
    args = [
        f"--listen=0.0.0.0:{port}", "--db=$(OMS_DB)",
        "--auth_keys=/etc/oms/keys/keys.textproto",
        "--data_key_file=/etc/oms/keys/data.keys",
        f"--service_key_file=/etc/oms/keys/{name}.key",
        "--tls_cert=/etc/oms/tls/tls.crt", "--tls_key=/etc/oms/tls/tls.key",
        "--tls_client_ca=/etc/oms/tls/ca.crt", "--peer_tls_ca=/etc/oms/tls/ca.crt",
        "--peer_tls_cert=/etc/oms/tls/tls.crt", "--peer_tls_key=/etc/oms/tls/tls.key",
        f"--metrics_listen=0.0.0.0:{metrics_port}", "--shutdown_grace=20s",
        "--trace_export=http://otel-collector.observability.svc:4318/v1/traces",
        "--trace_sample_rate=0.05",
    ] + peer_flags() + own
    ports = [{"name": "grpc", "containerPort": port}, {"name": "metrics", "containerPort": metrics_port}]
    if name == "analytics_svc":
        ports.append({"name": "dashboard", "containerPort": 8080})
    container = {
        "name": dns_name(name), "image": IMAGE, "imagePullPolicy": "IfNotPresent",
        "command": [f"/usr/lib/oms/bin/{name}"], "args": args,
        "env": [{"name": "OMS_DB", "valueFrom": {"secretKeyRef": {"name": "oms-postgres", "key": name}}}],
        "ports": ports, "resources": RESOURCES,
        "readinessProbe": probe(name, port, 5, 2), "livenessProbe": probe(name, port, 10, 6),
        "startupProbe": probe(name, port, 2, 60),
        "securityContext": {
            "runAsNonRoot": True, "runAsUser": 10001, "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]},
        },
        "volumeMounts": [
            {"name": "keys", "mountPath": "/etc/oms/keys", "readOnly": True},
            {"name": "tls", "mountPath": "/etc/oms/tls", "readOnly": True},
            {"name": "config", "mountPath": "/etc/oms/config", "readOnly": True},
            {"name": "tmp", "mountPath": "/tmp"},
        ],
    }
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": dns_name(name), "namespace": NAMESPACE, "labels": labels},
        "spec": {
            "replicas": replicas, "selector": {"matchLabels": labels},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": {
                "metadata": {"labels": labels, "annotations": {
                    "prometheus.io/scrape": "true", "prometheus.io/port": str(metrics_port)}},
                "spec": {
                    # Longer than --shutdown_grace: a pod drains its calls before it is killed.
                    "terminationGracePeriodSeconds": 30,
                    "automountServiceAccountToken": False,
                    "securityContext": {"fsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
                    "containers": [container],
                    "volumes": [
                        {"name": "keys", "secret": {"secretName": "oms-keys", "defaultMode": 0o400}},
                        {"name": "tls", "secret": {"secretName": f"oms-tls-{dns_name(name)}", "defaultMode": 0o400}},
                        {"name": "config", "configMap": {"name": "oms-config"}},
                        {"name": "tmp", "emptyDir": {}},
                    ],
                    "topologySpreadConstraints": [{
                        "maxSkew": 1, "topologyKey": "kubernetes.io/hostname",
                        "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": {"matchLabels": labels}}],
                },
            },
        },
    }


def headless_service(name, port, metrics_port):
    labels = {"app.kubernetes.io/name": dns_name(name), "app.kubernetes.io/part-of": "oms"}
    return {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": dns_name(name), "namespace": NAMESPACE, "labels": labels},
        # Headless: DNS answers every ready pod, and gRPC's round robin balances the calls.
        "spec": {"clusterIP": "None", "selector": labels, "publishNotReadyAddresses": False,
                 "ports": [{"name": "grpc", "port": port, "targetPort": "grpc"},
                           {"name": "metrics", "port": metrics_port, "targetPort": "metrics"}]},
    }


def disruption_budget(name):
    labels = {"app.kubernetes.io/name": dns_name(name), "app.kubernetes.io/part-of": "oms"}
    return {
        "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
        "metadata": {"name": dns_name(name), "namespace": NAMESPACE},
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": labels}},
    }


def documents():
    yield {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}
    for name, port, metrics_port, replicas, own in SERVICES:
        yield deployment(name, port, metrics_port, replicas, own)
        yield headless_service(name, port, metrics_port)
        yield disruption_budget(name)


class PlainDumper(yaml.SafeDumper):
    """No &anchors: a reader of one document sees all of it."""

    def ignore_aliases(self, data):
        return True


def main():
    header = ("# Generated by deploy/kubernetes/generate.py: edit that, then run it.\n"
              "# Secrets (oms-keys, oms-tls-<service>, oms-postgres) and the oms-config ConfigMap are\n"
              "# made by hand: deploy/kubernetes/secrets.example.yaml and docs/DEPLOY.md.\n")
    text = header + yaml.dump_all(documents(), Dumper=PlainDumper, sort_keys=False, width=100)
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
