#!/bin/sh
# @PATCHMON_CONFIG@
# PatchMon agent installer, served by GET /api/v1/hosts/install. POSIX sh (dash, busybox ash).
#
# The server puts PATCHMON_URL, PATCHMON_OS, BOOTSTRAP_TOKEN, CURL_FLAGS, SKIP_SSL_VERIFY,
# FORCE_INSTALL and ARCHITECTURE above as defaults; the environment wins. API_ID/API_KEY may be given
# directly instead of a bootstrap token.
# Test hooks: PATCHMON_ROOT prefixes every path written (like a chroot); PATCHMON_SERVICE_MANAGER
# forces systemd|openrc|cron|none; PATCHMON_SKIP_SERVICE_START=true writes service files without
# starting anything.

set -u
LC_ALL=C
export LC_ALL

PATCHMON_URL="${PATCHMON_URL:-}"
PATCHMON_URL="${PATCHMON_URL%/}"
PATCHMON_OS="${PATCHMON_OS:-linux}"
BOOTSTRAP_TOKEN="${BOOTSTRAP_TOKEN:-}"
CURL_FLAGS="${CURL_FLAGS:--s}"
SKIP_SSL_VERIFY="${SKIP_SSL_VERIFY:-false}"
FORCE_INSTALL="${FORCE_INSTALL:-false}"
ARCHITECTURE="${ARCHITECTURE:-}"
API_ID="${API_ID:-}"
API_KEY="${API_KEY:-}"
ROOT="${PATCHMON_ROOT:-}"
export PATCHMON_ROOT="$ROOT"

ETC_DIR="$ROOT/etc/patchmon"
BIN="$ROOT/usr/local/bin/patchmon-agent"
CONFIG="$ETC_DIR/config.yml"
CREDENTIALS="$ETC_DIR/credentials.yml"
WORK=""

info() { printf '%s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

cleanup() { [ -n "$WORK" ] && rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

for arg in "$@"; do
  case "$arg" in --force) FORCE_INSTALL=true ;; esac
done

# curl with the served flags; CURL_FLAGS is a word list on purpose (e.g. "-sk").
fetch() {
  # shellcheck disable=SC2086
  curl $CURL_FLAGS "$@"
}

require_root() {
  [ -n "$ROOT" ] && return 0
  [ "$(id -u)" = 0 ] || fail "This script must be run as root (use sudo)"
}

# Certificates fail on a wrong clock; ask only when someone is at the terminal.
confirm_clock() {
  [ -t 0 ] || return 0
  printf 'Current date and time on this host: %s\nIs this correct? [Y/n] ' "$(date)"
  read -r answer || answer=y
  case "$answer" in n|N|no|NO) fail "Fix the system clock (e.g. enable NTP) and run the installer again." ;; esac
}

install_curl() {
  command -v curl >/dev/null 2>&1 && return 0
  info "Installing curl..."
  if command -v apt-get >/dev/null 2>&1; then
    if [ "$FORCE_INSTALL" = true ]; then
      apt-get install -y --fix-broken -o Dpkg::Options::=--force-confold curl
    else
      apt-get update -qq && apt-get install -y -qq curl
    fi
  elif command -v dnf >/dev/null 2>&1; then dnf install -y -q curl
  elif command -v yum >/dev/null 2>&1; then yum install -y -q curl
  elif command -v zypper >/dev/null 2>&1; then zypper --non-interactive install curl
  elif command -v pacman >/dev/null 2>&1; then pacman -S --noconfirm curl
  elif command -v apk >/dev/null 2>&1; then apk add --no-cache curl
  elif command -v pkg >/dev/null 2>&1; then pkg install -y curl
  fi
  command -v curl >/dev/null 2>&1 || fail "curl is required and could not be installed"
}

# Trade the single-use bootstrap token for this host's API credentials.
exchange_bootstrap_token() {
  if [ -n "$API_ID" ] && [ -n "$API_KEY" ]; then return 0; fi
  [ -n "$BOOTSTRAP_TOKEN" ] || fail "Missing required parameters. This script should be called via the PatchMon web interface."
  info "Fetching credentials from $PATCHMON_URL..."
  body=$(printf '{"token":"%s"}' "$BOOTSTRAP_TOKEN")
  if ! reply=$(fetch -X POST -H "Content-Type: application/json" -d "$body" \
      -w '\n%{http_code}' "$PATCHMON_URL/api/v1/hosts/bootstrap/exchange"); then
    fail "Could not reach the PatchMon server at $PATCHMON_URL (curl failed). Check that this host can reach that URL (DNS, firewall, TLS; the server URL is set in PatchMon under Settings -> Server Config), then request a new installation script."
  fi
  code=$(printf '%s\n' "$reply" | tail -n 1)
  reply=$(printf '%s\n' "$reply" | sed '$d')
  case "$code" in
    200) ;;
    401) fail "Failed to fetch credentials. Bootstrap token may have expired. (tokens are single-use and expire after 5 minutes)
