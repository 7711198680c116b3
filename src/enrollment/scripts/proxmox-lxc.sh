#!/usr/bin/env bash
# @PATCHMON_CONFIG@
# PatchMon Proxmox LXC auto-enrollment, served by GET /api/v1/auto-enrollment/script?type=proxmox-lxc.
# Run as root on a Proxmox VE host:  curl -s "<url>/api/v1/auto-enrollment/script?type=proxmox-lxc&token_key=K&token_secret=S" | bash
#
# Every LXC container is processed in turn: gather facts with `pct exec`, skip it when its agent is
# already enrolled and answering, enroll it, install the agent inside it. A failing container never
# stops the run; only 429/401/403 do (every later call would fail the same way).
# The whole script is one function called on the last line, so bash has read all of it before
# anything runs under `curl ... | bash`; commands that could read stdin get </dev/null.

main() {
  PATCHMON_URL="${PATCHMON_URL:-}"
  PATCHMON_URL="${PATCHMON_URL%/}"
  AUTO_ENROLLMENT_KEY="${AUTO_ENROLLMENT_KEY:-}"
  AUTO_ENROLLMENT_SECRET="${AUTO_ENROLLMENT_SECRET:-}"
  CURL_FLAGS="${CURL_FLAGS:--s}"
  DRY_RUN="${DRY_RUN:-false}"
  HOST_PREFIX="${HOST_PREFIX:-}"
  SKIP_STOPPED="${SKIP_STOPPED:-true}"
  FORCE_INSTALL="${FORCE_INSTALL:-false}"
  DEBUG="${DEBUG:-false}"
  EXCLUDE_IDS="${EXCLUDE_IDS:-}"
  ENROLL_DELAY="${ENROLL_DELAY:-1}"

  setup_colours
  check_requirements || exit 1

  local node containers total
  node=$(hostname 2>/dev/null || uname -n)
  containers=$(pct list 2>/dev/null </dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 "\t" $2 "\t" $NF }')
  total=0
  [ -n "$containers" ] && total=$(printf '%s\n' "$containers" | wc -l | tr -d ' ')
  info "PatchMon server: $PATCHMON_URL"
  info "Proxmox node: $node"
  [ "$DRY_RUN" = true ] && info "DRY RUN: no host is enrolled and nothing is installed"
  info "Found $total LXC container(s)"
  if [ "$total" -eq 0 ]; then
    warn "No LXC containers found - nothing to do"
    exit 0
  fi

  ENROLLED=0 SKIPPED=0 FAILED=0 STOP_REASON=""
  FAILURES=() DPKG_BROKEN=() RETRY_CREDENTIALS=()
  local index=0 vmid status name
  while IFS=$'\t' read -r vmid status name; do
    index=$((index + 1))
    if [ -n "$STOP_REASON" ]; then
      FAILED=$((FAILED + 1)); FAILURES+=("LXC $vmid ($name): not processed - $STOP_REASON")
      continue
    fi
    info "Processing LXC $vmid: $name (status: $status)"
    process_container "$vmid" "$status" "$name" "$node"
    info "Progress: $index/$total (enrolled: $ENROLLED, skipped: $SKIPPED, failed: $FAILED)"
    if [ "$index" -lt "$total" ] && [ -z "$STOP_REASON" ] && [ "$ENROLL_DELAY" != 0 ]; then sleep "$ENROLL_DELAY"; fi
  done <<< "$containers"

  offer_dpkg_repair
  print_summary "$total"
  [ "$FAILED" -eq 0 ]
}

setup_colours() {
  if [ -t 1 ]; then
    C_RED=$'\033[0;31m' C_GREEN=$'\033[0;32m' C_YELLOW=$'\033[1;33m' C_BLUE=$'\033[0;34m' C_OFF=$'\033[0m'
  else
    C_RED="" C_GREEN="" C_YELLOW="" C_BLUE="" C_OFF=""
  fi
}

