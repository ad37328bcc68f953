#!/bin/sh
# Install what the pipeline needs on Debian: system packages (apt-get), then the Python
# package with its pinned dependencies into the project's own virtual environment,
# .venv/ (git-ignored), made with the system's python3. `--test` adds what the tests need.
#
# Why a venv: Debian's python3 refuses `pip install` into the system (PEP 668), and a
# project's pins must not fight the machine's packages. Everything then runs as
# `.venv/bin/python build.py ...`.
set -eu
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
# WeasyPrint needs Pango; harfbuzz-subset makes font subsets reproducible; python3-venv
# lets Debian's python3 make the virtual environment; `check` runs gettext's msgfmt and
# `i18n pseudo` poppler's pdftotext.
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 python3-venv gettext poppler-utils"
EXTRA="."
if [ "${1:-}" = "--test" ]; then
    # EPUBCheck (Java), DOCX opened by LibreOffice, the download page and the preview in a
    # real browser (Chromium), Ace by DAISY (Node.js; Debian's npm only if the machine has
    # no npm of its own: NodeSource's nodejs carries one and conflicts with Debian's).
    PACKAGES="$PACKAGES default-jre-headless libreoffice-writer-nogui chromium"
    command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"
    EXTRA=".[test]"
fi

if command -v dpkg-query >/dev/null 2>&1; then
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
else
    echo "Not a Debian system: install Pango (and for the tests gettext, Java, LibreOffice, Chromium," \
         "poppler) with your package manager; see README.md." >&2
fi

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=23.1"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$EXTRA"
# The package's bytecode, compiled once: where PYTHONDONTWRITEBYTECODE is set (many
# containers and CI images set it), every command would otherwise compile digin/ again
# (0.07 s each). A module edited later is compiled in memory until this runs again.
.venv/bin/python -m compileall -q digin
if [ "${1:-}" = "--test" ]; then
    # Ace by DAISY, as pinned in tools/ace/package-lock.json; it runs in Debian's Chromium,
    # so neither Puppeteer's browser nor Electron is downloaded.
    (cd tools/ace && ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
        npm ci --no-audit --no-fund --no-update-notifier --loglevel=error >/dev/null)
fi
