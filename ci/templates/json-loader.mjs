// @actions/workflow-parser imports its schema as `import schema from "./x.json"`, written for
// bundlers; Node needs `with { type: "json" }` there. This load hook gives Node the JSON module
// itself (node --import ./json-loader.mjs).
import { register } from "node:module";
import { readFile } from "node:fs/promises";

if (!globalThis.__harnessJsonLoader) {
  globalThis.__harnessJsonLoader = true;
  register(import.meta.url);
}

export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && url.endsWith(".json")) {
    return { format: "json", source: await readFile(new URL(url), "utf8"), shortCircuit: true };
  }
  return nextLoad(url, context);
}
