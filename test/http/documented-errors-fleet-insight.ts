// The documented error lines of the fleet-insight features (vulnerabilities and their feeds, trends,
// the Docker and repository views, bulk host actions, notification presets), in the format of
// documented-errors.ts, which joins them to its own list.
export const FLEET_INSIGHT_ERRORS = `
vulnerabilities.importNotFound | 404 | error | Import not found |  | implementation (vulnerabilities tests)
vulnerabilities.cveNotFound | 404 | error | Vulnerability not found |  | implementation (vulnerabilities tests)
vulnerabilities.uploadEmpty | 400 | error | The upload is empty: send the feed file as the request body |  | implementation (vulnerabilities tests)
vulnerabilities.uploadTooLarge | 413 | error+message | Feed file too large | The feed file is larger than the upload limit of {0} MB: import it with \`patchmon cve import FILE\` on the server instead | implementation (vulnerabilities tests)
vulnerabilities.importRunning | 409 | error | A feed import is already running |  | implementation
vulnerabilities.downloadRunning | 409 | error | A feed download is already running |  | implementation
vulnerabilities.cve_download_enabled | 400 | validation | cve_download_enabled must be true or false |  | implementation (cve-download.test.ts)
vulnerabilities.cve_download_urls | 400 | validation | cve_download_urls must list http or https URLs without credentials (at most 20) |  | implementation (cve-download.test.ts)
vulnerabilities.cve_download_interval_hours | 400 | validation | cve_download_interval_hours must be an integer between 1 and 168 |  | implementation (cve-download.test.ts)
notificationPresets.telegramBotTokenRequired | 400 | error | Telegram bot token is required (from @BotFather) |  | implementation (notifications/presets-config.test.ts)
notificationPresets.telegramBotTokenInvalid | 400 | error | Telegram bot token must look like 123456789:AAH… (digits, a colon, then the secret from @BotFather) |  | implementation (notifications/presets-config.test.ts)
notificationPresets.telegramChatIdRequired | 400 | error | Telegram chat id is required |  | implementation (notifications/presets-config.test.ts)
notificationPresets.telegramChatIdInvalid | 400 | error | Telegram chat id must be a number such as -1001234567890, or @channelname for a public channel |  | implementation (notifications/presets-config.test.ts)
notificationPresets.pushoverTokenRequired | 400 | error | Pushover application token is required |  | implementation (notifications/presets-config.test.ts)
notificationPresets.pushoverTokenInvalid | 400 | error | Pushover application token must be the 30 letters and digits shown on your application's page |  | implementation (notifications/presets-config.test.ts)
notificationPresets.pushoverUserRequired | 400 | error | Pushover user or group key is required |  | implementation (notifications/presets-config.test.ts)
notificationPresets.pushoverUserInvalid | 400 | error | Pushover user or group key must be the 30 letters and digits shown on your Pushover dashboard |  | implementation (notifications/presets-config.test.ts)
notificationPresets.pushoverDeviceInvalid | 400 | error | Pushover device must be device names (letters, digits, _ and -, up to 25 each) separated by commas |  | implementation (notifications/presets-config.test.ts)
notificationPresets.matrixHomeserverRequired | 400 | error | Matrix homeserver URL is required |  | implementation (notifications/presets-config.test.ts)
notificationPresets.matrixHomeserverInvalid | 400 | error | Matrix homeserver URL must be a valid http(s) URL |  | implementation (notifications/presets-config.test.ts)
notificationPresets.matrixTokenRequired | 400 | error | Matrix access token is required |  | implementation (notifications/presets-config.test.ts)
notificationPresets.matrixTokenInvalid | 400 | error | Matrix access token must be printable characters without spaces |  | implementation (notifications/presets-config.test.ts)
notificationPresets.matrixRoomRequired | 400 | error | Matrix room id is required |  | implementation (notifications/presets-config.test.ts)
notificationPresets.matrixRoomInvalid | 400 | error | Matrix room id must look like !abcdefgh:example.org (Room settings → Advanced), not a #alias |  | implementation (notifications/presets-config.test.ts)
notificationPresets.appriseServerRequired | 400 | error | Apprise API server URL is required |  | implementation (notifications/presets-config.test.ts)
notificationPresets.appriseServerInvalid | 400 | error | Apprise API server URL must be a valid http(s) URL |  | implementation (notifications/presets-config.test.ts)
notificationPresets.appriseTargetRequired | 400 | error | Give either a configuration key (stateful) or Apprise URLs (stateless) |  | implementation (notifications/presets-config.test.ts)
notificationPresets.appriseTargetBoth | 400 | error | Give a configuration key or Apprise URLs, not both |  | implementation (notifications/presets-config.test.ts)
notificationPresets.appriseKeyInvalid | 400 | error | Apprise configuration key must be 1-128 letters, digits, _ or - |  | implementation (notifications/presets-config.test.ts)
inventory.repositoryNotFound | 404 | error | Repository not found |  | implementation
trends.days | 400 | validation | days must be an integer between 1 and 3650 |  | implementation (trends.test.ts)
trends.trend_retention_days | 400 | validation | Trend retention must be an integer between 30 and 3650 days |  | implementation (trends.test.ts)
feeds.unreadable | 400 | error | cannot read the feed file {file}: {reason} |  | implementation (vulnerabilities/feeds tests)
feeds.unknownFormat | 400 | error | {file} is not a vulnerability feed this server reads (an OSV zip or JSON file, the Debian security tracker JSON, or the CISA KEV catalogue as JSON or CSV): {reason} |  | implementation (vulnerabilities/feeds tests)
feeds.badGzip | 400 | error | {file} is not valid gzip data: {reason} |  | implementation (vulnerabilities/feeds tests)
feeds.badZip | 400 | error | {file} is not a readable zip archive (truncated or damaged): {reason} |  | implementation (vulnerabilities/feeds tests)
feeds.badJson | 400 | error | {file} is not valid JSON: {reason} |  | implementation (vulnerabilities/feeds tests)
feeds.notOsv | 400 | error | {file}: {entry} is not an OSV entry: {reason} |  | implementation (vulnerabilities/feeds tests)
feeds.badTracker | 400 | error | {file} does not have the shape of the Debian security tracker JSON: {reason} |  | implementation (vulnerabilities/feeds tests)
feeds.badKev | 400 | error | {file} does not have the shape of the CISA KEV catalogue: {reason} |  | implementation (vulnerabilities/feeds tests)
hostBulk.action | 400 | validation | action must be one of assign_groups, remove_groups, report_now, update_agent, rotate_credentials, delete |  | implementation (test/hosts/bulk-*.test.ts)
hostBulk.hostIds | 400 | validation | host_ids must be a list of host ids |  | implementation
hostBulk.filter | 400 | validation | filter takes the host list filters: search, group and status |  | implementation
hostBulk.hostGroupIds | 400 | validation | host_group_ids must be a list of 1 to 100 host group ids |  | implementation
hostBulk.selectionRequired | 400 | error | Choose hosts: send host_ids or a filter (not both) |  | implementation (test/hosts/bulk-*.test.ts)
hostBulk.noHosts | 400 | error | The selection holds no hosts |  | implementation (test/hosts/bulk-*.test.ts)
hostBulk.tooManyHosts | 400 | error+message | Too many hosts selected | A bulk action takes at most {0} hosts; this selection holds {1}. Narrow the filter or split it. | implementation (test/hosts/bulk-*.test.ts)
hostBulk.groupsRequired | 400 | error | Choose the host groups: host_group_ids is required for assign_groups and remove_groups |  | implementation (test/hosts/bulk-*.test.ts)
hostBulk.groupsNotAllowed | 400 | error | host_group_ids goes only with assign_groups or remove_groups |  | implementation
hostBulk.agentNotConnected | 200 | item | Agent is not connected: it gets no live request until it reconnects (it still reports at its update interval) |  | implementation (test/hosts/bulk-*.test.ts)
hostBulk.agentNeverReported | 200 | item | No agent has reported from this host yet |  | implementation (test/hosts/bulk-*.test.ts)
hostBulk.legacyAgent | 200 | item | Agent {0} has no live channel and cannot receive requests; reinstall a current agent on this host |  | implementation (test/hosts/bulk-*.test.ts)
hostBulk.alreadyInGroups | 200 | item | Already in every chosen group |  | implementation (test/hosts/bulk-*.test.ts)
hostBulk.inNoneOfGroups | 200 | item | In none of the chosen groups |  | implementation (test/hosts/bulk-*.test.ts)
hostBulk.keyNotDelivered | 200 | item | The agent cannot receive its new key: it stops reporting until the new key is installed on the host (patchmon-agent config set-api) |  | implementation (test/hosts/bulk-*.test.ts)
hostBulk.changeFailed | 200 | item | The change could not be saved; nothing changed on this host |  | implementation
`
