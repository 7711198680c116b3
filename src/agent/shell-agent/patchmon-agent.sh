#!/bin/sh
# PatchMon shell agent: speaks the PatchMon agent protocol (ping, report, update-interval, version)
# with nothing but POSIX sh, awk and curl, so it runs on Debian/Ubuntu, RHEL-likes, Fedora, Alpine,
# Arch and openSUSE without a compiled binary. Written for the PatchMon appliance (MIT).
#
# Test hooks: PATCHMON_ROOT prefixes every file path the agent reads or writes (like a chroot);
# PATCHMON_SKIP_REFRESH=true skips package index refreshes; PATCHMON_AGENT_MAX_CYCLES bounds `serve`
# (timer reports); PATCHMON_LIVE_CHANNEL=false keeps `serve` from holding the live-channel poll.
AGENT_VERSION="1.1.0"

set -u
LC_ALL=C
export LC_ALL

ROOT="${PATCHMON_ROOT:-}"
CONFIG_FILE="$ROOT/etc/patchmon/config.yml"
TMP_DIR=""

say() { printf '%s\n' "$*"; }
warn() { printf 'WARN: %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

POLL_PID="" PAUSE_PID=""
cleanup() {
  [ -n "$POLL_PID" ] && kill "$POLL_PID" 2>/dev/null
  [ -n "$PAUSE_PID" ] && kill "$PAUSE_PID" 2>/dev/null
  [ -n "$TMP_DIR" ] && rm -rf "$TMP_DIR"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

make_tmp() {
  [ -n "$TMP_DIR" ] && return 0
  TMP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/patchmon-agent.XXXXXX") || die "cannot create a temporary directory"
  chmod 700 "$TMP_DIR"
}

# Value of a top-level `key: value` line in a small YAML file, quotes removed ("" when absent).
yaml_get() {
  [ -r "$1" ] || return 0
  awk -v key="$2" '
    index($0, key ":") == 1 {
      v = substr($0, length(key) + 2)
      sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
      if (v ~ /^".*"$/) { v = substr(v, 2, length(v) - 2); gsub(/\\"/, "\"", v) }
      else if (v ~ /^'\''.*'\''$/) { v = substr(v, 2, length(v) - 2) }
      else { sub(/[ \t]+#.*$/, "", v) }
      print v; exit
    }' "$1"
}

load_config() {
  [ -r "$CONFIG_FILE" ] || die "configuration file $CONFIG_FILE not found (run the PatchMon install script)"
  SERVER=$(yaml_get "$CONFIG_FILE" patchmon_server)
  SERVER=${SERVER%/}
  API_VERSION=$(yaml_get "$CONFIG_FILE" api_version)
  API_VERSION=${API_VERSION:-v1}
  CREDENTIALS_FILE=$(yaml_get "$CONFIG_FILE" credentials_file)
  CREDENTIALS_FILE="$ROOT${CREDENTIALS_FILE:-/etc/patchmon/credentials.yml}"
  SKIP_SSL=$(yaml_get "$CONFIG_FILE" skip_ssl_verify)
  case "${PATCHMON_SKIP_SSL_VERIFY:-}" in true|1) SKIP_SSL=true ;; esac
  [ -n "$SERVER" ] || die "patchmon_server is not set in $CONFIG_FILE"
  [ -r "$CREDENTIALS_FILE" ] || die "credentials file $CREDENTIALS_FILE not found"
  API_ID=$(yaml_get "$CREDENTIALS_FILE" api_id)
  API_KEY=$(yaml_get "$CREDENTIALS_FILE" api_key)
  if [ -z "$API_ID" ] || [ -z "$API_KEY" ]; then die "api_id and api_key must be set in $CREDENTIALS_FILE"; fi
}

# Headers go through a curl config file (mode 0600) so the key never shows up in `ps`.
write_curl_config() {
  make_tmp
  esc_id=$(printf '%s' "$API_ID" | sed 's/[\\"]/\\&/g')
  esc_key=$(printf '%s' "$API_KEY" | sed 's/[\\"]/\\&/g')
  {
    printf 'header = "X-API-ID: %s"\n' "$esc_id"
    printf 'header = "X-API-KEY: %s"\n' "$esc_key"
    printf 'user-agent = "patchmon-agent/%s (shell)"\n' "$AGENT_VERSION"
  } > "$TMP_DIR/curl.conf"
}

# api_call METHOD PATH [BODY_FILE] [json|plain]: sets HTTP_CODE, body in $TMP_DIR/response.
api_call() {
  write_curl_config
  url="$SERVER/api/$API_VERSION$2"
  case "$2" in /hosts/agent/*) url="$SERVER/api/v1$2" ;; esac
  set -- "$1" "$url" "${3:-}" "${4:-json}"
  insecure=""
  [ "$SKIP_SSL" = true ] && insecure="-k"
  if [ "$4" = json ]; then
    set -- "$@" -H "Content-Type: application/json" -H "Accept: application/json"
  fi
  if [ "$1" = POST ]; then
    if [ -n "$3" ]; then set -- "$@" --data-binary "@$3"; else set -- "$@" --data-binary ""; fi
  fi
  method=$1 url=$2
  shift 4
  HTTP_CODE=$(curl -sS $insecure --max-time 30 -K "$TMP_DIR/curl.conf" -X "$method" "$@" \
    -o "$TMP_DIR/response" -w '%{http_code}' "$url") || HTTP_CODE=000
}

# The agent protocol's success rule: exactly 200.
require_200() {
  [ "$HTTP_CODE" = 200 ] && return 0
  body=$(head -c 200 "$TMP_DIR/response" 2>/dev/null)
  printf 'ERROR: %s failed: HTTP %s %s\n' "$1" "$HTTP_CODE" "$body" >&2
  return 1
}

json_field() { grep -o "\"$1\" *: *\"[^\"]*\"" "$TMP_DIR/response" | head -n 1 | sed 's/.*: *"//; s/"$//'; }
json_number() { grep -o "\"$1\" *: *-\{0,1\}[0-9][0-9]*" "$TMP_DIR/response" | head -n 1 | sed 's/.*: *//'; }

cmd_ping() {
  load_config
  api_call POST /hosts/ping
  require_200 ping || exit 1
  say "Ping successful - credentials valid and server reachable ($SERVER)"
}

cmd_check_version() {
  load_config
  api_call GET "/hosts/agent/version?arch=$(go_arch)&type=go&currentVersion=$AGENT_VERSION&os=linux" "" plain
  require_200 "version check" || exit 1
  latest=$(json_field latestVersion)
  say "Current version: $AGENT_VERSION"
  say "Latest version: ${latest:-unknown}"
  if grep -q '"hasUpdate" *: *true' "$TMP_DIR/response"; then say "An update is available"; else say "Agent is up to date"; fi
}

# True when version $1 is strictly newer than $2 (numeric dot-separated parts, `v` prefix ignored).
version_newer() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    na = split(a, x, /[^0-9]+/); nb = split(b, y, /[^0-9]+/); n = (na > nb ? na : nb)
    for (i = 1; i <= n; i++) { if (x[i] + 0 > y[i] + 0) exit 0; if (x[i] + 0 < y[i] + 0) exit 1 }
    exit 1 }'
}

# Self-update, with the Go agent's safeguards: only when the server says hasUpdate (or, with
# --force, an explicit request from the dashboard or the admin, when it serves a newer version even
# though automatic updates are off), only with a matching SHA-256 from the version reply, only if the
# new file runs `--version`; three backups kept.
cmd_update_agent() {
  load_config
  make_tmp
  target="$ROOT/usr/local/bin/patchmon-agent"
  api_call GET "/hosts/agent/version?arch=$(go_arch)&type=go&currentVersion=$AGENT_VERSION&os=linux" "" plain
  require_200 "version check" || return 1
  if ! grep -q '"hasUpdate" *: *true' "$TMP_DIR/response"; then
    latest=$(json_field latestVersion)
    if [ "${1:-}" = --force ] && [ -n "$latest" ] && version_newer "$latest" "$AGENT_VERSION"; then
      say "Updating on request: $AGENT_VERSION -> $latest"
    else
      say "Agent is up to date ($AGENT_VERSION)"; return 0
    fi
  fi
  expected=$(json_field hash)
  [ -n "$expected" ] || { warn "the server sent no hash for the new agent; not updating"; return 1; }
  command -v sha256sum >/dev/null 2>&1 || { warn "sha256sum is missing; not updating"; return 1; }
  api_call GET "/hosts/agent/download?arch=$(go_arch)&os=linux" "" plain
  require_200 "agent download" || return 1
  actual=$(sha256sum "$TMP_DIR/response" | awk '{ print $1 }')
  [ "$actual" = "$expected" ] || { warn "downloaded agent hash $actual does not match $expected; not updating"; return 1; }
  cp "$TMP_DIR/response" "$target.new" && chmod 755 "$target.new" || return 1
  if ! new_version=$("$target.new" --version 2>/dev/null); then rm -f "$target.new"; warn "the new agent does not run; not updating"; return 1; fi
  if [ -f "$target" ]; then
    cp "$target" "$target.backup.$(date +%Y%m%d_%H%M%S)"
    # shellcheck disable=SC2012 # backup names are ours: no spaces or newlines
    ls -1t "$target".backup.* 2>/dev/null | tail -n +4 | while IFS= read -r old; do rm -f "$old"; done
  fi
  mv "$target.new" "$target" || return 1
  say "Agent updated: $new_version"
  UPDATED=true
}

cmd_config_show() {
  SERVER=$(yaml_get "$CONFIG_FILE" patchmon_server)
  creds=$(yaml_get "$CONFIG_FILE" credentials_file)
  creds="${creds:-/etc/patchmon/credentials.yml}"
  id=$(yaml_get "$ROOT$creds" api_id)
  key=$(yaml_get "$ROOT$creds" api_key)
  say "Configuration file: $CONFIG_FILE"
  say "Server: ${SERVER:-<not set>}"
  say "API version: $(yaml_get "$CONFIG_FILE" api_version)"
  say "Credentials file: $creds"
  say "Skip SSL verify: $(yaml_get "$CONFIG_FILE" skip_ssl_verify)"
  say "API ID: ${id:-<not set>}"
  if [ -n "$key" ]; then say "API key: $(printf '%s' "$key" | cut -c1-4)**** (hidden)"; else say "API key: <not set>"; fi
}

go_arch() {
  case "$(uname -m)" in
    x86_64|amd64) echo amd64 ;; i386|i486|i586|i686) echo 386 ;;
    aarch64|arm64) echo arm64 ;; arm*) echo arm ;; *) uname -m ;;
  esac
}