Please request a new installation script." ;;
    000) fail "Could not reach the PatchMon server at $PATCHMON_URL. Check PATCHMON_URL, DNS and firewall rules." ;;
    *) fail "Failed to fetch credentials: the server at $PATCHMON_URL answered HTTP $code. Is PATCHMON_URL pointing at PatchMon?" ;;
  esac
  if [ -z "$reply" ] || printf '%s' "$reply" | grep -q '"error"'; then
    fail "Failed to fetch credentials. Bootstrap token may have expired.
Please request a new installation script."
  fi
  API_ID=$(printf '%s' "$reply" | grep -o '"apiId":"[^"]*"' | head -n 1 | cut -d'"' -f4)
  API_KEY=$(printf '%s' "$reply" | grep -o '"apiKey":"[^"]*"' | head -n 1 | cut -d'"' -f4)
  if [ -z "$API_ID" ] || [ -z "$API_KEY" ]; then fail "Invalid credentials received from server."; fi
}

detect_architecture() {
  if [ -z "$ARCHITECTURE" ]; then
    case "$(uname -m)" in
      x86_64|amd64) ARCHITECTURE=amd64 ;; i386|i486|i586|i686) ARCHITECTURE=386 ;;
      aarch64|arm64) ARCHITECTURE=arm64 ;; armv6*|armv7*|armhf|arm) ARCHITECTURE=arm ;;
      *) fail "Unsupported architecture: $(uname -m)" ;;
    esac
  fi
  case "$ARCHITECTURE" in amd64|386|arm64|arm) ;; *) fail "Unsupported architecture: $ARCHITECTURE" ;; esac
}

agent_works() {
  [ -f "$CONFIG" ] && [ -f "$CREDENTIALS" ] && [ -x "$BIN" ] && "$BIN" ping >/dev/null 2>&1
}

# Move a file aside as <file>.backup.<timestamp>, keeping the three newest backups.
backup_file() {
  [ -f "$1" ] || return 0
  mv "$1" "$1.backup.$(date +%Y%m%d_%H%M%S)"
  # shellcheck disable=SC2012 # backup names are ours: no spaces or newlines
  ls -1t "$1".backup.* 2>/dev/null | tail -n +4 | while IFS= read -r old; do rm -f "$old"; done
}

yaml_quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')"; }

write_configuration() {
  mkdir -p "$ETC_DIR/logs"
  chmod 700 "$ETC_DIR"
  backup_file "$CONFIG"
  backup_file "$CREDENTIALS"
  skip_ssl=false
  case "$SKIP_SSL_VERIFY" in true|1|yes) skip_ssl=true ;; esac
  (
    umask 077
    cat > "$CONFIG" <<EOF
# PatchMon agent configuration, written by the PatchMon install script.
patchmon_server: $(yaml_quote "$PATCHMON_URL")
api_version: "v1"
credentials_file: "/etc/patchmon/credentials.yml"
log_file: "/etc/patchmon/logs/patchmon-agent.log"
log_level: "info"
skip_ssl_verify: $skip_ssl
update_interval: 60
integrations:
  docker: false
  compliance:
    enabled: false
EOF
    cat > "$CREDENTIALS" <<EOF
# PatchMon agent credentials. Keep this file private (mode 0600).
api_id: $(yaml_quote "$API_ID")
api_key: $(yaml_quote "$API_KEY")
EOF
  )
  chmod 600 "$CONFIG" "$CREDENTIALS"
  info "Configuration written to /etc/patchmon/config.yml and /etc/patchmon/credentials.yml"
}

download_agent() {
  info "Downloading the PatchMon agent ($PATCHMON_OS/$ARCHITECTURE)..."
  mkdir -p "$(dirname "$BIN")"
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/patchmon-install.XXXXXX") || fail "cannot create a temporary directory"
  printf 'header = "X-API-ID: %s"\nheader = "X-API-KEY: %s"\n' "$API_ID" "$API_KEY" > "$WORK/curl.conf"
  chmod 600 "$WORK/curl.conf"
  code=$(fetch -K "$WORK/curl.conf" -o "$WORK/agent" -w '%{http_code}' \
    "$PATCHMON_URL/api/v1/hosts/agent/download?arch=$ARCHITECTURE&os=$PATCHMON_OS&force=binary") || code=000
  [ "$code" = 200 ] || fail "Agent download failed (HTTP $code). Check that the server offers an agent for $PATCHMON_OS/$ARCHITECTURE."
  # Refuse an error page saved as the agent: it must be a script or an ELF binary.
  magic=$(head -c 4 "$WORK/agent" | tr -d '\177')
  case "$magic" in '#!'*|ELF) ;; *) fail "The downloaded agent is not an executable (got: $(head -c 80 "$WORK/agent"))" ;; esac
  [ -f "$BIN" ] && cp "$BIN" "$BIN.backup.$(date +%Y%m%d_%H%M%S)"
  # shellcheck disable=SC2012
  ls -1t "$BIN".backup.* 2>/dev/null | tail -n +4 | while IFS= read -r old; do rm -f "$old"; done
  if ! { cp "$WORK/agent" "$BIN.new" && chmod 755 "$BIN.new" && mv "$BIN.new" "$BIN"; }; then fail "Could not install $BIN"; fi
  info "Installed $("$BIN" --version 2>/dev/null || echo 'patchmon-agent') at /usr/local/bin/patchmon-agent"
}

