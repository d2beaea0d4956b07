// Validates every document of the YAML files given against the Kubernetes API schema of its
// kind (kubernetes-models, generated from Kubernetes' OpenAPI spec): types, required fields,
// formats and enums. Exit 1 with one line per problem. Usage: node validate.mjs FILE...
import fs from "node:fs";
import yaml from "js-yaml";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as policy from "kubernetes-models/policy/v1";

const kinds = {
  "v1/Namespace": core.Namespace, "v1/Service": core.Service, "v1/Secret": core.Secret,
  "v1/ConfigMap": core.ConfigMap, "apps/v1/Deployment": apps.Deployment,
  "policy/v1/PodDisruptionBudget": policy.PodDisruptionBudget,
};
let problems = 0, documents = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, "utf8"))) {
    if (doc == null) continue;
    documents++;
    const key = `${doc.apiVersion}/${doc.kind}`;
    const Model = kinds[key];
    const where = `${file}: ${key} ${doc.metadata?.name ?? "(no name)"}`;
    if (!Model) { console.log(`${where}: kind not known to this check`); problems++; continue; }
    try { new Model(doc).validate(); } catch (e) { console.log(`${where}: ${e.message}`); problems++; }
  }
}
console.log(`validate: ${documents} documents, ${problems} problems`);
process.exit(problems === 0 && documents > 0 ? 0 : 1);