# --- JSON -----------------------------------------------------------------------------------------
# awk helpers shared by every JSON writer. Replacements use index()/substr() because backslashes in
# gsub() replacements behave differently in mawk, gawk and busybox awk.
AWK_JSON='
function rep(s, from, to,   out, i) {
  out = ""
  while ((i = index(s, from)) > 0) { out = out substr(s, 1, i - 1) to; s = substr(s, i + length(from)) }
  return out s
}
function js(s,   i, c, out) {
  s = rep(s, "\\", "\\\\"); s = rep(s, "\"", "\\\""); s = rep(s, "\t", "\\t"); s = rep(s, "\r", "\\r"); s = rep(s, "\n", "\\n")
  out = ""
  for (i = 1; i <= length(s); i++) { c = substr(s, i, 1); if (!(c in CTRL)) out = out c }
  return "\"" out "\""
}
BEGIN { for (i = 1; i < 32; i++) CTRL[sprintf("%c", i)] = 1 }
'

# A JSON string literal for one shell value.
jstr() { printf '%s' "$1" | awk "$AWK_JSON"' { v = (NR == 1 ? $0 : v "\n" $0) } END { printf "%s", js(v) }'; }

# A JSON number, or the fallback when the value is not numeric.
jnum() { case "$1" in ''|*[!0-9.eE+-]*|*.*.*) printf '%s' "${2:-0}" ;; *) printf '%s' "$1" ;; esac; }

# --- Packages -------------------------------------------------------------------------------------
# Each collector writes three files in $TMP_DIR:
#   installed.tsv  name<TAB>version[<TAB>sourceName]  (source package, when the manager knows it)
#   upgrades.tsv   name<TAB>availableVersion[<TAB>currentVersion]
#   security.txt   one package name per line whose pending update is a security fix

refresh_allowed() { [ "${PATCHMON_SKIP_REFRESH:-false}" != true ]; }

detect_package_manager() {
  id=$(os_release_value ID) like=$(os_release_value ID_LIKE)
  for word in $id $like; do
    case "$word" in
      debian|ubuntu|raspbian|linuxmint|pop) command -v dpkg-query >/dev/null 2>&1 && { echo apt; return; } ;;
      alpine) command -v apk >/dev/null 2>&1 && { echo apk; return; } ;;
      arch|archarm|manjaro|endeavouros) command -v pacman >/dev/null 2>&1 && { echo pacman; return; } ;;
      opensuse*|suse|sles|sled) command -v zypper >/dev/null 2>&1 && { echo zypper; return; } ;;
      fedora|rhel|centos|rocky|almalinux|ol|amzn)
        command -v dnf >/dev/null 2>&1 && { echo dnf; return; }
        command -v yum >/dev/null 2>&1 && { echo yum; return; } ;;
    esac
  done
  for pm in apt-get dnf yum apk pacman zypper; do
    if command -v "$pm" >/dev/null 2>&1; then [ "$pm" = apt-get ] && pm=apt; echo "$pm"; return; fi
  done
  echo unknown
}

