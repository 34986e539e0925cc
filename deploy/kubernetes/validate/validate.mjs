// Validates every manifest of deploy/kubernetes against the Kubernetes API schemas, as
// kubernetes-models generates them from the OpenAPI spec: wrong types, values outside an enum and
// missing required fields fail (a misspelt optional field is not caught: the schemas allow extra
// properties). Usage: deploy/kubernetes/validate.sh
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";

const dir = new URL("..", import.meta.url).pathname;
const models = {
  "apps/v1/Deployment": (await import("kubernetes-models/apps/v1/Deployment")).Deployment,
  "v1/Service": (await import("kubernetes-models/v1/Service")).Service,
  "v1/Secret": (await import("kubernetes-models/v1/Secret")).Secret,
  "v1/ConfigMap": (await import("kubernetes-models/v1/ConfigMap")).ConfigMap,
  "policy/v1/PodDisruptionBudget": (await import("kubernetes-models/policy/v1/PodDisruptionBudget")).PodDisruptionBudget,
  "autoscaling/v2/HorizontalPodAutoscaler": (await import("kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler")).HorizontalPodAutoscaler,
  "networking.k8s.io/v1/NetworkPolicy": (await import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy")).NetworkPolicy,
};
let failed = 0, checked = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml").sort()) {
  for (const doc of yaml.loadAll(readFileSync(join(dir, file), "utf8")).filter(Boolean)) {
    const Model = models[`${doc.apiVersion}/${doc.kind}`];
    if (!Model) { console.log(`${file}: no schema for ${doc.apiVersion} ${doc.kind}`); failed++; continue; }
    try { new Model(doc).validate(); checked++; console.log(`${file}: ${doc.kind} ${doc.metadata.name} valid`); }
    catch (e) { failed++; console.log(`${file}: ${doc.kind} ${doc.metadata?.name} INVALID\n  ${e.message}`); }
  }
}
console.log(`${checked} valid, ${failed} invalid`);
process.exit(failed ? 1 : 0);
