#!/usr/bin/env bash
# `npm test`: type-checks, then runs every TypeScript test (unit and integration, node:test) and every Wing simulator
# test. The tf-aws snapshot and synth checks are TypeScript tests too, so they run offline here.
set -euo pipefail
cd "$(dirname "$0")/.."
export WING_DISABLE_ANALYTICS=1

echo "== typecheck"
npx tsc -p tsconfig.json

echo "== TypeScript tests"
mapfile -t ts_tests < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
node --import tsx --test --test-concurrency=1 "${ts_tests[@]}"

echo "== Wing simulator tests"
mapfile -t wing_tests < <(find test -maxdepth 1 -name '*.test.w' -not -name 'tfaws*' | sort)
if [ "${#wing_tests[@]}" -gt 0 ]; then
  npx wing test "${wing_tests[@]}"
fi
