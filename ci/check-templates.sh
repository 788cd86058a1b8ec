#!/usr/bin/env bash
# Checks the CI templates of ci/templates/: valid YAML, valid against the schema each CI system
# publishes (ci/templates/validate.mjs says which), and every `ci/nightly.sh STEP` they call is a
# step ci/nightly.sh has. Installs the validators from the npm registry (pinned in
# ci/templates/package.json) into build/ci-tools on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=build/ci-tools
if ! command -v npm >/dev/null; then
  echo "check-templates: skipped, npm is not installed (the validators come from the npm registry)"
  exit 0
fi
mkdir -p "$tools"
if ! cmp -s ci/templates/package.json "$tools/package.json" || [[ ! -d $tools/node_modules ]]; then
  cp ci/templates/package.json "$tools/package.json"
  npm install --prefix "$tools" --no-audit --no-fund --ignore-scripts --loglevel=error
fi
cp ci/templates/validate.mjs ci/templates/json-loader.mjs "$tools/"
validate() { node --import "./$tools/json-loader.mjs" "$tools/validate.mjs" "$@"; }
validate github ci/templates/github/*.yml
validate gitlab ci/templates/gitlab/.gitlab-ci.yml

# The validators must see errors: a workflow and a pipeline with a misspelt key are refused.
bad="$tools/bad"
mkdir -p "$bad"
printf 'on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    stepz: [{run: x}]\n' >"$bad/w.yml"
printf 'j:\n  scriptz: [x]\n' >"$bad/p.yml"
for kind in github:w gitlab:p; do
  if validate "${kind%%:*}" "$bad/${kind#*:}.yml" >/dev/null 2>&1; then
    echo "check-templates: the ${kind%%:*} validator accepted a misspelt key" >&2
    exit 1
  fi
done

steps=$(grep -ohE '(run: |- )ci/nightly\.sh [a-z]+' ci/templates/github/*.yml \
  ci/templates/gitlab/.gitlab-ci.yml | awk '{print $NF}' | sort -u)
for step in $steps; do
  if ! grep -qE "^step_$step\(\)" ci/nightly.sh; then
    echo "check-templates: the templates call 'ci/nightly.sh $step', which has no such step" >&2
    exit 1
  fi
done
echo "check-templates: templates valid; nightly steps used: $(echo $steps)"