collect_apt() {
  if refresh_allowed; then apt-get update -qq >/dev/null 2>&1 || warn "apt-get update failed; using cached package lists"; fi
  # `${binary:Package}` qualifies Multi-Arch: same packages with their architecture even when it
  # is the native one (`libc6:amd64`), while apt prints native packages bare (`libc6`) and foreign
  # ones qualified (`libc6:i386`). Strip only the native suffix so both lists name a package the
  # same way and a foreign-arch package stays its own entry. Held packages ("hold ok installed")
  # are installed too; removed ones whose config files remain are not.
  native=$(dpkg --print-architecture 2>/dev/null) || native=""
  [ -n "$native" ] || native=$(go_arch)
  # `${source:Package}` is the bare source package name (no version), e.g. libssl3 -> openssl.
  dpkg-query -W -f='${Status}\t${binary:Package}\t${Version}\t${source:Package}\n' 2>/dev/null |
    awk -F '\t' -v native=":$native" '
      function bare(n) { return (length(n) > length(native) && substr(n, length(n) - length(native) + 1) == native) ? substr(n, 1, length(n) - length(native)) : n }
      $1 ~ / ok installed$/ && !seen[bare($2)]++ { print bare($2) "\t" $3 "\t" $4 }' > "$TMP_DIR/installed.tsv"
  # A simulated `upgrade` (not dist-upgrade), like the real agent: kept-back packages stay out.
  apt-get -s -o Debug::NoLocking=1 upgrade 2>/dev/null | awk -v sec="$TMP_DIR/security.txt" -v native=":$native" '
    /^Inst / {
      name = $2; cur = ""
      if (length(name) > length(native) && substr(name, length(name) - length(native) + 1) == native) name = substr(name, 1, length(name) - length(native))
      if ($3 ~ /^\[/) { cur = $3; gsub(/[][]/, "", cur) }
      p = index($0, " ("); if (p == 0) next
      rest = substr($0, p + 2); split(rest, f, " "); avail = f[1]
      print name "\t" avail "\t" cur
      if (tolower(rest) ~ /security/) print name > sec
    }' > "$TMP_DIR/upgrades.tsv"
}

# name.arch from an rpm NEVRA such as openssl-libs-1:3.0.7-25.el9_3.x86_64
AWK_NEVRA='
function nevra_name(s,   arch, n, parts, i, out) {
  arch = s; sub(/^.*\./, "", arch); sub(/\.[^.]*$/, "", s)
  n = split(s, parts, "-"); if (n < 3) return ""
  out = parts[1]; for (i = 2; i <= n - 2; i++) out = out "-" parts[i]
  return out "." arch
}'

# The source package's name from a SOURCERPM such as openssl-3.0.7-25.el9_3.src.rpm ("(none)" or
# empty when rpm does not know it: no source name then).
AWK_SRPM='
function srpm_name(s) {
  if (s !~ /\.src\.rpm$/ && s !~ /\.nosrc\.rpm$/) return ""
  sub(/\.(no)?src\.rpm$/, "", s); sub(/-[^-]*-[^-]*$/, "", s)
  return s
}'

collect_dnf() {
  pm=$1
  rpm -qa --qf '%{NAME}.%{ARCH}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{SOURCERPM}\n' 2>/dev/null |
    grep -v '^gpg-pubkey' | awk -F '\t' "$AWK_SRPM"'{ print $1 "\t" $2 "\t" srpm_name($3) }' > "$TMP_DIR/installed.tsv"
  refresh=""
  refresh_allowed || refresh="-C"
  # check-update exits 100 when updates exist; long names wrap onto a second line.
  $pm -q $refresh check-update 2>/dev/null | awk '
    /^Obsoleting/ { exit }
    NF == 1 && $1 ~ /\./ { held = $1; next }
    held != "" { $0 = held " " $0; held = "" }
    NF >= 3 && $1 ~ /\.[A-Za-z0-9_]+$/ && $2 ~ /[0-9]/ && $1 !~ /:$/ { print $1 "\t" $2 }' > "$TMP_DIR/upgrades.tsv"
  if [ "$pm" = dnf ]; then filter="--security"; else filter="security"; fi
  $pm -q $refresh updateinfo list $filter 2>/dev/null | awk "$AWK_NEVRA"'
    { for (i = NF; i >= 2; i--) if ($i ~ /-[^-]+-[^-]+\.[A-Za-z0-9_]+$/) { n = nevra_name($i); if (n != "") print n; break } }' \
    | sort -u > "$TMP_DIR/security.txt"
}

collect_apk() {
  if refresh_allowed; then apk update -q >/dev/null 2>&1 || warn "apk update failed; using cached indexes"; fi
  # name-version-rN: the version is the last two dash-separated parts.
  # shellcheck disable=SC2016 # awk code, not shell
  split_nvr='{ n = split($1, p, "-"); if (n < 3) next; name = p[1]; for (i = 2; i <= n - 2; i++) name = name "-" p[i]; ver = p[n - 1] "-" p[n] }'
  apk info -v 2>/dev/null | awk "$split_nvr"' { print name "\t" ver }' > "$TMP_DIR/installed.tsv"
  # The source package ("origin", o:) of each installed package (P:), from apk's installed database.
  db="$ROOT/lib/apk/db/installed"
  if [ -r "$db" ]; then
    awk -F '\t' '
      FILENAME == ARGV[1] { if (substr($0, 1, 2) == "P:") p = substr($0, 3); else if (substr($0, 1, 2) == "o:") o[p] = substr($0, 3); next }
      { print $1 "\t" $2 "\t" (($1 in o) ? o[$1] : "") }' "$db" "$TMP_DIR/installed.tsv" > "$TMP_DIR/installed-src.tsv" &&
      mv "$TMP_DIR/installed-src.tsv" "$TMP_DIR/installed.tsv"
  fi
  apk list --upgradable 2>/dev/null | awk "$split_nvr"' { print name "\t" ver }' > "$TMP_DIR/upgrades.tsv"
  : > "$TMP_DIR/security.txt"
}

collect_pacman() {
  pacman -Q 2>/dev/null | awk '{ print $1 "\t" $2 }' > "$TMP_DIR/installed.tsv"
  if command -v checkupdates >/dev/null 2>&1; then list=checkupdates; else list="pacman -Qu"; fi
  $list 2>/dev/null | awk '$3 == "->" && $5 != "[ignored]" { print $1 "\t" $4 "\t" $2 }' > "$TMP_DIR/upgrades.tsv"
  if command -v arch-audit >/dev/null 2>&1; then
    arch-audit --upgradable --format '%n' 2>/dev/null | sort -u > "$TMP_DIR/security.txt"
  else
    : > "$TMP_DIR/security.txt"
  fi
}

collect_zypper() {
  rpm -qa --qf '%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{SOURCERPM}\n' 2>/dev/null |
    grep -v '^gpg-pubkey' | awk -F '\t' "$AWK_SRPM"'{ print $1 "\t" $2 "\t" srpm_name($3) }' > "$TMP_DIR/installed.tsv"
  zq="zypper --non-interactive --quiet"
  refresh_allowed || zq="$zq --no-refresh"
  # shellcheck disable=SC2016 # awk code, not shell
  table='{ for (i = 1; i <= NF; i++) { gsub(/^[ \t]+|[ \t]+$/, "", $i) } }'
  $zq list-updates 2>/dev/null | awk -F '|' "$table"' $1 == "v" { print $3 "\t" $5 "\t" $4 }' > "$TMP_DIR/upgrades.tsv"
  # Security patches name packages only in their Conflicts list ("pkg.arch < fixed-version").
  : > "$TMP_DIR/security.txt"
  $zq list-patches --category security 2>/dev/null | awk -F '|' "$table"' $3 == "security" && $6 ~ /needed/ { print $2 }' |
    head -n 200 | while IFS= read -r patch; do
      $zq info -t patch "$patch" 2>/dev/null | awk '
        /^Conflicts/ { on = 1; next }
        on && /^[^ \t]/ { on = 0 }
        on && /</ { n = $1; if (n ~ /^srcpackage:/) next; sub(/\.(x86_64|i586|i686|noarch|aarch64|ppc64le|s390x|armv7hl)$/, "", n); print n }'
    done | sort -u >> "$TMP_DIR/security.txt"
}

# packages JSON array: upgradable packages first, then every other installed package.
packages_json() {
  awk -F '\t' "$AWK_JSON"'
    FILENAME == ARGV[1] { inst[$1] = $2; if ($3 != "") src[$1] = $3; order[++n] = $1; next }
    FILENAME == ARGV[2] { if ($1 != "") sec[$1] = 1; next }
    $1 != "" && !($1 in up) { up[$1] = 1; cur = ($1 in inst) ? inst[$1] : $3
      emit($1, js(cur), js($2), "true", ($1 in sec) ? "true" : "false") }
    function emit(pkg, cur, avail, needs, s) {
      printf "%s{\"name\":%s,\"currentVersion\":%s,", (count++ ? "," : ""), js(pkg), cur
      if (avail != "") printf "\"availableVersion\":%s,", avail
      if (pkg in src) printf "\"sourceName\":%s,", js(src[pkg])
      printf "\"needsUpdate\":%s,\"isSecurityUpdate\":%s}", needs, s
    }
    END {
      for (i = 1; i <= n; i++) if (!(order[i] in up)) { up[order[i]] = 1; emit(order[i], js(inst[order[i]]), "", "false", "false") }
    }' "$TMP_DIR/installed.tsv" "$TMP_DIR/security.txt" "$TMP_DIR/upgrades.tsv"
}

# --- Repositories ---------------------------------------------------------------------------------
# Collectors print name<TAB>url<TAB>distribution<TAB>components<TAB>repoType<TAB>isEnabled; isSecure
# is derived from the URL scheme when the JSON is written.

repos_apt() {
  for f in "$ROOT/etc/apt/sources.list" "$ROOT"/etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    awk '
      /^[ \t]*(deb|deb-src)[ \t]/ {
        sub(/\[[^]]*\]/, ""); type = $1; url = $2; dist = $3; comps = ""
        for (i = 4; i <= NF; i++) comps = comps (comps == "" ? "" : " ") $i
        name = url; sub(/^[a-z+]*:\/\//, "", name); sub(/\/$/, "", name)
        print name " " dist "\t" url "\t" dist "\t" comps "\t" type "\ttrue"
      }' "$f"
  done
  for f in "$ROOT"/etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    # deb822: one stanza per blank-line separated block; every type x URI x suite is a source.
    awk '
      function flush(   t, u, s, nt, nu, ns, tt, uu, ss, name) {
        if (uris != "") {
          nt = split(types, tt, " "); nu = split(uris, uu, " "); ns = split(suites, ss, " ")
          for (t = 1; t <= nt; t++) for (u = 1; u <= nu; u++) for (s = 1; s <= ns; s++) {
            name = uu[u]; sub(/^[a-z+]*:\/\//, "", name); sub(/\/$/, "", name)
            print name " " ss[s] "\t" uu[u] "\t" ss[s] "\t" comps "\t" tt[t] "\t" (enabled ~ /^(no|false)$/ ? "false" : "true")
          }
        }
        types = ""; uris = ""; suites = ""; comps = ""; enabled = ""
      }
      /^[ \t]*$/ { flush(); next }
      /^#/ { next }
      { key = tolower($1); sub(/:$/, "", key); val = $0; sub(/^[^:]*:[ \t]*/, "", val) }
      key == "types" { types = val } key == "uris" { uris = val } key == "suites" { suites = val }
      key == "components" { comps = val } key == "enabled" { enabled = tolower(val) }
      END { flush() }' "$f"
  done
}

# yum/dnf/zypper .repo files: [id] sections with baseurl/mirrorlist/metalink and enabled.
repos_ini() {
  dir=$1
  for f in "$ROOT$dir"/*.repo; do
    [ -r "$f" ] || continue
    awk '
      function flush() { if (id != "") print id "\t" url "\t\t\trpm\t" (enabled ~ /^(0|no|false)$/ ? "false" : "true"); id = ""; url = ""; enabled = "" }
      /^[ \t]*\[/ { flush(); id = $0; gsub(/^[ \t]*\[|\][ \t]*$/, "", id); next }
      /^[ \t]*(baseurl|mirrorlist|metalink)[ \t]*=/ && url == "" { url = $0; sub(/^[^=]*=[ \t]*/, "", url); sub(/[ \t].*$/, "", url) }
      /^[ \t]*enabled[ \t]*=/ { enabled = $0; sub(/^[^=]*=[ \t]*/, "", enabled) }
      END { flush() }' "$f"
  done
}

