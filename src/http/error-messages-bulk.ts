// Error messages of bulk host actions (issue 20 part 5; src/bulk-actions): the refusals of a whole
// request, and the reasons one host of a batch was skipped or failed ('item': they travel inside a 200
// summary, one per host). Part of the one table, ERROR_MESSAGES in error-messages.ts.
import { entry } from './error-entry.js'

export const BULK_ERROR_MESSAGES = {
  hostBulk: {
    action: entry(
      'action must be one of assign_groups, remove_groups, report_now, update_agent, rotate_credentials, delete',
      400,
      'validation'
    ),
    hostIds: entry('host_ids must be a list of host ids', 400, 'validation'),
    filter: entry('filter takes the host list filters: search, group and status', 400, 'validation'),
    hostGroupIds: entry('host_group_ids must be a list of 1 to 100 host group ids', 400, 'validation'),
    selectionRequired: entry('Choose hosts: send host_ids or a filter (not both)', 400),
    noHosts: entry('The selection holds no hosts', 400),
    tooManyHosts: entry(
      'Too many hosts selected',
      400,
      'error+message',
      (max: number, count: number) =>
        `A bulk action takes at most ${max} hosts; this selection holds ${count}. Narrow the filter or split it.`
    ),
    groupsRequired: entry('Choose the host groups: host_group_ids is required for assign_groups and remove_groups', 400),
    groupsNotAllowed: entry('host_group_ids goes only with assign_groups or remove_groups', 400),
    // Per host, inside the summary.
    agentNotConnected: entry(
      'Agent is not connected: it gets no live request until it reconnects (it still reports at its update interval)',
      200,
      'item'
    ),
    agentNeverReported: entry('No agent has reported from this host yet', 200, 'item'),
    legacyAgent: entry(
      (version: string) => `Agent ${version} has no live channel and cannot receive requests; reinstall a current agent on this host`,
      200,
      'item'
    ),
    alreadyInGroups: entry('Already in every chosen group', 200, 'item'),
    inNoneOfGroups: entry('In none of the chosen groups', 200, 'item'),
    keyNotDelivered: entry(
      'The agent cannot receive its new key: it stops reporting until the new key is installed on the host (patchmon-agent config set-api)',
      200,
      'item'
    ),
    changeFailed: entry('The change could not be saved; nothing changed on this host', 200, 'item')
  }
} as const
