#!/bin/sh
# @PATCHMON_CONFIG@
# PatchMon direct-host auto-enrollment, served by GET /api/v1/auto-enrollment/script?type=direct-host.
# Run as root on the host to enroll:
#   curl -s "<url>/api/v1/auto-enrollment/script?type=direct-host&token_key=K&token_secret=S" | sh
#   curl -s "..." | FRIENDLY_NAME="My Server" sh
# POSIX sh; needs curl, not jq. Test hook: PATCHMON_ROOT prefixes every path (like a chroot).

set -e
LC_ALL=C
export LC_ALL

PATCHMON_URL="${PATCHMON_URL:-}"
PATCHMON_URL="${PATCHMON_URL%/}"
AUTO_ENROLLMENT_KEY="${AUTO_ENROLLMENT_KEY:-}"
AUTO_ENROLLMENT_SECRET="${AUTO_ENROLLMENT_SECRET:-}"
CURL_FLAGS="${CURL_FLAGS:--s}"
FORCE_INSTALL="${FORCE_INSTALL:-false}"
FRIENDLY_NAME="${FRIENDLY_NAME:-}"
DEBUG="${DEBUG:-false}"
ROOT="${PATCHMON_ROOT:-}"
export PATCHMON_ROOT="$ROOT"
WORK=""

info() { printf '[INFO] %s\n' "$*"; }
success() { printf '[SUCCESS] %s\n' "$*"; }
error() { printf '[ERROR] %s\n' "$*" >&2; }
debug() { if [ "$DEBUG" = true ]; then printf '[DEBUG] %s\n' "$*" >&2; fi; }
die() { error "$*"; exit 1; }

cleanup() { if [ -n "$WORK" ]; then rm -rf "$WORK"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# curl with the served flags; CURL_FLAGS is a word list on purpose (e.g. "-sk").
fetch() {
  # shellcheck disable=SC2086
  curl $CURL_FLAGS "$@"
}

# One JSON string literal (no jq here): escape backslashes and quotes, drop control characters.
json_string() { printf '"%s"' "$(printf '%s' "$1" | tr -d '\000-\037' | sed 's/[\\"]/\\&/g')"; }

detect_hostname() {
  h=$(hostname -f 2>/dev/null || true)
  [ -n "$h" ] && [ "$h" != localhost ] || h=$(hostname 2>/dev/null || true)
  [ -n "$h" ] || h=$(cat "$ROOT/etc/hostname" 2>/dev/null || true)
  [ -n "$h" ] || h=$(uname -n)
  printf '%s' "$h"
}

detect_machine_id() {
  for f in "$ROOT/etc/machine-id" "$ROOT/var/lib/dbus/machine-id"; do
    if [ -r "$f" ]; then tr -d ' \n' < "$f"; return 0; fi
  done
  if [ "$(uname -s)" = FreeBSD ] && command -v sysctl >/dev/null 2>&1; then sysctl -n kern.hostuuid 2>/dev/null || true; fi
}

detect_os_info() {
  if [ -r "$ROOT/etc/os-release" ]; then
    # shellcheck disable=SC1091
    (. "$ROOT/etc/os-release" && printf '%s' "${PRETTY_NAME:-${NAME:-unknown} ${VERSION_ID:-}}")
  else
    printf '%s %s' "$(uname -s)" "$(uname -r)"
  fi
}

detect_ip() {
  ip=$(hostname -I 2>/dev/null | awk '{ print $1 }' || true)
  [ -n "$ip" ] || ip=$(ip -4 -o addr show scope global 2>/dev/null | awk '{ split($4, a, "/"); print a[1]; exit }' || true)
  [ -n "$ip" ] || ip=$(ifconfig 2>/dev/null | awk '$1 == "inet" && $2 !~ /^127\./ { sub(/^addr:/, "", $2); print $2; exit }' || true)
  printf '%s' "${ip:-unknown}"
}

detect_arch() {
  case "$(uname -m)" in
    x86_64|amd64) echo amd64 ;; i386|i486|i586|i686) echo 386 ;;
    aarch64|arm64) echo arm64 ;; armv6*|armv7*|armhf|arm) echo arm ;;
    *) echo amd64 ;;
  esac
}

already_enrolled() {
  [ -f "$ROOT/etc/patchmon/config.yml" ] && [ -f "$ROOT/etc/patchmon/credentials.yml" ] &&
    [ -x "$ROOT/usr/local/bin/patchmon-agent" ] && "$ROOT/usr/local/bin/patchmon-agent" ping >/dev/null 2>&1
}