repos_apk() {
  [ -r "$ROOT/etc/apk/repositories" ] || return 0
  awk '
    /^[ \t]*$/ { next }
    { enabled = "true"; line = $0 }
    /^[ \t]*#/ { enabled = "false"; sub(/^[ \t]*#[ \t]*/, "", line); if (line !~ /^(@[^ ]+[ \t]+)?[a-z]+:\/\//) next }
    { n = split(line, w, " "); url = w[n]; sub(/\/$/, "", url)
      k = split(url, p, "/"); comp = p[k]; dist = (k > 1 ? p[k - 1] : "")
      print dist "/" comp "\t" url "\t" dist "\t" comp "\tapk\t" enabled }' "$ROOT/etc/apk/repositories"
}

repos_pacman() {
  [ -r "$ROOT/etc/pacman.conf" ] || return 0
  awk -v root="$ROOT" '
    /^[ \t]*\[/ { sec = $0; gsub(/^[ \t]*\[|\][ \t]*$/, "", sec); if (sec != "options") order[++n] = sec; next }
    sec == "" || sec == "options" { next }
    /^[ \t]*Server[ \t]*=/ && !(sec in url) { v = $0; sub(/^[^=]*=[ \t]*/, "", v); url[sec] = v }
    /^[ \t]*Include[ \t]*=/ && !(sec in url) {
      v = $0; sub(/^[^=]*=[ \t]*/, "", v)
      while ((getline l < (root v)) > 0) if (l ~ /^[ \t]*Server[ \t]*=/) { sub(/^[^=]*=[ \t]*/, "", l); url[sec] = l; break }
      close(root v)
    }
    END { for (i = 1; i <= n; i++) print order[i] "\t" url[order[i]] "\t" order[i] "\t\tpacman\ttrue" }' "$ROOT/etc/pacman.conf"
}

repositories_json() {
  case "$1" in
    apt) repos_apt ;; dnf|yum) repos_ini /etc/yum.repos.d ;; zypper) repos_ini /etc/zypp/repos.d ;;
    apk) repos_apk ;; pacman) repos_pacman ;;
  esac | awk -F '\t' "$AWK_JSON"'
    NF >= 6 && !seen[$0]++ {
      printf "%s{\"name\":%s,\"url\":%s,\"distribution\":%s,\"components\":%s,\"repoType\":%s,\"isEnabled\":%s,\"isSecure\":%s}",
        (count++ ? "," : ""), js($1), js($2), js($3), js($4), js($5), $6, ($2 ~ /^https:/ ? "true" : "false")
    }'
}

# --- System facts ---------------------------------------------------------------------------------

os_release_value() {
  for f in "$ROOT/etc/os-release" "$ROOT/usr/lib/os-release"; do
    [ -r "$f" ] || continue
    awk -F= -v key="$1" '$1 == key { v = substr($0, length(key) + 2); gsub(/^["'\'']|["'\'']$/, "", v); print v; exit }' "$f"
    return 0
  done
}

system_hostname() {
  h=$(hostname 2>/dev/null) || h=""
  [ -n "$h" ] || h=$(cat /proc/sys/kernel/hostname 2>/dev/null) || h=""
  [ -n "$h" ] || h=$(uname -n)
  printf '%s' "$h"
}

primary_ip() {
  ip -o -4 addr show up scope global 2>/dev/null | awk '{ split($4, a, "/"); print a[1]; exit }'
}

machine_id() {
  for f in "$ROOT/etc/machine-id" "$ROOT/var/lib/dbus/machine-id"; do
    [ -r "$f" ] || continue
    id=$(tr -d ' \n' < "$f")
    case "$id" in
      ????????????????????????????????)
        printf '%s' "$id" | awk '{ print substr($0,1,8) "-" substr($0,9,4) "-" substr($0,13,4) "-" substr($0,17,4) "-" substr($0,21,12) }'
        return ;;
      ?*) printf '%s' "$id"; return ;;
    esac
  done
  system_hostname
}

cpu_model() {
  m=$(awk -F: '/^(model name|Model|Hardware|cpu model|cpu)[ \t]*:/ { v = $2; sub(/^[ \t]+/, "", v); if (v != "") { print v; exit } }' /proc/cpuinfo 2>/dev/null)
  printf '%s' "${m:-Unknown}"
}

cpu_cores() {
  n=$(nproc 2>/dev/null) || n=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null) || n=1
  jnum "$n" 1
}

# GiB as an unrounded float, like the Go agent.
meminfo_gib() { awk -v key="$1:" '$1 == key { printf "%.10g", $2 / 1048576; found = 1 } END { if (!found) printf "0" }' /proc/meminfo 2>/dev/null || printf 0; }

load_average_json() {
  if [ -r /proc/loadavg ]; then awk '{ printf "[%s,%s,%s]", $1 + 0, $2 + 0, $3 + 0 }' /proc/loadavg; else printf 'null'; fi
}

uptime_text() {
  awk '{ s = int($1); d = int(s / 86400); h = int((s % 86400) / 3600); m = int((s % 3600) / 60); out = ""
    if (d) out = d (d == 1 ? " day" : " days")
    if (h) out = out (out == "" ? "" : ", ") h (h == 1 ? " hour" : " hours")
    out = out (out == "" ? "" : ", ") m (m == 1 ? " minute" : " minutes"); printf "%s", out }' /proc/uptime 2>/dev/null
}

disk_details_json() {
  df -P -k 2>/dev/null | awk "$AWK_JSON"'
    function gb(k) { return sprintf("%.2fGB", k / 1048576) }
    NR > 1 && ($1 ~ /^\// || $6 == "/") && !seen[$1]++ {
      pct = ($2 > 0) ? $3 * 100 / $2 : 0
      size = gb($2) " (" gb($3) " used, " gb($4) " free, " sprintf("%.1f", pct) "% used)"
      printf "%s{\"name\":%s,\"size\":%s,\"mountpoint\":%s}", (count++ ? "," : ""), js($1), js(size), js($6)
    }
    END { if (!count) printf "" }'
}

network_interfaces_json() {
  command -v ip >/dev/null 2>&1 || { printf 'null'; return; }
  printf '['
  ip -o addr show 2>/dev/null | awk -v sys="/sys/class/net" "$AWK_JSON"'
    $2 != "lo" && ($3 == "inet" || $3 == "inet6") {
      name = $2; sub(/@.*/, "", name); split($4, a, "/")
      if (!(name in addrs)) { order[++n] = name; addrs[name] = "" }
      addrs[name] = addrs[name] (addrs[name] == "" ? "" : ",") "{\"address\":" js(a[1]) ",\"family\":" js($3) "}"
    }
    END {
      for (i = 1; i <= n; i++) {
        type = "ethernet"
        if (system("test -d \"" sys "/" order[i] "/wireless\"") == 0) type = "wifi"
        if (system("test -d \"" sys "/" order[i] "/bridge\"") == 0) type = "bridge"
        printf "%s{\"name\":%s,\"type\":\"%s\",\"addresses\":[%s]}", (i > 1 ? "," : ""), js(order[i]), type, addrs[order[i]]
      }
    }'
  printf ']'
}

dns_servers_json() {
  printf '['
  awk "$AWK_JSON"'$1 == "nameserver" && $2 != "" { printf "%s%s", (count++ ? "," : ""), js($2) }' "$ROOT/etc/resolv.conf" 2>/dev/null
  printf ']'
}

gateway_ip() { ip route show default 2>/dev/null | awk '$1 == "default" { for (i = 2; i < NF; i++) if ($i == "via") { print $(i + 1); exit } }'; }

selinux_status() {
  if command -v getenforce >/dev/null 2>&1; then getenforce 2>/dev/null | tr '[:upper:]' '[:lower:]'; else printf 'disabled'; fi
}

# Sets NEEDS_REBOOT (true/false) and REBOOT_REASON.
reboot_status() {
  NEEDS_REBOOT=false REBOOT_REASON=""
  if [ -e "$ROOT/var/run/reboot-required" ] || [ -e "$ROOT/run/reboot-required" ]; then
    NEEDS_REBOOT=true REBOOT_REASON="reboot-required file present"
  elif command -v needs-restarting >/dev/null 2>&1; then
    needs-restarting -r >/dev/null 2>&1
    if [ "$?" = 1 ]; then NEEDS_REBOOT=true REBOOT_REASON="needs-restarting -r reports a reboot is required"; fi
  fi
}

uptime_seconds() { awk '{ print $1 }' /proc/uptime 2>/dev/null || echo 0; }

# --- Report ---------------------------------------------------------------------------------------

