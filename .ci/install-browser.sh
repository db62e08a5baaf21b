#!/usr/bin/env bash
# Installs Debian's headless browser for the dashboard's browser test (DashboardBrowserIT):
# chromium and its chromedriver, from the distribution's packages (Selenium never downloads one).
# Idempotent; needs root (as CI and the developer machines run).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  echo "install-browser: $(chromium --version 2>/dev/null | head -n 1) already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
echo "install-browser: installed $(chromium --version 2>/dev/null | head -n 1)"
