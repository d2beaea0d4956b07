#!/bin/bash
# deploy/kubernetes: oms.yaml is what generate.py writes, its documents and the example
# Secrets pass the Kubernetes API schemas (validator/validate.mjs on kubernetes-models,
# installed by ./oms install), and every Deployment has what docs/DEPLOY.md promises.
set -euo pipefail
cd "${TEST_SRCDIR}/${TEST_WORKSPACE}/deploy/kubernetes"
validator="${OMS_K8S_VALIDATOR:-/usr/local/lib/oms-k8s-validator}"
if [[ ! -d "$validator/node_modules/kubernetes-models" ]]; then
  echo "no schema validator in $validator (./oms install puts it there)" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 generate.py "$work/oms.yaml"
if ! diff -u oms.yaml "$work/oms.yaml" >"$work/diff"; then
  echo "FAIL oms.yaml differs from what generate.py writes (run it):" >&2
  head -40 "$work/diff" >&2
  exit 1
fi
cp validator/validate.mjs "$work/"
ln -s "$validator/node_modules" "$work/node_modules"
node "$work/validate.mjs" oms.yaml secrets.example.yaml
# What the schema cannot say: each Deployment probes health, requests resources, runs
# unprivileged, has a PodDisruptionBudget and a headless Service.
/usr/bin/python3 - oms.yaml <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
problems = []
for name, dep in by_kind["Deployment"].items():
    c = dep["spec"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        if "health_check" not in " ".join(c.get(probe, {}).get("exec", {}).get("command", [])):
            problems.append(f"{name}: {probe} does not ask the gRPC health service")
    if not c.get("resources", {}).get("requests"):
        problems.append(f"{name}: no resource requests")
    if not c.get("securityContext", {}).get("runAsNonRoot"):
        problems.append(f"{name}: may run as root")
    if name not in by_kind.get("PodDisruptionBudget", {}):
        problems.append(f"{name}: no PodDisruptionBudget")
    service = by_kind.get("Service", {}).get(name)
    if service is None or service["spec"].get("clusterIP") != "None":
        problems.append(f"{name}: no headless Service for client-side balancing")
if len(by_kind["Deployment"]) != 6:
    problems.append(f"{len(by_kind['Deployment'])} Deployments, not 6")
for p in problems:
    print("FAIL", p)
sys.exit(1 if problems else 0)
PY
echo "manifests ok"