# Writes the full report to $TMP_DIR/report.json.
build_report() {
  make_tmp
  started=$(uptime_seconds)
  PACKAGE_MANAGER=$(detect_package_manager)
  : > "$TMP_DIR/installed.tsv"; : > "$TMP_DIR/upgrades.tsv"; : > "$TMP_DIR/security.txt"
  case "$PACKAGE_MANAGER" in
    apt) collect_apt ;; dnf|yum) collect_dnf "$PACKAGE_MANAGER" ;; apk) collect_apk ;;
    pacman) collect_pacman ;; zypper) collect_zypper ;;
    *) warn "no supported package manager found; reporting no packages" ;;
  esac
  reboot_status
  os_version=$(os_release_value VERSION)
  [ -n "$os_version" ] || os_version=$(os_release_value VERSION_ID)
  [ -n "$os_version" ] || os_version=$(os_release_value BUILD_ID)
  os_name=$(os_release_value NAME)
  {
    printf '{"packages":['; packages_json; printf ']'
    printf ',"repositories":['; repositories_json "$PACKAGE_MANAGER"; printf ']'
    printf ',"osType":%s' "$(jstr "${os_name:-$(uname -s)}")"
    printf ',"osVersion":%s' "$(jstr "${os_version:-Unknown}")"
    printf ',"hostname":%s' "$(jstr "$(system_hostname)")"
    printf ',"ip":%s' "$(jstr "$(primary_ip)")"
    printf ',"architecture":%s' "$(jstr "$(uname -m)")"
    printf ',"kernelVersion":%s' "$(jstr "$(uname -r)")"
    printf ',"selinuxStatus":%s' "$(jstr "$(selinux_status)")"
    printf ',"machineId":%s' "$(jstr "$(machine_id)")"
    printf ',"cpuModel":%s' "$(jstr "$(cpu_model)")"
    printf ',"cpuCores":%s' "$(cpu_cores)"
    printf ',"ramInstalled":%s' "$(jnum "$(meminfo_gib MemTotal)")"
    printf ',"swapSize":%s' "$(jnum "$(meminfo_gib SwapTotal)")"
    printf ',"loadAverage":%s' "$(load_average_json)"
    printf ',"diskDetails":['; disk_details_json; printf ']'
    printf ',"networkInterfaces":%s' "$(network_interfaces_json)"
    printf ',"dnsServers":%s' "$(dns_servers_json)"
    printf ',"gatewayIp":%s' "$(jstr "$(gateway_ip)")"
    printf ',"systemUptime":%s' "$(jstr "$(uptime_text)")"
    printf ',"needsReboot":%s' "$NEEDS_REBOOT"
    [ -n "$REBOOT_REASON" ] && printf ',"rebootReason":%s' "$(jstr "$REBOOT_REASON")"
    printf ',"packageManager":%s' "$(jstr "$PACKAGE_MANAGER")"
    printf ',"agentVersion":%s' "$(jstr "$AGENT_VERSION")"
    printf ',"executionTime":%s}' "$(awk -v a="$started" -v b="$(uptime_seconds)" 'BEGIN { d = b - a; if (d < 0) d = 0; printf "%.2f", d }')"
  } > "$TMP_DIR/report.json"
}

cmd_report() {
  load_config
  build_report
  if [ "${1:-}" = "--json" ]; then cat "$TMP_DIR/report.json"; echo; return 0; fi
  cp "$TMP_DIR/report.json" "$TMP_DIR/report-body.json"
  api_call POST /hosts/update "$TMP_DIR/report-body.json"
  require_200 report || return 1
  say "Report sent: $(json_number packagesProcessed) packages processed ($(json_number updatesAvailable) updates, $(json_number securityUpdates) security)"
}

# Minutes between reports, from the server; failures and values <= 0 mean 60.
fetch_update_interval() {
  api_call GET /settings/update-interval
  minutes=""
  [ "$HTTP_CODE" = 200 ] && minutes=$(json_number updateInterval)
  case "$minutes" in ''|0|-*) minutes=60 ;; esac
  printf '%s' "$minutes"
}

# --- Patching -------------------------------------------------------------------------------------
# Patch runs arrive on the live channel as the stock agent's frames (run_patch, patch_run_stop) plus
# our reboot_host. Each run is its own background process that POSTs its stages to
# /patching/runs/{id}/output like the Go agent: `started`, `progress` chunks about every half
# second, then `completed`, `dry_run_completed`, `failed` or `cancelled` with the whole output. The
# package manager runs in its own process group, so a stop (a file the poller drops in the run's
# folder) can SIGINT all of it and SIGKILL what is left after the grace period.

PATCH_CAPABILITIES="run_patch,patch_run_stop,reboot_host,pre_patch_hook"
RUNS_DIR="$ROOT/run/patchmon-agent/runs"
PRE_PATCH_HOOK="$ROOT/etc/patchmon/pre-patch"
PATCH_TIME_LIMIT=${PATCHMON_PATCH_TIMEOUT_SECONDS:-1800}
PATCH_GRACE=${PATCHMON_PATCH_GRACE_SECONDS:-30}
# The whole output goes with the terminal stage; past this only its tail (the server keeps a tail too).
PATCH_OUTPUT_MAX=524288

# The commands in one JSON reply of the live channel, one line each, fields separated by \037:
# type, patch_run_id, patch_type, dry_run, package names (package_name and package_names,
# space-separated), reboot, delay_seconds. Strings stay JSON-escaped: the callers validate them.
# shellcheck disable=SC2016 # awk code, not shell
AWK_COMMANDS='
function field(v) { gsub(/[\037\n]/, "_", v); return v }
function value(v) {
  if (depth == 3 && incmds) f[key[3]] = v
  else if (depth == 4 && incmds && key[3] == "package_names" && kind[4] == "[") f["names"] = f["names"] " " v
}
{ buf = buf $0 "\n" }
END {
  n = length(buf); i = 1; depth = 0
  while (i <= n) {
    c = substr(buf, i, 1)
    if (c == "\"") {
      s = ""; i++
      while (i <= n) {
        c = substr(buf, i, 1)
        if (c == "\\") { s = s substr(buf, i, 2); i += 2; continue }
        if (c == "\"") break
        s = s c; i++
      }
      i++; j = i
      while (substr(buf, j, 1) ~ /[ \t\r\n]/) j++
      if (substr(buf, j, 1) == ":") { key[depth] = s; i = j + 1 } else value(s)
      continue
    }
    if (c == "{" || c == "[") {
      depth++; kind[depth] = c; key[depth] = ""
      incmds = (kind[1] == "{" && key[1] == "commands" && kind[2] == "[")
      if (depth == 3 && incmds) split("", f)
      i++; continue
    }
    if (c == "}" || c == "]") {
      if (depth == 3 && incmds && c == "}")
        printf "%s\037%s\037%s\037%s\037%s\037%s\037%s\n", field(f["type"]), field(f["patch_run_id"]), field(f["patch_type"]),
          field(f["dry_run"]), field(f["package_name"] f["names"]), field(f["reboot"]), field(f["delay_seconds"])
      depth--; i++; continue
    }
    if (c ~ /[-0-9a-z]/) {
      tok = ""
      while (i <= n && substr(buf, i, 1) ~ /[-+.0-9a-zA-Z]/) { tok = tok substr(buf, i, 1); i++ }
      value(tok); continue
    }
    i++
  }
}'

# The exact contents of a file as a JSON string (trailing newlines kept).
jfile() {
  { cat "$1"; printf x; } | awk "$AWK_JSON"'
    function esc(s,   q) { q = js(s); return substr(q, 2, length(q) - 2) }
    NR > 1 { printf "%s%s", (NR > 2 ? "\\n" : ""), esc(prev) }
    { prev = $0 }
    END { printf "%s", (NR > 1 ? "\\n" : ""); sub(/x$/, "", prev); printf "%s\"", esc(prev) }
    BEGIN { printf "\"" }'
}

# The agent regex for package names (facts §4): ^[a-zA-Z0-9][a-zA-Z0-9._+-]*$, 1..256 characters.
valid_package_name() {
  case "$1" in ''|[!a-zA-Z0-9]*|*[!a-zA-Z0-9._+-]*) return 1 ;; esac
  [ "${#1}" -le 256 ]
}

# Signals that a background job ignores (SIGINT, SIGQUIT) set back to default where the system can,
# so the package manager hears the stop's SIGINT; without it the SIGKILL after the grace period ends it.
signal_reset() {
  if env --default-signal=INT,QUIT true >/dev/null 2>&1; then echo "env --default-signal=INT,QUIT"
  elif command -v perl >/dev/null 2>&1; then echo "perl -e \$SIG{INT}=\$SIG{QUIT}=q(DEFAULT);exec(@ARGV)or(die)"
  fi
}

# True while the process runs (a zombie waiting to be reaped has finished).
pid_running() {
  [ -r "/proc/$1/stat" ] || return 1
  awk '{ sub(/^.*\) /, ""); exit ($1 == "Z") ? 1 : 0 }' "/proc/$1/stat" 2>/dev/null
}

file_size() { wc -c < "$1" | tr -d ' '; }