info() { printf '%s[INFO]%s %s\n' "$C_BLUE" "$C_OFF" "$*"; }
success() { printf '%s[SUCCESS]%s %s\n' "$C_GREEN" "$C_OFF" "$*"; }
warn() { printf '%s[WARN]%s %s\n' "$C_YELLOW" "$C_OFF" "$*"; }
error() { printf '%s[ERROR]%s %s\n' "$C_RED" "$C_OFF" "$*"; }
debug() { [ "$DEBUG" = true ] && printf '[DEBUG] %s\n' "$(redact "$*")" >&2; return 0; }

# Secrets never reach the output, even in debug mode.
redact() {
  local text=$1
  [ -n "$AUTO_ENROLLMENT_SECRET" ] && text=${text//"$AUTO_ENROLLMENT_SECRET"/[REDACTED]}
  printf '%s' "$text" | sed -E 's/("api_key"[[:space:]]*:[[:space:]]*")[^"]*/\1[REDACTED]/g; s/(X-API-KEY:|X-Auto-Enrollment-Secret:)[^"]*/\1 [REDACTED]/Ig'
}

check_requirements() {
  local missing=0 cmd
  if [ -z "$PATCHMON_URL" ] || [ -z "$AUTO_ENROLLMENT_KEY" ] || [ -z "$AUTO_ENROLLMENT_SECRET" ]; then
    error "PATCHMON_URL, AUTO_ENROLLMENT_KEY and AUTO_ENROLLMENT_SECRET must be set"
    missing=1
  fi
  if ! command -v pct >/dev/null 2>&1; then
    error "This script must run on a Proxmox host (pct command not found)"
    return 1
  fi
  for cmd in curl jq; do
    if ! command -v "$cmd" >/dev/null 2>&1; then
      error "Required command '$cmd' not found. Please install it first."
      missing=1
    fi
  done
  return "$missing"
}

is_excluded() {
  local id
  for id in ${EXCLUDE_IDS//,/ }; do [ "$id" = "$1" ] && return 0; done
  return 1
}

# Run a shell snippet inside a container with a time limit; extra arguments become $1.. there.
in_container() {
  local vmid=$1 limit=$2 snippet=$3
  shift 3
  debug "pct exec $vmid (timeout ${limit}s): ${snippet:0:120}"
  timeout "$limit" pct exec "$vmid" -- sh -c "$snippet" sh "$@"
}

# Facts as key=value lines. PATCHMON_ROOT is empty inside a real container; tests point it at a
# sandbox directory.
# shellcheck disable=SC2016 # expands inside the container, not here
GATHER_SNIPPET='r="${PATCHMON_ROOT:-}"
h=$(hostname 2>/dev/null || cat "$r/etc/hostname" 2>/dev/null)
ip=$(hostname -I 2>/dev/null | awk "{print \$1}")
[ -n "$ip" ] || ip=$(ip -4 -o addr show scope global 2>/dev/null | awk "{split(\$4, a, \"/\"); print a[1]; exit}")
[ -n "$ip" ] || ip=$(ip -4 route get 1.1.1.1 2>/dev/null | awk "{for (i = 1; i < NF; i++) if (\$i == \"src\") { print \$(i + 1); exit }}")
os=$(. "$r/etc/os-release" 2>/dev/null && echo "${PRETTY_NAME:-$NAME}")
mid=$(cat "$r/etc/machine-id" 2>/dev/null || cat "$r/var/lib/dbus/machine-id" 2>/dev/null)
printf "hostname=%s\nip=%s\nos=%s\narch=%s\nmachine_id=%s\n" "$h" "$ip" "$os" "$(uname -m)" "$mid"'

# shellcheck disable=SC2016 # expands inside the container, not here
ENROLLED_SNIPPET='r="${PATCHMON_ROOT:-}"
[ -f "$r/etc/patchmon/config.yml" ] && [ -f "$r/etc/patchmon/credentials.yml" ] &&
[ -x "$r/usr/local/bin/patchmon-agent" ] && "$r/usr/local/bin/patchmon-agent" ping >/dev/null 2>&1'

# shellcheck disable=SC2016 # expands inside the container, not here
ENSURE_CURL_SNIPPET='command -v curl >/dev/null 2>&1 && exit 0
force=$1
if command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if [ "$force" = true ] && [ -n "$(dpkg --audit 2>/dev/null)" ]; then
    apt-get install -y --fix-broken -o Dpkg::Options::=--force-confold curl
  else
    apt-get update -qq && apt-get install -y -qq curl
  fi
elif command -v dnf >/dev/null 2>&1; then dnf install -y -q curl
elif command -v yum >/dev/null 2>&1; then yum install -y -q curl
elif command -v apk >/dev/null 2>&1; then apk add --no-cache curl
fi
command -v curl >/dev/null 2>&1'

# The credentials arrive on stdin and reach curl as a config file on its stdin, so they never
# appear in a process list.
# shellcheck disable=SC2016 # expands inside the container, not here
INSTALL_SNIPPET='url=$1 flags=$2
IFS= read -r id; IFS= read -r key
t=$(mktemp 2>/dev/null || echo "/tmp/patchmon-install.$$")
code=$(curl $flags -K - -o "$t" -w "%{http_code}" "$url" <<EOF
header = "X-API-ID: $id"
header = "X-API-KEY: $key"
EOF
) || code=000
if [ "$code" != 200 ]; then echo "Install script download failed: HTTP $code"; head -c 300 "$t" 2>/dev/null; rm -f "$t"; exit 1; fi
sh "$t" </dev/null; rc=$?
rm -f "$t"
exit "$rc"'

map_arch() {
  case "$1" in
    x86_64|amd64) echo amd64 ;; i386|i486|i586|i686) echo 386 ;;
    aarch64|arm64) echo arm64 ;; armv6*|armv7*|armhf|arm) echo arm ;;
    *) warn "Unknown architecture '$1' - assuming amd64" >&2; echo amd64 ;;
  esac
}

