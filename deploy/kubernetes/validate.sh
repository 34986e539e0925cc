#!/usr/bin/env bash
# Validates the manifests of deploy/kubernetes against the Kubernetes API schemas without a cluster
# (kubernetes-models from the npm registry; `kubectl --dry-run=client` needs an API server).
set -euo pipefail
cd "$(dirname "$0")/validate"
[ -d node_modules ] || npm install --no-audit --no-fund --loglevel=error
node validate.mjs
