#!/usr/bin/env python3
"""
PatchMon Dynamic Inventory Script for Ansible (the chapter 6 example).
Usage: ansible-playbook -i patchmon_inventory.py playbook.yml
"""

import json
import os
import sys

import requests
from requests.auth import HTTPBasicAuth

API_KEY = os.environ.get('PATCHMON_API_KEY')
API_SECRET = os.environ.get('PATCHMON_API_SECRET')
BASE_URL = os.environ.get('PATCHMON_URL', 'https://patchmon.example.com')

if not API_KEY or not API_SECRET:
    print("Error: PATCHMON_API_KEY and PATCHMON_API_SECRET must be set", file=sys.stderr)
    sys.exit(1)


def get_inventory():
    auth = HTTPBasicAuth(API_KEY, API_SECRET)
    try:
        response = requests.get(f"{BASE_URL}/api/v1/api/hosts", auth=auth, timeout=30)
        response.raise_for_status()
        return response.json()
    except requests.exceptions.RequestException as e:
        print(f"Error fetching inventory: {e}", file=sys.stderr)
        sys.exit(1)


def build_ansible_inventory(patchmon_data):
    inventory = {"_meta": {"hostvars": {}}, "all": {"hosts": []}}
    groups = {}
    for host in patchmon_data['hosts']:
        hostname = host['friendly_name']
        inventory["all"]["hosts"].append(hostname)
        inventory["_meta"]["hostvars"][hostname] = {
            "ansible_host": host['ip'],
            "patchmon_id": host['id'],
            "patchmon_hostname": host['hostname'],
        }
        for group in host['host_groups']:
            group_name = group['name'].lower().replace(' ', '_').replace('-', '_')
            if group_name not in groups:
                groups[group_name] = {"hosts": [], "vars": {"patchmon_group_id": group['id']}}
            groups[group_name]["hosts"].append(hostname)
    inventory.update(groups)
    return inventory


def main():
    if len(sys.argv) == 2 and sys.argv[1] == '--list':
        print(json.dumps(build_ansible_inventory(get_inventory()), indent=2))
    elif len(sys.argv) == 3 and sys.argv[1] == '--host':
        print(json.dumps({}))
    else:
        print("Usage: patchmon_inventory.py --list", file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