process_container() {
  local vmid=$1 status=$2 name=$3 node=$4
  if is_excluded "$vmid"; then
    warn "LXC $vmid ($name) is in EXCLUDE_IDS - skipping"
    SKIPPED=$((SKIPPED + 1)); return
  fi
  if [ "$status" != running ] && [ "$SKIP_STOPPED" = true ]; then
    warn "LXC $vmid ($name) is $status - skipping (set SKIP_STOPPED=false to enroll it anyway)"
    SKIPPED=$((SKIPPED + 1)); return
  fi

  local facts="" hostname="" ip="" os="" arch="" machine_id="" line
  if [ "$status" = running ]; then
    facts=$(in_container "$vmid" 15 "$GATHER_SNIPPET" </dev/null) || debug "gathering facts in $vmid failed"
  fi
  while IFS= read -r line; do
    case "$line" in
      hostname=*) hostname=${line#*=} ;; ip=*) ip=${line#*=} ;; os=*) os=${line#*=} ;;
      arch=*) arch=${line#*=} ;; machine_id=*) machine_id=${line#*=} ;;
    esac
  done <<< "$facts"
  [ -n "$hostname" ] || hostname=$name
  [ -n "$ip" ] || ip=unknown
  [ -n "$os" ] || os=unknown
  arch=$(map_arch "${arch:-unknown}")
  [ -n "$machine_id" ] || machine_id="proxmox-lxc-$vmid-$(cat /proc/sys/kernel/random/uuid 2>/dev/null || date +%s%N)"
  local friendly_name="$HOST_PREFIX$hostname"
  debug "LXC $vmid: hostname=$hostname ip=$ip os=$os arch=$arch machine_id=$machine_id"

  if [ "$status" = running ] && in_container "$vmid" 30 "$ENROLLED_SNIPPET" </dev/null >/dev/null 2>&1; then
    info "✓ Host already enrolled and agent ping successful - skipping enrollment"
    SKIPPED=$((SKIPPED + 1)); return
  fi

  if [ "$DRY_RUN" = true ]; then
    info "[DRY RUN] Would enroll: $friendly_name"
    ENROLLED=$((ENROLLED + 1)); return
  fi

  local payload response code body api_id api_key
  payload=$(jq -cn --arg friendly_name "$friendly_name" --arg machine_id "$machine_id" --arg vmid "$vmid" \
    --arg node "$node" --arg ip "$ip" --arg os "$os" \
    '{friendly_name: $friendly_name, machine_id: $machine_id,
      metadata: {vmid: $vmid, proxmox_node: $node, ip_address: $ip, os_info: $os}}')
  debug "POST $PATCHMON_URL/api/v1/auto-enrollment/enroll $payload"
  # The secret goes to curl as a config file on stdin, not on the command line.
  # shellcheck disable=SC2086 # CURL_FLAGS is a word list on purpose
  response=$(curl $CURL_FLAGS -K - -X POST -H "Content-Type: application/json" \
    -H "X-Auto-Enrollment-Key: $AUTO_ENROLLMENT_KEY" --data-binary "$payload" \
    -w $'\n%{http_code}' "$PATCHMON_URL/api/v1/auto-enrollment/enroll" \
    <<< "header = \"X-Auto-Enrollment-Secret: ${AUTO_ENROLLMENT_SECRET//\"/\\\"}\"") || true
  code=${response##*$'\n'}
  body=${response%$'\n'*}
  [ "$body" = "$response" ] && body=""
  debug "HTTP $code $body"
  case "$code" in
    201) ;;
    409) warn "$friendly_name is already enrolled - skipping"; SKIPPED=$((SKIPPED + 1)); return ;;
    429)
      error "Rate limit exceeded - maximum hosts per day reached"
      record_failure "$vmid" "$name" "rate limit exceeded (HTTP 429)"
      STOP_REASON="stopped after HTTP 429 (daily limit reached)"; return ;;
    *)
      error "Failed to enroll $friendly_name - HTTP ${code:-000}"
      echo "Response: $(redact "$body")"
      record_failure "$vmid" "$name" "enrollment failed (HTTP ${code:-000})"
      case "$code" in 401|403) STOP_REASON="stopped after HTTP $code (check the token and its allowed IP ranges)" ;; esac
      return ;;
  esac
  api_id=$(jq -r '.host.api_id // empty' <<< "$body" 2>/dev/null)
  api_key=$(jq -r '.host.api_key // empty' <<< "$body" 2>/dev/null)
  if [ -z "$api_id" ] || [ -z "$api_key" ]; then
    error "Failed to parse API credentials from response"
    record_failure "$vmid" "$name" "could not parse API credentials"; return
  fi
  info "Enrolled $friendly_name (api_id: $api_id)"

  if [ "$status" != running ]; then
    warn "Failed to install agent in $friendly_name (exit: 1)"
    echo "Install output: container is $status - start it and run this script again"
    record_failure "$vmid" "$name" "enrolled, agent not installed (container $status)"; return
  fi
  if install_agent "$vmid" "$friendly_name" "$arch" "$api_id" "$api_key"; then
    success "$friendly_name enrolled and agent installed"
    ENROLLED=$((ENROLLED + 1))
  else
    record_failure "$vmid" "$name" "enrolled, agent install failed"
    RETRY_CREDENTIALS+=("$vmid"$'\t'"$friendly_name"$'\t'"$arch"$'\t'"$api_id"$'\t'"$api_key")
  fi
}

