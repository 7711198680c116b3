// The notification presets of the Add Destination form (Telegram, Pushover, Matrix, Apprise API):
// their fields, and help text saying where each value is found. Joined into CHANNELS by
// destination-channels.ts.
import type { Channel } from './channel-fields'

const PRIORITY_HINT = 'Empty: chosen from the alert severity.'

export const PRESET_CHANNELS: Channel[] = [
  {
    type: 'telegram',
    label: 'Telegram',
    fields: [
      {
        key: 'bot_token',
        label: 'Bot token',
        input: 'password',
        required: true,
        kept: 'has_bot_token',
        placeholder: '123456789:AAH…',
        hint: 'In Telegram, message @BotFather, send /newbot and copy the token it replies with.'
      },
      {
        key: 'chat_id',
        label: 'Chat ID',
        input: 'text',
        required: true,
        placeholder: '-1001234567890',
        hint: 'Add the bot to the group (or send it /start), post a message, then open https://api.telegram.org/bot<token>/getUpdates and copy "chat":{"id": …}. A public channel can use @channelname.'
      },
      {
        key: 'message_thread_id',
        label: 'Topic (message thread) ID',
        input: 'number',
        min: 1,
        hint: 'Optional, for groups with topics: the number after the last / in a link to the topic.'
      }
    ]
  },
  {
    type: 'pushover',
    label: 'Pushover',
    fields: [
      {
        key: 'app_token',
        label: 'Application API token',
        input: 'password',
        required: true,
        kept: 'has_app_token',
        hint: 'pushover.net → Your Applications → Create an Application/API Token; the 30-character token is at the top of its page.'
      },
      {
        key: 'user_key',
        label: 'User or group key',
        input: 'password',
        required: true,
        kept: 'has_user_key',
        hint: 'Your User Key is at the top right of the pushover.net dashboard; a delivery group has its own key.'
      },
      {
        key: 'device',
        label: 'Devices',
        input: 'text',
        placeholder: 'phone,tablet',
        hint: 'Optional: device names, comma separated. Empty: all devices.'
      },
      { key: 'priority', label: 'Priority (−2 to 1)', input: 'number', min: -2, max: 1, hint: PRIORITY_HINT }
    ]
  },
  {
    type: 'matrix',
    label: 'Matrix',
    fields: [
      { key: 'homeserver_url', label: 'Homeserver URL', input: 'url', required: true, placeholder: 'https://matrix.example.org' },
      {
        key: 'access_token',
        label: 'Access token',
        input: 'password',
        required: true,
        kept: 'has_access_token',
        hint: 'Sign in as the bot user; in Element: Settings → Help & About → Access Token. Signing that session out revokes it.'
      },
      {
        key: 'room_id',
        label: 'Room ID',
        input: 'text',
        required: true,
        placeholder: '!abcdefgh:example.org',
        hint: 'In Element: Room settings → Advanced → Internal room ID. Invite the bot user and join the room first.'
      }
    ]
  },
  {
    type: 'apprise',
    label: 'Apprise API',
    fields: [
      { key: 'server_url', label: 'Apprise API URL', input: 'url', required: true, placeholder: 'http://apprise.lan:8000' },
      {
        key: 'key',
        label: 'Configuration key',
        input: 'text',
        placeholder: 'patchmon',
        hint: 'Stateful: the {KEY} of a configuration saved on the Apprise server. Or leave empty and give URLs below.'
      },
      { key: 'tag', label: 'Tag', input: 'text', hint: 'Optional, with a key: notify only the services with this tag.' },
      {
        key: 'urls',
        label: 'Apprise URLs',
        input: 'password',
        kept: 'has_urls',
        placeholder: 'tgram://bottoken/ChatID, mailtos://…',
        hint: "Stateless: one or more Apprise URLs, comma separated. They hold the services' credentials and are kept secret."
      }
    ]
  }
]