# post_stage STAGE [OUTPUT_FILE] [ERROR] [EXTRA_JSON]: one POST to the run's output endpoint.
post_stage() {
  {
    printf '{"stage":"%s"' "$1"
    if [ -n "${2:-}" ]; then printf ',"output":'; jfile "$2"; fi
    if [ -n "${3:-}" ]; then printf ',"error_message":%s' "$(jstr "$3")"; fi
    printf '%s}' "${4:-}"
  } > "$TMP_DIR/stage.json"
  api_call POST "/patching/runs/$RUN_ID/output" "$TMP_DIR/stage.json"
  [ "$HTTP_CODE" = 200 ] && return 0
  warn "patch run $RUN_ID: $1 not accepted (HTTP $HTTP_CODE)"
  return 1
}

# New output since the last call, as one progress POST (at most 64 KiB; the rest goes next time).
stream_progress() {
  size=$(file_size "$RUN_OUT")
  [ "$size" -gt "$RUN_SENT" ] || return 0
  count=$((size - RUN_SENT)); [ "$count" -gt 65536 ] && count=65536
  tail -c +"$((RUN_SENT + 1))" "$RUN_OUT" | head -c "$count" > "$TMP_DIR/chunk"
  RUN_SENT=$((RUN_SENT + count))
  post_stage progress "$TMP_DIR/chunk" || true
}

stop_reason() {
  if [ -e "$RUN_DIR/stop" ]; then echo stopped
  elif [ "$(uptime_whole)" -ge "$RUN_DEADLINE" ]; then echo timeout
  elif ! kill -0 "$MAIN_PID" 2>/dev/null; then echo agent_stopped
  fi
}

# run_step CMD...: appends `$ CMD` and its output to the run output while streaming it; sets STEP_RC.
# Fails (STOP_REASON set) when the run is stopped, times out or the agent goes away meanwhile.
run_step() {
  STOP_REASON=$(stop_reason)
  [ -z "$STOP_REASON" ] || return 1
  printf '$ %s\n' "$*" >> "$RUN_OUT"
  # shellcheck disable=SC2086 # $SIGNAL_RESET is a command prefix: word splitting intended
  setsid $SIGNAL_RESET "$@" >> "$RUN_OUT" 2>&1 < /dev/null &
  step_pid=$!
  interrupted=""
  while pid_running "$step_pid"; do
    stream_progress
    if [ -z "$interrupted" ]; then
      STOP_REASON=$(stop_reason)
      if [ -n "$STOP_REASON" ]; then
        kill -s INT -- "-$step_pid" 2>/dev/null || kill -s INT "$step_pid" 2>/dev/null
        interrupted=$(uptime_whole)
      fi
    elif [ "$(uptime_whole)" -ge $((interrupted + PATCH_GRACE)) ]; then
      kill -s KILL -- "-$step_pid" 2>/dev/null || kill -s KILL "$step_pid" 2>/dev/null
    fi
    sleep 0.5 2>/dev/null || sleep 1
  done
  wait "$step_pid"
  STEP_RC=$?
  stream_progress
  [ -z "$interrupted" ]
}

# The package manager's refresh and action commands for this run (facts §6, plus zypper and apk).
# Sets PATCH_REFRESH and PATCH_ACTION (command lines; package names were validated, so splitting is safe).
patch_commands() {
  pm=$1 dry=$2 names=$3
  confopts="-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold"
  case "$pm:$dry:${names:+named}" in
    apt:false:) PATCH_ACTION="apt-get $confopts --with-new-pkgs upgrade -y" ;;
    apt:true:) PATCH_ACTION="apt-get -s --with-new-pkgs upgrade" ;;
    apt:false:named) PATCH_ACTION="apt-get $confopts --only-upgrade install -y $names" ;;
    apt:true:named) PATCH_ACTION="apt-get -s --only-upgrade install $names" ;;
    dnf:false:*|yum:false:*) PATCH_ACTION="$pm upgrade -y $names" ;;
    dnf:true:*|yum:true:*) PATCH_ACTION="$pm upgrade --assumeno $names" ;;
    zypper:false:*) PATCH_ACTION="zypper --non-interactive update --auto-agree-with-licenses $names" ;;
    zypper:true:*) PATCH_ACTION="zypper --non-interactive update --dry-run $names" ;;
    apk:false:) PATCH_ACTION="apk upgrade" ;;
    apk:true:) PATCH_ACTION="apk upgrade -s" ;;
    apk:false:named) PATCH_ACTION="apk add -u $names" ;;
    apk:true:named) PATCH_ACTION="apk add -u -s $names" ;;
    pacman:false:) PATCH_ACTION="pacman -Syu --noconfirm" ;;
    pacman:true:) PATCH_ACTION="pacman -Sup --print-format %n" ;;
    pacman:false:named) PATCH_ACTION="pacman -S --noconfirm $names" ;;
    pacman:true:named) PATCH_ACTION="pacman -Sp --print-format %n $names" ;;
  esac
  case "$pm" in
    apt) PATCH_REFRESH="apt-get update -qq" ;; dnf|yum) PATCH_REFRESH="$pm makecache -q -y" ;;
    zypper) PATCH_REFRESH="zypper --non-interactive refresh" ;; apk) PATCH_REFRESH="apk update" ;;
    pacman) PATCH_REFRESH="pacman -Sy --noconfirm" ;;
  esac
  PATCH_ACTION=${PATCH_ACTION% }
}

# Names of the packages a step's output says were (or, in a dry run, would be) upgraded, one a line.
affected_packages() {
  native=$(dpkg --print-architecture 2>/dev/null) || native=""
  awk -v pm="$1" -v dry="$2" -v native=":${native:-none}" "$AWK_NEVRA"'
    function bare(n) { return (length(n) > length(native) && substr(n, length(n) - length(native) + 1) == native) ? substr(n, 1, length(n) - length(native)) : n }
    pm == "apt" && dry == "true" && /^Inst / { print bare($2) }
    pm == "apt" && dry == "false" && /^Unpacking / { print bare($2) }
    pm ~ /^(dnf|yum)$/ && dry == "true" {
      if (/^[A-Z]/) { sect = ($0 ~ /^Upgrading:/) }
      else if (sect && wrapped != "") { print wrapped "." $1; wrapped = "" }
      else if (sect && NF == 1) wrapped = $1
      else if (sect && NF >= 5) print $1 "." $2
    }
    pm ~ /^(dnf|yum)$/ && dry == "false" && /^ *(Upgrading|Updating) *: / { n = nevra_name($3); if (n != "") print n }
    pm == "zypper" {
      if (/^The following .*going to be upgraded:/) { sect = 1; next }
      if (sect && NF == 0) sect = 0
      if (sect) for (i = 1; i <= NF; i++) print $i
    }
    pm == "apk" && / Upgrading / { for (i = 1; i < NF; i++) if ($i == "Upgrading") { print $(i + 1); break } }
    pm == "pacman" && dry == "true" && NF == 1 && $1 !~ /^(::|warning|error)/ { print $1 }
    pm == "pacman" && dry == "false" && /upgrading [^ ]+\.\.\./ { for (i = 1; i < NF; i++) if ($i == "upgrading") { n = $(i + 1); sub(/\.\.\.$/, "", n); print n; break } }
  ' "$3" | awk '!seen[$0]++'
}

json_name_array() { awk "$AWK_JSON"'NF { printf "%s%s", (count++ ? "," : ""), js($0) } BEGIN { printf "[" } END { printf "]" }' "$1"; }

# Only the names that are installed (apk and pacman would install the others).
installed_only() {
  kept=""
  for name in $2; do
    case "$1" in
      apk) apk info -e "$name" >/dev/null 2>&1 ;;
      pacman) pacman -Q "$name" >/dev/null 2>&1 ;;
      *) true ;;
    esac && kept="$kept $name"
  done
  printf '%s' "${kept# }"
}

