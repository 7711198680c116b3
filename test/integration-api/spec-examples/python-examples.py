#!/usr/bin/env python3
"""The Python examples of the Integration API chapter, run against a live server.

Only the constants come from the environment; each example prints lines the test checks.
Needs: BASE_URL API_KEY API_SECRET DELETE_UUID
"""
import json
import os

import requests
from requests.auth import HTTPBasicAuth

API_KEY = os.environ["API_KEY"]
API_SECRET = os.environ["API_SECRET"]
BASE_URL = os.environ["BASE_URL"]

session = requests.Session()
session.auth = HTTPBasicAuth(API_KEY, API_SECRET)

# List all hosts
response = session.get(f"{BASE_URL}/api/v1/api/hosts")
if response.status_code == 200:
    data = response.json()
    print(f"Total hosts: {data['total']}")
    for host in data['hosts']:
        groups = ', '.join([g['name'] for g in host['host_groups']])
        print(f"  {host['friendly_name']} ({host['ip']}) - Groups: {groups}")
else:
    print(f"Error: {response.status_code} - {response.json()}")

# Filter by host group (requests handles URL encoding)
response = session.get(f"{BASE_URL}/api/v1/api/hosts", params={"hostgroup": "Web Servers"})
print(f"Web Servers: {[h['friendly_name'] for h in response.json()['hosts']]}")

# List hosts with inline stats
response = session.get(f"{BASE_URL}/api/v1/api/hosts", params={"include": "stats"})
if response.status_code == 200:
    data = response.json()
    for host in data['hosts']:
        print(f"{host['friendly_name']}: {host['updates_count']} updates, "
              f"{host['security_updates_count']} security, "
              f"{host['total_packages']} total packages")

# Host details and stats
hosts_response = session.get(f"{BASE_URL}/api/v1/api/hosts")
hosts = hosts_response.json()['hosts']
web = [h for h in hosts if h['friendly_name'] == 'web-server-01']
if web:
    host_id = web[0]['id']
    stats = session.get(f"{BASE_URL}/api/v1/api/hosts/{host_id}/stats").json()
    print(f"Installed: {stats['total_installed_packages']}")
    print(f"Outdated: {stats['outdated_packages']}")
    print(f"Security: {stats['security_updates']}")
    info = session.get(f"{BASE_URL}/api/v1/api/hosts/{host_id}/info").json()
    print(f"OS: {info['os_type']} {info['os_version']}")
    print(f"Agent: {info['agent_version']}")

    # Host packages, updates only
    response = session.get(f"{BASE_URL}/api/v1/api/hosts/{host_id}/packages", params={"updates_only": "true"})
    if response.status_code == 200:
        data = response.json()
        print(f"Host: {data['host']['friendly_name']}")
        print(f"Packages needing updates: {data['total']}")
        for pkg in data['packages']:
            security = " [SECURITY]" if pkg['is_security_update'] else ""
            print(f"  {pkg['name']}: {pkg['current_version']} -> {pkg['available_version']}{security}")

# Delete a host (requires host:delete)
host_id = os.environ["DELETE_UUID"]
response = session.delete(f"{BASE_URL}/api/v1/api/hosts/{host_id}")
if response.status_code == 200:
    data = response.json()
    print(f"Deleted: {data['deleted']['friendly_name']} ({data['deleted']['hostname']})")
else:
    print(f"Error: {response.status_code} - {response.json()}")


# Error handling
def get_hosts(hostgroup=None, auth=None):
    """Get hosts with error handling."""
    try:
        params = {"hostgroup": hostgroup} if hostgroup else {}
        response = requests.get(f"{BASE_URL}/api/v1/api/hosts", params=params, timeout=30, auth=auth or session.auth)
        response.raise_for_status()
        return response.json()
    except requests.exceptions.HTTPError as e:
        if e.response.status_code == 401:
            print("Authentication failed - check credentials")
        elif e.response.status_code == 403:
            print("Access denied - insufficient permissions")
        else:
            print(f"HTTP error: {e}")
        return None
    except requests.exceptions.Timeout:
        print("Request timed out")
        return None
    except requests.exceptions.RequestException as e:
        print(f"Request failed: {e}")
        return None


print(f"get_hosts Production: {get_hosts('Production')['total']}")
get_hosts(auth=HTTPBasicAuth(API_KEY, "wrong-secret"))


# Generate Ansible inventory
def generate_ansible_inventory():
    """Generate Ansible inventory from PatchMon hosts."""
    auth = HTTPBasicAuth(API_KEY, API_SECRET)
    response = requests.get(f"{BASE_URL}/api/v1/api/hosts", auth=auth, timeout=30)
    if response.status_code != 200:
        print(f"Error fetching hosts: {response.status_code}")
        return
    data = response.json()
    inventory = {"_meta": {"hostvars": {}}, "all": {"hosts": [], "children": []}}
    for host in data['hosts']:
        hostname = host['friendly_name']
        inventory["all"]["hosts"].append(hostname)
        inventory["_meta"]["hostvars"][hostname] = {
            "ansible_host": host['ip'],
            "patchmon_id": host['id'],
            "patchmon_hostname": host['hostname'],
        }
        for group in host['host_groups']:
            group_name = group['name'].lower().replace(' ', '_')
            if group_name not in inventory:
                inventory[group_name] = {"hosts": [], "vars": {}}
                inventory["all"]["children"].append(group_name)
            inventory[group_name]["hosts"].append(hostname)
    print("INVENTORY " + json.dumps(inventory, sort_keys=True))


generate_ansible_inventory()
