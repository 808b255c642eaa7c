#!/usr/bin/env bash
# Refresh the vendored front-end files in consult/static/vendor/ from the npm registry.
# Run by hand when upgrading; the app never needs node or a CDN at run time.
# htmx is pinned to 2.x on purpose: 4.x is an incompatible rewrite.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm install --silent --prefix "$work" \
  vazirmatn@33.0.3 bootstrap@5.3.9 htmx.org@2.0.11 chart.js@4.6.1 axe-core@4.14.1 >/dev/null
src="$work/node_modules"
out=consult/static/vendor
rm -rf "$out"
mkdir -p "$out/vazirmatn" "$out/bootstrap" "$out/htmx" "$out/chartjs" "$out/axe"
# One variable font covers every weight; consult/static/css/app.css declares its @font-face.
cp "$src/vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2" "$out/vazirmatn/Vazirmatn-Variable.woff2"
cp "$src/vazirmatn/OFL.txt" "$out/vazirmatn/"
cp "$src/bootstrap/dist/css/bootstrap.rtl.min.css" "$src/bootstrap/dist/js/bootstrap.bundle.min.js" "$out/bootstrap/"
cp "$src/bootstrap/LICENSE" "$out/bootstrap/"
cp "$src/htmx.org/dist/htmx.min.js" "$out/htmx/"
cp "$src/chart.js/dist/chart.umd.min.js" "$out/chartjs/" 2>/dev/null || cp "$src/chart.js/dist/chart.umd.js" "$out/chartjs/chart.umd.min.js"
cp "$src/chart.js/LICENSE.md" "$out/chartjs/"
cp "$src/axe-core/axe.min.js" "$src/axe-core/LICENSE" "$out/axe/"
du -sh "$out"
