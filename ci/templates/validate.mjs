// Validates the CI templates (ci/check-templates.sh installs the tools and runs this):
// - GitHub Actions workflows with @actions/workflow-parser (MIT), GitHub's own parser and
//   workflow schema (workflow-v1.0.json), the one its editor tooling uses;
// - the GitLab pipeline with ajv against GitLab's CI schema (ci.json from GitLab's repository,
//   MIT), as the npm package gitlab-ci-local (MIT) ships it in src/schema/schema.js.
// Both files must also be valid YAML 1.2. Prints every error with its file; exit 1 on any.
import { readFileSync } from "node:fs";
import { parseWorkflow, NoOperationTraceWriter } from "@actions/workflow-parser";
import Ajv from "ajv";
import { parse } from "yaml";
import { schema as gitlabSchema } from "gitlab-ci-local/src/schema/schema.js";

let failures = 0;
const fail = (file, message) => {
  console.error(`${file}: ${message}`);
  failures++;
};

function checkGithub(file) {
  const content = readFileSync(file, "utf8");
  parse(content);  // throws with line and column on malformed YAML
  const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  for (const error of result.context.errors.getErrors()) fail(file, error.message);
  if (!result.value) fail(file, "not a workflow");
}

function checkGitlab(file) {
  const document = parse(readFileSync(file, "utf8"));
  // The options gitlab-ci-local validates with: the schema uses union types and its own
  // `markdownDescription` annotation, and leaves some types implicit.
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, validateFormats: false,
                        strictTypes: false, keywords: ["markdownDescription"] });
  const validate = ajv.compile(gitlabSchema);
  if (!validate(document)) {
    for (const e of validate.errors) fail(file, `${e.instancePath || "/"} ${e.message}`);
  }
}

const [kind, ...files] = process.argv.slice(2);
for (const file of files) {
  const before = failures;
  try {
    if (kind === "github") checkGithub(file);
    else if (kind === "gitlab") checkGitlab(file);
    else throw new Error(`unknown kind '${kind}' (github or gitlab)`);
    if (failures === before) console.log(`${file}: ok`);
  } catch (e) {
    fail(file, e.message);
  }
}
process.exit(failures ? 1 : 0);
