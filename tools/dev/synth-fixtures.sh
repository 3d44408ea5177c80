#!/usr/bin/env bash
# synth-fixtures.sh: re-synthesize the CDK test fixtures under tests/data/cdk/.
#
# Usage:
#   tools/dev/synth-fixtures.sh NODE_MODULES_DIR [APP_NAME...]
#
#   NODE_MODULES_DIR  a node_modules directory holding aws-cdk-lib, constructs,
#                     aws-cdk (the CLI), typescript (5.x; ts-node does not work
#                     with TypeScript 7) and ts-node. Prepare it OUTSIDE the repo:
#                       mkdir /work/cdkwork && cd /work/cdkwork && npm init -y &&
#                       npm install aws-cdk-lib@2.276.0 aws-cdk@2.1148.1 constructs@10.8.1 \
#                         typescript@5.9.3 ts-node@10.9.2 @types/node
#                     (the versions the committed fixtures were made with).
#                     then run: tools/dev/synth-fixtures.sh /work/cdkwork/node_modules
#   APP_NAME...       optional subset (directory names under tests/data/cdk/);
#                     default: every directory there that holds an app.ts.
#
# For each app: runs `cdk synth --quiet` on tests/data/cdk/<name>/app.ts into a
# scratch directory, then replaces tests/data/cdk/<name>/cdk.out with ONLY
# manifest.json and the templates named by stack artifacts (recursing into
# nested cloud assemblies). Assets, *.assets.json, tree.json, *.metadata.json,
# nested-stack templates (*.nested.template.json) and validation reports are
# dropped; manifest.json itself is kept verbatim, so it still names them.
# If tests/data/cdk/<name>/postsynth.js exists it is then run as
#   node postsynth.js <path to the kept cdk.out>
# (cycle-handedit uses this to hand-edit its manifest, since CDK refuses to
# synthesize a dependency cycle).
# Needs: bash, node (20+). Writes only under tests/data/cdk/ (plus a mktemp -d
# scratch directory, removed on exit, and whatever the CDK CLI caches in ~/.cdk).
set -euo pipefail

if [ $# -lt 1 ]; then
  sed -n '2,29p' "$0" >&2
  exit 2
fi
NM=$(cd "$1" && pwd)
shift
for m in aws-cdk-lib constructs aws-cdk typescript ts-node; do
  [ -d "$NM/$m" ] || { echo "synth-fixtures: $NM has no $m" >&2; exit 2; }
done

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CDKDIR="$ROOT/tests/data/cdk"
if [ $# -gt 0 ]; then
  APPS=("$@")
else
  APPS=()
  for d in "$CDKDIR"/*/; do
    [ -f "$d/app.ts" ] && APPS+=("$(basename "$d")")
  done
fi

export NODE_PATH="$NM"
export PATH="$NM/.bin:$PATH"
export CDK_DISABLE_CLI_TELEMETRY=true
export TS_NODE_TRANSPILE_ONLY=true TS_NODE_SKIP_PROJECT=true
export TS_NODE_COMPILER_OPTIONS='{"module":"commonjs","moduleResolution":"node","target":"es2022","esModuleInterop":true}'
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

# keep.js SRC DST: copy manifest.json and the stack templates it names.
cat > "$SCRATCH/keep.js" <<'JS'
const fs = require('fs'), path = require('path');
function keep(src, dst) {
  fs.mkdirSync(dst, { recursive: true });
  const m = JSON.parse(fs.readFileSync(path.join(src, 'manifest.json'), 'utf8'));
  fs.copyFileSync(path.join(src, 'manifest.json'), path.join(dst, 'manifest.json'));
  for (const a of Object.values(m.artifacts || {})) {
    if (a.type === 'aws:cloudformation:stack') {
      const t = a.properties.templateFile;
      fs.copyFileSync(path.join(src, t), path.join(dst, t));
    } else if (a.type === 'cdk:cloud-assembly') {
      const d = a.properties.directoryName;
      keep(path.join(src, d), path.join(dst, d));
    }
  }
}
keep(process.argv[2], process.argv[3]);
JS

for app in "${APPS[@]}"; do
  dir="$CDKDIR/$app"
  [ -f "$dir/app.ts" ] || { echo "synth-fixtures: no $dir/app.ts" >&2; exit 2; }
  echo "== $app"
  out="$SCRATCH/$app.out"
  (cd "$dir" && cdk synth --quiet --no-notices \
      --app "ts-node app.ts" -o "$out" >/dev/null)
  rm -rf "$dir/cdk.out"
  node "$SCRATCH/keep.js" "$out" "$dir/cdk.out"
  if [ -f "$dir/postsynth.js" ]; then
    node "$dir/postsynth.js" "$dir/cdk.out"
  fi
  ls "$dir/cdk.out"
done
