#!/usr/bin/env bash
# The cURL examples of the Integration API and gethomepage chapters, run as written (only the
# server URL and credentials come from the environment). Each prints one checked line.
# Needs: BASE_URL API_KEY API_SECRET HOST_UUID DELETE_UUID HOME_KEY HOME_SECRET
set -euo pipefail
auth="$API_KEY:$API_SECRET"

# List all hosts / with stats / filters
curl -sf -u "$auth" "$BASE_URL/api/v1/api/hosts" | jq -r '"list total=\(.total)"'
curl -sf -u "$auth" "$BASE_URL/api/v1/api/hosts?include=stats" | jq -r '"stats first=\(.hosts[0].friendly_name) updates=\(.hosts[0].updates_count)"'
curl -sf -u "$auth" "$BASE_URL/api/v1/api/hosts?hostgroup=Production" | jq -r '"production total=\(.total) filtered=\(.filtered_by_groups|join(","))"'
curl -sf -u "$auth" "$BASE_URL/api/v1/api/hosts?hostgroup=Production&include=stats" | jq -r '"production+stats total=\(.total) security=\([.hosts[].security_updates_count]|add)"'
curl -sf -u "$auth" "$BASE_URL/api/v1/api/hosts?hostgroup=Production,Development" | jq -r '"prod+dev total=\(.total)"'

# Per-host endpoints
curl -sf -u "$auth" "$BASE_URL/api/v1/api/hosts/$HOST_UUID/stats" | jq -r '"host stats installed=\(.total_installed_packages) outdated=\(.outdated_packages)"'
curl -sf -u "$auth" "$BASE_URL/api/v1/api/hosts/$HOST_UUID/system" | jq -r '"system load1=\(.load_average["1min"])"'
curl -sf -u "$auth" "$BASE_URL/api/v1/api/hosts/$HOST_UUID/packages" | jq -r '"packages total=\(.total)"'
curl -sf -u "$auth" "$BASE_URL/api/v1/api/hosts/$HOST_UUID/packages?updates_only=true" | jq -r '"updates_only total=\(.total)"'
curl -sf -u "$auth" "$BASE_URL/api/v1/api/hosts" | jq . > /dev/null && echo "pretty print ok"

# Verbose mode shows the Basic header being sent and a 200
curl -sv -u "$auth" "$BASE_URL/api/v1/api/hosts" 2>&1 >/dev/null | grep -q '^< HTTP/1.1 200' && echo "verbose ok"

# Delete a host
curl -sf -X DELETE -u "$auth" "$BASE_URL/api/v1/api/hosts/$DELETE_UUID" | jq -r '"deleted \(.deleted.friendly_name): \(.message)"'

# gethomepage: encode, then test; the jq recipe for the top operating systems.
# The spec's `echo -n ... | base64` wraps at 76 columns with GNU coreutils, and a real key:secret
# pair (109 characters) encodes to 148: `-w0` keeps it on one line (README says so too).
b64=$(echo -n "$HOME_KEY:$HOME_SECRET" | base64 -w0)
curl -sf -H "Authorization: Basic $b64" "$BASE_URL/api/v1/gethomepage/stats" | jq -r '"homepage total_hosts=\(.total_hosts)"'
curl -s -H "Authorization: Basic $b64" "$BASE_URL/api/v1/gethomepage/stats" \
  | jq -c '{top_os_1_name, top_os_1_count, top_os_2_name, top_os_2_count,
top_os_3_name, top_os_3_count}'
curl -sf "$BASE_URL/api/v1/gethomepage/health" -H "Authorization: Basic $b64" | jq -r '"health \(.status) \(.api_key)"'

# A missing header is the documented 401
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/api/v1/api/hosts")
echo "no auth -> $code"
