// Validates Kubernetes objects against the Kubernetes API's JSON schemas, offline: the `kubernetes-models`
// package ships a validator per kind, compiled from the Kubernetes OpenAPI document (see its README for the
// Kubernetes release). It is an ES module, so the jest tests run this script with Node instead of importing it.
// stdin: a JSON array of objects; stdout: a JSON array of { apiVersion, kind, name, errors } (errors: [] = valid).
import { readFileSync } from 'node:fs';

const objects = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const object of objects) {
  const { apiVersion, kind } = object;
  const name = object.metadata?.name;
  let errors = [];
  try {
    // `v1` is the core group; every other apiVersion is `<group>/<version>`, laid out the same way in the package.
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    const Model = module[kind] ?? module.default;
    new Model(object).validate();
  } catch (error) {
    errors = [error instanceof Error ? error.message : String(error)];
  }
  results.push({ apiVersion, kind, name, errors });
}
process.stdout.write(JSON.stringify(results));