record_failure() {
  FAILED=$((FAILED + 1))
  FAILURES+=("LXC $1 ($2): $3")
}

install_agent() {
  local vmid=$1 friendly_name=$2 arch=$3 api_id=$4 api_key=$5 output rc url
  if ! output=$(in_container "$vmid" 120 "$ENSURE_CURL_SNIPPET" "$FORCE_INSTALL" </dev/null 2>&1); then
    remember_dpkg_state "$vmid" "$friendly_name" "$output"
    warn "Failed to install agent in $friendly_name (exit: 1)"
    echo "Install output: curl is missing and could not be installed: $(printf '%s\n' "$output" | tail -n 5)"
    return 1
  fi
  url="$PATCHMON_URL/api/v1/hosts/install?arch=$arch"
  [ "$FORCE_INSTALL" = true ] && url="$url&force=true"
  debug "installing the agent in $vmid from $url"
  output=$(printf '%s\n%s\n' "$api_id" "$api_key" | in_container "$vmid" 180 "$INSTALL_SNIPPET" "$url" "$CURL_FLAGS" 2>&1)
  rc=$?
  debug "install output: $output"
  if [ "$rc" -eq 0 ] || [[ "$output" == *"PatchMon Agent installation completed successfully"* ]]; then
    return 0
  fi
  remember_dpkg_state "$vmid" "$friendly_name" "$output"
  warn "Failed to install agent in $friendly_name (exit: $rc)"
  echo "Install output: $(redact "$(printf '%s\n' "$output" | tail -n 10)")"
  return 1
}