if [ -z "$ROOT" ] && [ "$(id -u)" != 0 ]; then die "This script must be run as root (use sudo)"; fi
command -v curl >/dev/null 2>&1 || die "curl is required. Install it first (e.g. apt-get install -y curl)."
if [ -z "$PATCHMON_URL" ] || [ -z "$AUTO_ENROLLMENT_KEY" ] || [ -z "$AUTO_ENROLLMENT_SECRET" ]; then
  die "PATCHMON_URL, AUTO_ENROLLMENT_KEY and AUTO_ENROLLMENT_SECRET must be set"
fi

if already_enrolled; then
  success "Host already enrolled and agent ping successful - nothing to do"
  exit 0
fi

host_name=$(detect_hostname)
machine_id=$(detect_machine_id)
os_info=$(detect_os_info)
ip_address=$(detect_ip)
arch=$(detect_arch)
os=linux
[ "$(uname -s)" = FreeBSD ] && os=freebsd
name="${FRIENDLY_NAME:-$host_name}"
info "Enrolling $name ($os_info, $ip_address, $arch) with $PATCHMON_URL"

payload="{\"friendly_name\":$(json_string "$name")"
[ -n "$machine_id" ] && payload="$payload,\"machine_id\":$(json_string "$machine_id")"
payload="$payload,\"metadata\":{\"hostname\":$(json_string "$host_name"),\"ip_address\":$(json_string "$ip_address"),\"os_info\":$(json_string "$os_info"),\"architecture\":$(json_string "$arch")}}"
debug "POST $PATCHMON_URL/api/v1/auto-enrollment/enroll $payload"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/patchmon-enroll.XXXXXX")
chmod 700 "$WORK"
# The secret goes to curl in a private config file, not on the command line.
printf 'header = "X-Auto-Enrollment-Key: %s"\nheader = "X-Auto-Enrollment-Secret: %s"\n' \
  "$AUTO_ENROLLMENT_KEY" "$(printf '%s' "$AUTO_ENROLLMENT_SECRET" | sed 's/[\\"]/\\&/g')" > "$WORK/enroll.conf"
if ! code=$(fetch -K "$WORK/enroll.conf" -X POST -H "Content-Type: application/json" --data-binary "$payload" \
    -o "$WORK/response" -w '%{http_code}' "$PATCHMON_URL/api/v1/auto-enrollment/enroll"); then
  die "Could not reach $PATCHMON_URL - check PATCHMON_URL, DNS, firewall and certificates (CURL_FLAGS=-sk for self-signed)"
fi
response=$(cat "$WORK/response")
debug "HTTP $code $(printf '%s' "$response" | sed 's/"api_key":"[^"]*"/"api_key":"[REDACTED]"/g')"
if [ "$code" != 201 ]; then
  error "Failed to enroll $name - HTTP $code"
  printf 'Response: %s\n' "$response" >&2
  exit 1
fi

# The server answers compact JSON, so plain grep finds the credentials.
api_id=$(printf '%s' "$response" | grep -o '"api_id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
api_key=$(printf '%s' "$response" | grep -o '"api_key":"[^"]*"' | head -n 1 | cut -d'"' -f4)
if [ -z "$api_id" ] || [ -z "$api_key" ]; then die "Failed to parse API credentials from response"; fi
success "Enrolled $name (api_id: $api_id)"

url="$PATCHMON_URL/api/v1/hosts/install?arch=$arch&os=$os"
[ "$FORCE_INSTALL" = true ] && url="$url&force=true"
printf 'header = "X-API-ID: %s"\nheader = "X-API-KEY: %s"\n' "$api_id" "$api_key" > "$WORK/install.conf"
info "Installing the PatchMon agent..."
code=$(fetch -K "$WORK/install.conf" -o "$WORK/install.sh" -w '%{http_code}' "$url") || code=000
[ "$code" = 200 ] || die "Could not download the agent install script from $url - HTTP $code"
# Keep the installer's exit code while showing its output as it runs.
{ sh "$WORK/install.sh" </dev/null 2>&1; echo "$?" > "$WORK/install.rc"; } | tee "$WORK/install.log"
rc=$(cat "$WORK/install.rc")
if [ "$rc" != 0 ] && ! grep -q "PatchMon Agent installation completed successfully" "$WORK/install.log"; then
  die "Agent installation failed (exit: $rc)"
fi
echo "Auto-enrollment complete!"
