#!/bin/sh
# Install what the pipeline needs on Debian: system packages (apt-get), then the Python
# package with pinned dependencies. `--test` adds what the tests need.
set -eu
cd "$(dirname "$0")/.."

# WeasyPrint needs Pango; harfbuzz-subset makes font subsets reproducible.
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
EXTRA="."
if [ "${1:-}" = "--test" ]; then
    # msgfmt --check (gettext), EPUBCheck (Java), DOCX opened by LibreOffice, the
    # download page in a real browser (Chromium).
    PACKAGES="$PACKAGES gettext default-jre-headless libreoffice-writer-nogui chromium"
    EXTRA=".[test]"
fi

missing=""
for package in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

python -m pip install --quiet --disable-pip-version-check -e "$EXTRA"
