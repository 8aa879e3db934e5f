#!/usr/bin/env bash
# CI: the package against the oldest tfjs its peer range allows (package.json's tfjs-core peer,
# ^X.Y.Z -> X.Y.Z). Packs the package, installs the tarball with that tfjs-core, tfjs-layers,
# tfjs-backend-cpu and tfjs-backend-wasm into a fresh consumer project, runs
# test/package/consumer/smoke.cjs there (op, layer, fit, file:// save and reload, leaks, on cpu and
# wasm), then the conformance and layer suites with tfjs mapped onto that install.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p "require('./package.json').peerDependencies['@tensorflow/tfjs-core'].replace(/^\^/, '')")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "oldest tfjs: $version (in $work)"
node scripts/build.mjs
node scripts/build_browser.mjs > /dev/null
tarball=$(npm pack --silent --pack-destination "$work" | tail -1)
mkdir "$work/consumer"
cd "$work/consumer"
echo '{"name": "oldest-tfjs-consumer", "version": "1.0.0", "private": true}' > package.json
npm install --no-audit --no-fund "$work/$tarball" \
  "@tensorflow/tfjs-core@$version" "@tensorflow/tfjs-layers@$version" \
  "@tensorflow/tfjs-backend-cpu@$version" "@tensorflow/tfjs-backend-wasm@$version"
cp "$OLDPWD/test/package/consumer/smoke.cjs" .
node smoke.cjs
cd "$OLDPWD"
OLD_TFJS="$work/consumer" npx jest -c test/package/oldest_tfjs.config.js test/conformance test/layers