# Schedules a reboot in about $1 seconds; prints what it ran. A sandboxed test (PATCHMON_ROOT) never
# reaches the real machine's commands.
schedule_reboot() {
  minutes=$((($1 + 59) / 60))
  for cmd in shutdown systemctl reboot; do
    path=$(command -v "$cmd" 2>/dev/null) || continue
    if [ -n "$ROOT" ]; then case "$path" in /sbin/*|/bin/*|/usr/sbin/*|/usr/bin/*) continue ;; esac; fi
    case "$cmd" in
      shutdown) shutdown -r "+$minutes" "PatchMon: reboot requested" >/dev/null 2>&1 || continue
        echo "shutdown -r +$minutes" ;;
      *) (sleep "$1"; "$cmd" reboot 2>/dev/null || "$cmd") >/dev/null 2>&1 < /dev/null &
        echo "$cmd reboot after $1 s" ;;
    esac
    return 0
  done
  return 1
}

# Output of the run so far, capped to its tail, in $TMP_DIR/full.
full_output() {
  if [ "$(file_size "$RUN_OUT")" -le "$PATCH_OUTPUT_MAX" ]; then cp "$RUN_OUT" "$TMP_DIR/full"; return; fi
  { printf '[... earlier output truncated ...]\n'; tail -c "$PATCH_OUTPUT_MAX" "$RUN_OUT"; } > "$TMP_DIR/full"
}

# Terminal POST, retried (3 tries, 2 s apart) like the Go agent's client.
finish_run() {
  stage=$1 error=${2:-} extra=${3:-}
  stream_progress
  full_output
  for try in 1 2 3; do
    post_stage "$stage" "$TMP_DIR/full" "$error" "$extra" && break
    case "$HTTP_CODE" in 400|401|403|404) break ;; esac
    [ "$try" = 3 ] || sleep 2
  done
  say "Patch run $RUN_ID: $stage${error:+ ($error)}"
}

limit_text() { if [ $(($1 % 60)) = 0 ]; then echo "$(($1 / 60))-minute"; else echo "$1-second"; fi; }

# One run, in its own process: patch_run_job ID TYPE DRY_RUN NAMES REBOOT.
patch_run_job() {
  RUN_ID=$1 ptype=${2:-patch_all} dry=${3:-false} names=$4 reboot=${5:-never}
  RUN_DIR="$RUNS_DIR/$RUN_ID"
  TMP_DIR="" POLL_PID="" PAUSE_PID=""
  make_tmp
  trap 'cleanup; rm -rf "$RUN_DIR"' EXIT
  trap 'exit 143' TERM
  RUN_OUT="$TMP_DIR/run.out" RUN_SENT=0
  : > "$RUN_OUT"
  [ "$dry" = true ] || dry=false
  for name in $names; do
    valid_package_name "$name" || { finish_run failed "invalid package name: $name"; return; }
  done
  case "$ptype" in
    patch_all) names="" ;;
    patch_package) [ -n "$names" ] || { finish_run failed "patch_package needs at least one package name"; return; } ;;
    *) finish_run failed "unknown patch_type: $ptype"; return ;;
  esac
  pm=$(detect_package_manager)
  case "$pm" in apt|dnf|yum|zypper|apk|pacman) ;; *)
    finish_run failed "no supported package manager found (apt, dnf, yum, zypper, apk or pacman required)"; return ;;
  esac
  post_stage started || case "$HTTP_CODE" in 403|404) return ;; esac
  say "Patch run $RUN_ID started: $ptype${names:+ ($names)} with $pm, dry run $dry"
  RUN_DEADLINE=$(($(uptime_whole) + PATCH_TIME_LIMIT))
  SIGNAL_RESET=$(signal_reset)
  hook_json="" ran=false STOP_REASON=""
  if [ "$dry" = false ] && [ -x "$PRE_PATCH_HOOK" ]; then
    before=$(file_size "$RUN_OUT")
    # What the hook may want to know (e.g. to name its backup).
    export PATCHMON_PATCH_RUN_ID="$RUN_ID" PATCHMON_PATCH_TYPE="$ptype" PATCHMON_PACKAGES="$names"
    if run_step "$PRE_PATCH_HOOK"; then
      tail -c +"$((before + 1))" "$RUN_OUT" | sed '1d' | tail -c 65536 > "$TMP_DIR/hook.out"
      hook_json=",\"pre_patch_hook\":{\"exit_code\":$STEP_RC,\"output\":$(jfile "$TMP_DIR/hook.out")}"
      if [ "$STEP_RC" != 0 ]; then
        printf -- '--- Patch run failed at %s ---\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$RUN_OUT"
        finish_run failed "pre-patch hook exited $STEP_RC" "$hook_json"; return
      fi
    fi
  fi
  [ "$ptype" = patch_package ] && case "$pm" in apk|pacman)
    names=$(installed_only "$pm" "$names")
    [ -n "$names" ] || { finish_run failed "none of the packages is installed"; return; } ;;
  esac
  patch_commands "$pm" "$dry" "$names"
  error=""
  export DEBIAN_FRONTEND=noninteractive LC_MESSAGES=C
  if [ -z "$STOP_REASON" ]; then
    # shellcheck disable=SC2086 # command lines of validated words
    if run_step $PATCH_REFRESH && [ "$STEP_RC" != 0 ]; then error="$PATCH_REFRESH failed: exit status $STEP_RC"; fi
  fi
  if [ -z "$error" ] && [ -z "$STOP_REASON" ]; then
    action_from=$(file_size "$RUN_OUT")
    ran=true
    # shellcheck disable=SC2086 # command lines of validated words
    run_step $PATCH_ACTION
    tail -c +"$((action_from + 1))" "$RUN_OUT" > "$TMP_DIR/action.out"
    ok=false
    case "$pm:$dry:$STEP_RC" in
      *:0) ok=true ;;
      dnf:true:1|yum:true:1) grep -q '^Error' "$TMP_DIR/action.out" || ok=true ;;
      zypper:false:102|zypper:false:103) ok=true ;;
    esac
    if [ -z "$STOP_REASON" ] && [ "$ok" = false ]; then error="$PATCH_ACTION failed: exit status $STEP_RC"; fi
  fi
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  reboot_json=""
  if [ "$dry" = false ]; then reboot_status; reboot_json=",\"reboot_required\":$NEEDS_REBOOT"; fi
  case "$STOP_REASON" in
    stopped)
      printf -- '--- Patch run stopped by user at %s ---\n' "$now" >> "$RUN_OUT"
      finish_run cancelled "stopped by user" "$hook_json$reboot_json" ;;
    timeout)
      printf -- '--- Patch run failed at %s ---\n' "$now" >> "$RUN_OUT"
      finish_run failed "patch run exceeded the $(limit_text "$PATCH_TIME_LIMIT") limit" "$hook_json$reboot_json" ;;
    agent_stopped)
      printf -- '--- Patch run failed at %s ---\n' "$now" >> "$RUN_OUT"
      finish_run failed "the agent stopped during the patch run" "$hook_json$reboot_json"; return ;;
    *)
      if [ -n "$error" ]; then
        printf -- '--- Patch run failed at %s ---\n' "$now" >> "$RUN_OUT"
        finish_run failed "$error" "$hook_json$reboot_json"
      else
        affected_packages "$pm" "$dry" "$TMP_DIR/action.out" > "$TMP_DIR/affected"
        affected=",\"packages_affected\":$(json_name_array "$TMP_DIR/affected")"
        if [ "$dry" = true ]; then
          printf -- '--- Dry run completed at %s ---\n' "$now" >> "$RUN_OUT"
          finish_run dry_run_completed "" "$affected"
        else
          do_reboot=false
          case "$reboot" in after) do_reboot=true ;; if_required) do_reboot=$NEEDS_REBOOT ;; esac
          case "$reboot:$do_reboot" in
            *:true) printf 'Rebooting in 60 s (reboot option: %s)\n' "$reboot" >> "$RUN_OUT" ;;
            if_required:false) printf 'No reboot required (reboot option: if_required)\n' >> "$RUN_OUT" ;;
          esac
          printf -- '--- Patch run completed at %s ---\n' "$now" >> "$RUN_OUT"
          finish_run completed "" "$affected$hook_json$reboot_json"
        fi
      fi ;;
  esac
  if [ "$ran" = true ] && [ "$dry" = false ]; then cmd_report || warn "the report after patch run $RUN_ID failed"; fi
  if [ "${do_reboot:-false}" = true ]; then schedule_reboot 60 >/dev/null || warn "patch run $RUN_ID: no way to reboot found"; fi
}

# reboot_host: started, the reboot scheduled, completed (or failed when nothing can reboot).
reboot_job() {
  RUN_ID=$1 delay=${2:-60}
  RUN_DIR="$RUNS_DIR/$RUN_ID"
  TMP_DIR="" POLL_PID="" PAUSE_PID=""
  make_tmp
  trap 'cleanup; rm -rf "$RUN_DIR"' EXIT
  trap 'exit 143' TERM
  RUN_OUT="$TMP_DIR/run.out" RUN_SENT=0
  case "$delay" in ''|*[!0-9]*) delay=60 ;; esac
  post_stage started || case "$HTTP_CODE" in 403|404) return ;; esac
  if how=$(schedule_reboot "$delay"); then
    printf 'reboot scheduled in %s s\n$ %s\n' "$delay" "$how" > "$RUN_OUT"
    finish_run completed
  else
    printf 'no shutdown, systemctl or reboot command found\n' > "$RUN_OUT"
    finish_run failed "no way to reboot this host was found"
  fi
}

# Starts a run from the live channel unless the same run is already going (a repeated frame).
start_patch_run() {
  kind=$1 id=$2; shift 2
  case "$id" in ''|*[!A-Za-z0-9-]*) warn "$kind frame with an invalid patch_run_id ignored"; return 0 ;; esac
  mkdir -p "$RUNS_DIR" || return 0
  if ! mkdir "$RUNS_DIR/$id" 2>/dev/null; then
    pid=$(cat "$RUNS_DIR/$id/pid" 2>/dev/null) || pid=""
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then say "Patch run $id is already running"; return 0; fi
  fi
  case "$kind" in
    run_patch) patch_run_job "$id" "$@" ;;
    reboot_host) reboot_job "$id" "$5" ;;
  esac < /dev/null &
  echo "$!" > "$RUNS_DIR/$id/pid"
}

# True while a patch run of this agent is going (its own report follows it).
patch_run_active() {
  for pidfile in "$RUNS_DIR"/*/pid; do
    [ -r "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && return 0
  done
  return 1
}

# --- Live channel ---------------------------------------------------------------------------------
# `serve` holds GET /api/v1/agents/poll open in a background process (plain curl, no WebSocket
# needed: bookworm's and RHEL 9's curl cannot speak it). The server answers at once with
# {"commands":[{"type":"report_now"}, ...]} when the dashboard asks for something, or 204 after
# ~25 s. The poller only relays: it signals the serving process (USR2 = report now, USR1 = update
# the agent), which does the work between its timer reports. Errors and restarts of the server
# are retried with back-off (1 s doubling to 30 s).

# Sleep that a trapped signal interrupts (a plain `sleep` delays traps until it ends).
pause() {
  # Its own output goes nowhere, so a stopped agent leaves no sleep holding the caller's pipes.
  sleep "$1" >/dev/null 2>&1 &
  PAUSE_PID=$!
  # A request whose signal came after the caller last looked must not wait out the whole step.
  if [ "${REPORT_NOW:-false}" != true ] && [ "${UPDATE_NOW:-false}" != true ]; then wait "$PAUSE_PID" 2>/dev/null; fi
  kill "$PAUSE_PID" 2>/dev/null
  PAUSE_PID=""
}

poll_loop() {
  main_pid=$1 MAIN_PID=$1
  # The poller has its own temporary files: the serving process may be sending a report.
  TMP_DIR="" POLL_PID="" PAUSE_PID="" CURL_PID=""
  make_tmp
  trap 'cleanup' EXIT
  trap '[ -n "$CURL_PID" ] && kill "$CURL_PID" 2>/dev/null; [ -n "$PAUSE_PID" ] && kill "$PAUSE_PID" 2>/dev/null; exit 0' TERM INT HUP
  write_curl_config
  insecure=""
  [ "$SKIP_SSL" = true ] && insecure="-k"
  backoff=1
  while kill -0 "$main_pid" 2>/dev/null; do
    : > "$TMP_DIR/poll"
    curl -sS $insecure --max-time 45 -K "$TMP_DIR/curl.conf" -H "Accept: application/json" \
      -H "X-PatchMon-Capabilities: $PATCH_CAPABILITIES" \
      -o "$TMP_DIR/poll" -w '%{http_code}' "$SERVER/api/$API_VERSION/agents/poll" > "$TMP_DIR/poll.code" 2>/dev/null &
    CURL_PID=$!
    wait "$CURL_PID" 2>/dev/null
    CURL_PID=""
    code=$(cat "$TMP_DIR/poll.code" 2>/dev/null)
    case "$code" in
      200)
        backoff=1
        awk "$AWK_COMMANDS" "$TMP_DIR/poll" > "$TMP_DIR/commands"
        while IFS=$(printf '\037') read -r type id ptype dry names reboot delay; do
          case "$type" in
            report_now) kill -USR2 "$main_pid" 2>/dev/null ;;
            update_agent|update_notification) kill -USR1 "$main_pid" 2>/dev/null ;;
            run_patch|reboot_host) start_patch_run "$type" "$id" "$ptype" "$dry" "$names" "$reboot" "$delay" ;;
            patch_run_stop) case "$id" in ''|*[!A-Za-z0-9-]*) ;; *) [ -d "$RUNS_DIR/$id" ] && : > "$RUNS_DIR/$id/stop" ;; esac ;;
          esac
        done < "$TMP_DIR/commands" ;;
      204) backoff=1 ;;
      404) warn "the server offers no live channel (HTTP 404); trying again in 10 minutes"; pause 600 ;;
      401|403) warn "live channel refused (HTTP $code); trying again in 5 minutes"; pause 300 ;;
      *)
        pause "$backoff"
        backoff=$((backoff * 2)); [ "$backoff" -gt 30 ] && backoff=30 ;;
    esac
  done
}

