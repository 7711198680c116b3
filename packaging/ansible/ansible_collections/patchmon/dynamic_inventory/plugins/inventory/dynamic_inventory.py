# -*- coding: utf-8 -*-
# Inventory plugin for the PatchMon appliance: one GET of the scoped hosts endpoint, hosts keyed
# by hostname with ansible_host = ip, one Ansible group per PatchMon host group.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: dynamic_inventory
short_description: Hosts and host groups from PatchMon
description:
  - Reads C(GET /api/v1/api/hosts) of a PatchMon server with HTTP Basic authentication.
  - Each host is named after its C(hostname) and gets C(ansible_host) set to its C(ip).
  - Each PatchMon host group becomes an Ansible group; hosts without groups end up in C(ungrouped).
requirements:
  - requests >= 2.25.1
options:
  plugin:
    description: The name of this plugin.
    required: true
    choices: ['patchmon.dynamic_inventory.dynamic_inventory', 'patchmon.dynamic_inventory']
  api_url:
    description: URL of the scoped hosts endpoint, for example C(https://patchmon.example.com/api/v1/api/hosts/).
    required: true
    type: str
  api_key:
    description: Token Key of a PatchMon API credential (Basic-auth user name). May be a template.
    required: true
    type: str
  api_secret:
    description: Token Secret of the credential (Basic-auth password). May be a template.
    required: true
    type: str
  verify_ssl:
    description: Verify the server's TLS certificate.
    type: bool
    default: true
  hostgroup:
    description: Only hosts in these PatchMon host groups (names or UUIDs, comma-separated, any of them).
    type: str
  timeout:
    description: Seconds to wait for the server.
    type: int
    default: 10
"""

EXAMPLES = r"""
plugin: patchmon.dynamic_inventory.dynamic_inventory
api_url: https://patchmon.example.com/api/v1/api/hosts/
api_key: "{{ lookup('env', 'PATCHMON_API_KEY') }}"
api_secret: "{{ lookup('env', 'PATCHMON_API_SECRET') }}"
hostgroup: Production
"""

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin

try:
    import requests
    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False

ACCEPTED_PLUGIN_NAMES = ('patchmon.dynamic_inventory.dynamic_inventory', 'patchmon.dynamic_inventory')


class InventoryModule(BaseInventoryPlugin):
    NAME = 'patchmon.dynamic_inventory.dynamic_inventory'

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(('.yml', '.yaml'))

    def _read_config(self, path):
        # The spec documents `plugin: patchmon.dynamic_inventory`; accept it beside the full name.
        try:
            config = self.loader.load_from_file(path, cache=False)
        except Exception as e:
            raise AnsibleParserError(to_native(e))
        if not isinstance(config, dict) or not config:
            raise AnsibleParserError('%s is empty or not a mapping' % to_native(path))
        if config.get('plugin') not in ACCEPTED_PLUGIN_NAMES:
            raise AnsibleParserError('Incorrect plugin name in file: %s' % config.get('plugin', 'none found'))
        config = dict(config)
        config['plugin'] = self.NAME
        self.set_options(direct=config)

    def _option(self, name):
        value = self.get_option(name)
        if isinstance(value, str) and self.templar.is_template(value):
            value = self.templar.template(value)
        return value

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        if not HAS_REQUESTS:
            raise AnsibleParserError('the patchmon.dynamic_inventory plugin needs the Python requests library')
        self._read_config(path)
        data = self._fetch()
        self._populate(data)

    def _fetch(self):
        url = self._option('api_url')
        params = {}
        hostgroup = self._option('hostgroup')
        if hostgroup:
            params['hostgroup'] = hostgroup
        try:
            response = requests.get(
                url,
                params=params,
                auth=(self._option('api_key'), self._option('api_secret')),
                headers={'Accept': 'application/json'},
                verify=self.get_option('verify_ssl'),
                timeout=self.get_option('timeout'),
            )
            response.raise_for_status()
        except requests.exceptions.RequestException as e:
            detail = ''
            if getattr(e, 'response', None) is not None:
                try:
                    body = e.response.json()
                    detail = ' (%s)' % ', '.join(str(body[k]) for k in ('error', 'message') if k in body)
                except ValueError:
                    detail = ''
            raise AnsibleParserError("failed to fetch API '%s': %s%s" % (url, to_native(e), detail))
        try:
            return response.json()
        except ValueError:
            raise AnsibleParserError('API did not return valid JSON')

    def _populate(self, data):
        if not isinstance(data, dict) or not isinstance(data.get('hosts'), list):
            raise AnsibleParserError('API response has no "hosts" list')
        for entry in data['hosts']:
            if not isinstance(entry, dict):
                continue
            name = entry.get('hostname') or entry.get('friendly_name')
            if not name:
                continue
            host = self.inventory.add_host(name)
            ip = entry.get('ip')
            if ip:
                self.inventory.set_variable(host, 'ansible_host', ip)
            for group in entry.get('host_groups') or []:
                group_name = group.get('name') if isinstance(group, dict) else None
                if not group_name:
                    continue
                added = self.inventory.add_group(group_name)
                self.inventory.add_child(added, host)