remember_dpkg_state() {
  case "$3" in *"dpkg was interrupted"*|*"dpkg --configure -a"*) DPKG_BROKEN+=("$1"$'\t'"$2") ;; esac
}

# dpkg repair needs a human: prompt only on a terminal (under `curl | bash` stdin is the script).
offer_dpkg_repair() {
  [ "${#DPKG_BROKEN[@]}" -eq 0 ] && return 0
  local entry vmid name answer
  warn "dpkg was interrupted in these containers; the agent could not be installed there:"
  for entry in "${DPKG_BROKEN[@]}"; do warn "  LXC ${entry%%$'\t'*} (${entry#*$'\t'}): fix with: pct exec ${entry%%$'\t'*} -- dpkg --configure -a"; done
  if [ ! -t 0 ]; then
    info "Run the commands above, then run this script again (or use FORCE_INSTALL=true)"
    return 0
  fi
  read -r -p "Run 'dpkg --configure -a' in these containers and retry the agent install now? [y/N] " answer || answer=n
  case "$answer" in y|Y|yes|YES) ;; *) return 0 ;; esac
  for entry in "${DPKG_BROKEN[@]}"; do
    vmid=${entry%%$'\t'*} name=${entry#*$'\t'}
    info "Running dpkg --configure -a in LXC $vmid ($name)"
    in_container "$vmid" 300 'DEBIAN_FRONTEND=noninteractive dpkg --configure -a' </dev/null || warn "dpkg --configure -a failed in LXC $vmid"
    retry_install "$vmid"
  done
}

retry_install() {
  local entry vmid friendly_name arch api_id api_key
  for entry in "${RETRY_CREDENTIALS[@]}"; do
    IFS=$'\t' read -r vmid friendly_name arch api_id api_key <<< "$entry"
    [ "$vmid" = "$1" ] || continue
    if install_agent "$vmid" "$friendly_name" "$arch" "$api_id" "$api_key"; then
      success "$friendly_name: agent installed after dpkg repair"
      ENROLLED=$((ENROLLED + 1)) FAILED=$((FAILED - 1))
      local kept=() failure
      for failure in "${FAILURES[@]}"; do [[ "$failure" == "LXC $vmid ("* ]] || kept+=("$failure"); done
      FAILURES=("${kept[@]}")
    fi
  done
}

print_summary() {
  local suffix="" failure
  [ "$DRY_RUN" = true ] && suffix=" (dry run)"
  echo
  info "===== Enrollment Summary ====="
  info "Total Containers Found: $1"
  info "Successfully Enrolled: $ENROLLED$suffix"
  info "Skipped: $SKIPPED"
  info "Failed: $FAILED"
  if [ "${#FAILURES[@]}" -gt 0 ]; then
    for failure in "${FAILURES[@]}"; do error "  $failure"; done
  fi
}

main "$@"
