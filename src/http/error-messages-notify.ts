// Error messages of the notification presets (src/notifications/providers: telegram, pushover,
// matrix, apprise): part of the one table, ERROR_MESSAGES in error-messages.ts. Each is the 400 a
// create or update of /api/v1/notifications/destinations answers when that type's config is wrong,
// worded so the person filling in the form knows which value to fetch again and from where.
import { entry } from './error-entry.js'

export const NOTIFY_ERROR_MESSAGES = {
  notificationPresets: {
    telegramBotTokenRequired: entry('Telegram bot token is required (from @BotFather)', 400),
    telegramBotTokenInvalid: entry(
      'Telegram bot token must look like 123456789:AAH… (digits, a colon, then the secret from @BotFather)',
      400
    ),
    telegramChatIdRequired: entry('Telegram chat id is required', 400),
    telegramChatIdInvalid: entry('Telegram chat id must be a number such as -1001234567890, or @channelname for a public channel', 400),
    pushoverTokenRequired: entry('Pushover application token is required', 400),
    pushoverTokenInvalid: entry("Pushover application token must be the 30 letters and digits shown on your application's page", 400),
    pushoverUserRequired: entry('Pushover user or group key is required', 400),
    pushoverUserInvalid: entry('Pushover user or group key must be the 30 letters and digits shown on your Pushover dashboard', 400),
    pushoverDeviceInvalid: entry('Pushover device must be device names (letters, digits, _ and -, up to 25 each) separated by commas', 400),
    matrixHomeserverRequired: entry('Matrix homeserver URL is required', 400),
    matrixHomeserverInvalid: entry('Matrix homeserver URL must be a valid http(s) URL', 400),
    matrixTokenRequired: entry('Matrix access token is required', 400),
    matrixTokenInvalid: entry('Matrix access token must be printable characters without spaces', 400),
    matrixRoomRequired: entry('Matrix room id is required', 400),
    matrixRoomInvalid: entry('Matrix room id must look like !abcdefgh:example.org (Room settings → Advanced), not a #alias', 400),
    appriseServerRequired: entry('Apprise API server URL is required', 400),
    appriseServerInvalid: entry('Apprise API server URL must be a valid http(s) URL', 400),
    appriseTargetRequired: entry('Give either a configuration key (stateful) or Apprise URLs (stateless)', 400),
    appriseTargetBoth: entry('Give a configuration key or Apprise URLs, not both', 400),
    appriseKeyInvalid: entry('Apprise configuration key must be 1-128 letters, digits, _ or -', 400)
  }
} as const
