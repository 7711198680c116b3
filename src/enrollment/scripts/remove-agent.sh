#!/bin/sh
# @PATCHMON_CONFIG@
# PatchMon agent removal, served by GET /api/v1/hosts/remove. POSIX sh.
#   curl -s "<url>/api/v1/hosts/remove" | sudo sh
# REMOVE_BACKUPS=1 also deletes the .backup.* files; SILENT=1 prints nothing but errors.
# Test hooks: PATCHMON_ROOT prefixes every path; PATCHMON_SKIP_SERVICE_START=true leaves running
# services alone (files are still removed).

set -u
ROOT="${PATCHMON_ROOT:-}"
REMOVE_BACKUPS="${REMOVE_BACKUPS:-0}"
SILENT="${SILENT:-0}"

say() { if [ "$SILENT" != 1 ]; then printf '%s\n' "$*"; fi; }

if [ -z "$ROOT" ] && [ "$(id -u)" != 0 ]; then
  printf 'ERROR: This script must be run as root (use sudo)\n' >&2
  exit 1
fi
touch_services() { [ "${PATCHMON_SKIP_SERVICE_START:-false}" != true ]; }

say "Removing the PatchMon agent..."
if touch_services; then
  if command -v systemctl >/dev/null 2>&1; then
    systemctl stop patchmon-agent.service >/dev/null 2>&1 || true
    systemctl disable patchmon-agent.service >/dev/null 2>&1 || true
  fi
  if command -v rc-service >/dev/null 2>&1; then
    rc-service patchmon-agent stop >/dev/null 2>&1 || true
    rc-update del patchmon-agent default >/dev/null 2>&1 || true
  fi
  if command -v crontab >/dev/null 2>&1 && crontab -l 2>/dev/null | grep -q 'patchmon-agent'; then
    crontab -l 2>/dev/null | grep -v 'patchmon-agent' | crontab - || true
  fi
  if command -v pkill >/dev/null 2>&1; then pkill -f '/usr/local/bin/patchmon-agent serve' >/dev/null 2>&1 || true; fi
fi
rm -f "$ROOT/etc/systemd/system/patchmon-agent.service" "$ROOT/etc/init.d/patchmon-agent" "$ROOT/etc/cron.d/patchmon-agent"
if touch_services && command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
say "Service removed"

rm -f "$ROOT/usr/local/bin/patchmon-agent" "$ROOT/usr/local/bin/patchmon-agent.new"
rm -f "$ROOT/etc/patchmon/config.yml" "$ROOT/etc/patchmon/credentials.yml"
rm -rf "$ROOT/etc/patchmon/logs"
if [ "$REMOVE_BACKUPS" = 1 ]; then
  rm -f "$ROOT"/etc/patchmon/*.backup.* "$ROOT"/usr/local/bin/patchmon-agent.backup.*
  rmdir "$ROOT/etc/patchmon" 2>/dev/null || true
  say "Agent, configuration and backups removed"
else
  rmdir "$ROOT/etc/patchmon" 2>/dev/null || true
  say "Agent and configuration removed (backups kept; REMOVE_BACKUPS=1 deletes them)"
fi
say "PatchMon agent removal complete. Delete the host in PatchMon too, or it will show as offline."