service_manager() {
  if [ -n "${PATCHMON_SERVICE_MANAGER:-}" ]; then echo "$PATCHMON_SERVICE_MANAGER"; return; fi
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then echo systemd
  elif command -v rc-service >/dev/null 2>&1 && [ -d /etc/init.d ]; then echo openrc
  else echo cron
  fi
}

starting_allowed() { [ "${PATCHMON_SKIP_SERVICE_START:-false}" != true ]; }

# One long-running `patchmon-agent serve` service, like the Go agent: the spec's troubleshooting
# commands (systemctl status / journalctl -u patchmon-agent.service, rc-service patchmon-agent)
# work unchanged, and an operator can swap in the Go binary without touching the unit.
install_service() {
  manager=$(service_manager)
  case "$manager" in
    systemd)
      mkdir -p "$ROOT/etc/systemd/system"
      cat > "$ROOT/etc/systemd/system/patchmon-agent.service" <<'EOF'
[Unit]
Description=PatchMon Agent
Documentation=https://docs.patchmon.net
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=/usr/local/bin/patchmon-agent serve
Restart=always
RestartSec=10
WorkingDirectory=/etc/patchmon

[Install]
WantedBy=multi-user.target
EOF
      if starting_allowed; then
        if ! { systemctl daemon-reload && systemctl enable patchmon-agent.service >/dev/null 2>&1 &&
          systemctl restart patchmon-agent.service; }; then warn "could not start patchmon-agent.service"; fi
      fi
      info "Service: systemd unit patchmon-agent.service" ;;
    openrc)
      mkdir -p "$ROOT/etc/init.d"
      cat > "$ROOT/etc/init.d/patchmon-agent" <<'EOF'
#!/sbin/openrc-run
description="PatchMon Agent"
command="/usr/local/bin/patchmon-agent"
command_args="serve"
command_background=true
pidfile="/run/patchmon-agent.pid"
output_log="/etc/patchmon/logs/patchmon-agent.log"
error_log="/etc/patchmon/logs/patchmon-agent.log"
depend() { need net; }
EOF
      chmod 755 "$ROOT/etc/init.d/patchmon-agent"
      if starting_allowed; then
        rc-update add patchmon-agent default >/dev/null 2>&1
        rc-service patchmon-agent restart >/dev/null 2>&1 || warn "could not start the patchmon-agent service"
      fi
      info "Service: OpenRC service patchmon-agent" ;;
    cron)
      line="@reboot /usr/local/bin/patchmon-agent serve >> /etc/patchmon/logs/patchmon-agent.log 2>&1"
      if [ -d "$ROOT/etc/cron.d" ]; then
        printf '# PatchMon agent: no systemd or OpenRC on this host\n%s\n' "@reboot root ${line#@reboot }" > "$ROOT/etc/cron.d/patchmon-agent"
      elif starting_allowed && command -v crontab >/dev/null 2>&1; then
        { crontab -l 2>/dev/null | grep -v 'patchmon-agent serve'; echo "$line"; } | crontab -
      fi
      if starting_allowed; then
        nohup /usr/local/bin/patchmon-agent serve >> /etc/patchmon/logs/patchmon-agent.log 2>&1 &
      fi
      info "Service: @reboot cron entry (no systemd or OpenRC found)" ;;
    none) info "Service: not installed (PATCHMON_SERVICE_MANAGER=none)" ;;
    *) warn "unknown service manager '$manager'; no service installed" ;;
  esac
}

main() {
  info "PatchMon Agent installer"
  require_root
  confirm_clock
  [ -n "$PATCHMON_URL" ] || fail "Missing required parameters. This script should be called via the PatchMon web interface."
  [ "$FORCE_INSTALL" = true ] && info "Force install mode: broken packages are bypassed where possible"
  install_curl
  detect_architecture
  exchange_bootstrap_token
  # Idempotent re-run: the same host's credentials already work.
  if [ "$FORCE_INSTALL" != true ] && agent_works && [ "$(sed -n 's/^api_id: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$CREDENTIALS")" = "$API_ID" ]; then
    info "Agent is already configured and ping successful"
    exit 0
  fi
  write_configuration
  download_agent
  info "Testing the connection to $PATCHMON_URL..."
  "$BIN" ping || fail "Failed to validate API credentials or reach server"
  info "Sending the first report..."
  "$BIN" report || warn "the first report failed; the service will retry at the next interval"
  install_service
  info ""
  info "PatchMon Agent installation completed successfully!"
  info "  Server:      $PATCHMON_URL"
  info "  API ID:      $API_ID"
  info "  Agent:       /usr/local/bin/patchmon-agent"
  info "  Config:      /etc/patchmon/config.yml, /etc/patchmon/credentials.yml"
}

main "$@"
