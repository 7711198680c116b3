// Telegram: the Bot API's sendMessage (POST https://api.telegram.org/bot<token>/sendMessage) with
// parse_mode HTML, our text escaped, cut to 4096 visible characters with a marker. The bot token is
// part of the URL path, so it is checked to be exactly a token (no "/", "?" or "#" can steer the
// request elsewhere) and cut out of every failure line.
import { badRequest } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { keptSecret, optionalInteger, requiredString } from './config-fields.js'
import { postOrThrow } from './delivery-http.js'
import { fitLines, htmlText, noticeLines } from './rich-lines.js'
import { SERVICE_ENDPOINTS, type Provider } from './provider.js'
import { jsonReply, withHint } from './service-replies.js'

export interface TelegramConfig extends Record<string, unknown> {
  bot_token: string
  chat_id: string
  message_thread_id?: number
}

const ERRORS = ERROR_MESSAGES.notificationPresets
/** "1-4096 characters after entities parsing": the visible text, which is what fitLines counts. */
export const TELEGRAM_TEXT_LIMIT = 4096
const BOT_TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/
const CHAT_ID = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/

interface TelegramError {
  description?: string
  parameters?: { migrate_to_chat_id?: number; retry_after?: number }
}

/** Telegram's description plus what to check for the failures people actually meet. */
export function describeTelegramReply(status: number, body: string): string {
  const reply = jsonReply<TelegramError>(body)
  const said = reply?.description ?? ''
  if (reply?.parameters?.migrate_to_chat_id !== undefined)
    return `${said}: the group became a supergroup; change the chat id to ${reply.parameters.migrate_to_chat_id}`
  if (status === 401 || status === 404) return withHint(said || 'Unauthorized', 'the bot token was refused; copy it again from @BotFather')
  if (status === 403)
    return withHint(said || 'Forbidden', 'the bot is not a member of the chat (add it, or for a private chat send it /start)')
  if (status === 400 && /chat not found/i.test(said)) return withHint(said, 'check the chat id, and that the bot was added to the chat')
  if (status === 429) return withHint(said || 'Too Many Requests', 'Telegram asked to slow down; retrying after the time it gave')
  return said || body
}

export const telegramProvider: Provider<TelegramConfig> = {
  name: 'telegram',
  parseConfig(input, previous) {
    const token = keptSecret(input, 'bot_token', previous?.bot_token)
    if (!token) throw badRequest(ERRORS.telegramBotTokenRequired.message)
    if (!BOT_TOKEN.test(token)) throw badRequest(ERRORS.telegramBotTokenInvalid.message)
    const chatId =
      'chat_id' in input || !previous ? requiredString(input, 'chat_id', ERRORS.telegramChatIdRequired.message, 64) : previous.chat_id
    if (!CHAT_ID.test(chatId)) throw badRequest(ERRORS.telegramChatIdInvalid.message)
    const thread = 'message_thread_id' in input ? optionalInteger(input, 'message_thread_id', 1, 2 ** 31 - 1) : previous?.message_thread_id
    return { bot_token: token, chat_id: chatId, ...(thread !== undefined ? { message_thread_id: thread } : {}) }
  },
  describe: (c) => ({ has_bot_token: true, chat_id: c.chat_id, message_thread_id: c.message_thread_id ?? null }),
  async send(config, notice, ctx) {
    const base = ctx.endpoints?.telegram ?? SERVICE_ENDPOINTS.telegram
    const body = {
      chat_id: config.chat_id,
      ...(config.message_thread_id !== undefined ? { message_thread_id: config.message_thread_id } : {}),
      text: htmlText(fitLines(noticeLines(notice), TELEGRAM_TEXT_LIMIT), '\n'),
      parse_mode: 'HTML',
      // The dashboard link would otherwise unfurl into a preview card under every alert.
      link_preview_options: { is_disabled: true }
    }
    return postOrThrow(
      ctx.http,
      { url: `${base}/bot${config.bot_token}/sendMessage`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      { describeReply: describeTelegramReply, secrets: [config.bot_token] }
    )
  }
}