start_live_channel() {
  case "${PATCHMON_LIVE_CHANNEL:-true}" in false|0|no) return 0 ;; esac
  [ -n "$POLL_PID" ] && kill -0 "$POLL_PID" 2>/dev/null && return 0
  poll_loop "$$" &
  POLL_PID=$!
}

# Sends a report; after a successful one, updates when the server offers a newer agent (like the Go
# agent) and continues as the new version.
report_and_update() {
  if patch_run_active; then say "Timer report skipped: a patch run is going and reports when it ends"; return 0; fi
  if cmd_report; then
    UPDATED=false
    cmd_update_agent >/dev/null || true
    restart_if_updated
  else
    warn "report failed; retrying in $interval minute(s)"
  fi
}

restart_if_updated() {
  [ "$UPDATED" = true ] || return 0
  say "Restarting as the updated agent"
  cleanup
  POLL_PID="" TMP_DIR=""
  exec "$ROOT/usr/local/bin/patchmon-agent" serve
}

# Work the live channel asked for (flags set by the signal traps).
run_requested() {
  if [ "$UPDATE_NOW" = true ]; then
    UPDATE_NOW=false
    say "Agent update requested from the dashboard"
    UPDATED=false
    cmd_update_agent --force || true
    restart_if_updated
  fi
  if [ "$REPORT_NOW" = true ]; then
    REPORT_NOW=false
    say "Report requested from the dashboard"
    cmd_report || warn "requested report failed"
  fi
}

cmd_serve() {
  load_config
  make_tmp
  max_cycles=${PATCHMON_AGENT_MAX_CYCLES:-0}
  cycle=0
  REPORT_NOW=false UPDATE_NOW=false PAUSE_PID=""
  trap 'REPORT_NOW=true' USR2
  trap 'UPDATE_NOW=true' USR1
  say "PatchMon shell agent $AGENT_VERSION serving $SERVER"
  while :; do
    cycle=$((cycle + 1))
    interval=$(fetch_update_interval)
    report_and_update
    [ "$max_cycles" -gt 0 ] && [ "$cycle" -ge "$max_cycles" ] && return 0
    start_live_channel
    # Wait for the next timer report in steps of at most a minute, so a changed interval, a stop
    # signal or a request from the live channel takes effect promptly.
    due=$(( $(uptime_whole) + interval * 60 ))
    while :; do
      run_requested
      now=$(uptime_whole)
      [ "$now" -lt "$due" ] || break
      step=$((due - now)); [ "$step" -gt 60 ] && step=60
      pause "$step"
      # A poller that died (killed, out of memory) is started again.
      start_live_channel
    done
  done
}

# Whole seconds since boot: a clock that setting the date cannot move.
uptime_whole() { awk '{ printf "%d", $1 }' /proc/uptime 2>/dev/null || date +%s; }

usage() {
  cat <<EOF
PatchMon Agent v$AGENT_VERSION (shell)
Usage: patchmon-agent [--config FILE] <command>
  ping            check credentials and connectivity
  report [--json] collect and send a full report (--json prints it instead)
  collect         print a full report without sending it; needs no configuration (the agentless
                  "patchmon proxmox-collect" pipes this script into each container)
  serve           report every update interval and hold the live channel (run by the service)
  check-version   ask the server for the latest agent version
  update-agent [--force]
                  install the server's newer agent, if any (hash-checked); --force also
                  when the server's automatic updates are off
  config show     print the configuration (API key masked)
  --version       print the version
EOF
}

main() {
  if [ "${1:-}" = "--config" ]; then
    [ $# -ge 2 ] || die "--config needs a file"
    CONFIG_FILE=$2; shift 2
  fi
  case "${1:-}" in
    --version|-v|version) say "patchmon-agent version $AGENT_VERSION" ;;
    ping) cmd_ping ;;
    report) shift; cmd_report "$@" ;;
    collect) build_report; cat "$TMP_DIR/report.json"; echo ;;
    serve) cmd_serve ;;
    check-version) cmd_check_version ;;
    update-agent) shift; cmd_update_agent "$@" ;;
    config) [ "${2:-}" = show ] || die "usage: patchmon-agent config show"; cmd_config_show ;;
    ''|help|--help|-h) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
