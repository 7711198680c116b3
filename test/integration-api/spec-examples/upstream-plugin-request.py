#!/usr/bin/env python3
"""The single request upstream's patchmon.dynamic_inventory plugin makes, byte for byte in shape:
GET <api_url> with Basic auth, Accept: application/json, a 10 s timeout, no retry. Prints the
inventory it would build (hostname -> ansible_host, groups) as JSON.
Needs: API_URL API_KEY API_SECRET
"""
import json
import os

import requests

url = os.environ["API_URL"]
response = requests.get(url, auth=(os.environ["API_KEY"], os.environ["API_SECRET"]),
                        headers={"Accept": "application/json"}, timeout=10, verify=True)
response.raise_for_status()
data = response.json()
hosts = {}
groups = {}
for host in data["hosts"]:
    name = host["hostname"]
    hosts[name] = {"ansible_host": host["ip"]} if host.get("ip") else {}
    for group in host["host_groups"]:
        groups.setdefault(group["name"], []).append(name)
print(json.dumps({"hosts": hosts, "groups": groups}, sort_keys=True))
