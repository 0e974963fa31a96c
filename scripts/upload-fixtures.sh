#!/usr/bin/env bash
# Makes the PDF fixtures of the upload tests (tests/fixtures/uploads/) from the HTML pages
# beside them, which hold sentences we wrote: Debian's chromium prints each page to PDF with
# the Noto Sans CJK font of fonts-noto-cjk, embedded as a subset with its ToUnicode map (the
# text layer a report PDF has). no-text-layer.pdf has a drawing and no characters, as a
# scanned page. The PDFs are checked in, so the tests need neither chromium nor the fonts;
# run this only to change them (`apt-get install -y chromium fonts-noto-cjk`).
set -euo pipefail
cd "$(dirname "$0")/../tests/fixtures/uploads"
for page in report-2028 no-text-layer; do
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --no-pdf-header-footer --print-to-pdf="$PWD/$page.pdf" "file://$PWD/$page.html" 2>/dev/null
  echo "$page.pdf: $(wc -c <"$page.pdf") bytes"
done
