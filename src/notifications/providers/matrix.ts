// Matrix: PUT <homeserver>/_matrix/client/v3/rooms/<room id>/send/m.room.message/<txn id> with the
// access token as a Bearer header. The transaction id is the delivery id: every retry of one
// delivery reuses it, so a homeserver that already stored the event (the reply was lost) answers
// with the same event instead of posting the alert twice. msgtype m.text, not m.notice: the
// default push rules mute notices, and an alert that makes no sound defeats its purpose.
import { randomUUID } from 'node:crypto'
import { badRequest } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { httpUrl, keptSecret, requiredString } from './config-fields.js'
import { postOrThrow } from './delivery-http.js'
import { fitLines, htmlText, noticeLines, plainText } from './rich-lines.js'
import type { Provider } from './provider.js'
import { jsonReply, withHint } from './service-replies.js'

export interface MatrixConfig extends Record<string, unknown> {
  homeserver_url: string
  access_token: string
  room_id: string
}

const ERRORS = ERROR_MESSAGES.notificationPresets
// An event may be 65,536 bytes in all; this leaves room for the HTML copy and multi-byte text.
export const MATRIX_TEXT_LIMIT = 12_000
const ROOM_ID = /^![^\s:/]+:[^\s/]+$/
const ACCESS_TOKEN = /^[\x21-\x7e]{8,1024}$/

/** Matrix errors are {errcode, error}; the code says more than the status. */
export function describeMatrixReply(status: number, body: string): string {
  const reply = jsonReply<{ errcode?: string; error?: string }>(body)
  const said = [reply?.errcode, reply?.error].filter(Boolean).join(': ')
  const code = reply?.errcode ?? ''
  if (status === 401 || code === 'M_UNKNOWN_TOKEN' || code === 'M_MISSING_TOKEN')
    return withHint(said || 'Unauthorized', 'the access token was refused (logged out or revoked); create a new one')
  if (status === 403) return withHint(said || 'Forbidden', "the token's user is not in the room or may not post there; invite and join it")
  if (status === 404) return withHint(said || 'Not Found', 'check the homeserver URL and the room id')
  if (status === 429) return withHint(said || 'Too Many Requests', 'the homeserver asked to slow down; retrying after the time it gave')
  return said || body
}

export const matrixProvider: Provider<MatrixConfig> = {
  name: 'matrix',
  parseConfig(input, previous) {
    const server =
      'homeserver_url' in input || !previous
        ? httpUrl(requiredString(input, 'homeserver_url', ERRORS.matrixHomeserverRequired.message), ERRORS.matrixHomeserverInvalid.message)
        : previous.homeserver_url
    const token = keptSecret(input, 'access_token', previous?.access_token)
    if (!token) throw badRequest(ERRORS.matrixTokenRequired.message)
    if (!ACCESS_TOKEN.test(token)) throw badRequest(ERRORS.matrixTokenInvalid.message)
    const room =
      'room_id' in input || !previous ? requiredString(input, 'room_id', ERRORS.matrixRoomRequired.message, 255) : previous.room_id
    if (!ROOM_ID.test(room)) throw badRequest(ERRORS.matrixRoomInvalid.message)
    return { homeserver_url: server.replace(/\/+$/, ''), access_token: token, room_id: room }
  },
  describe: (c) => ({ homeserver_url: c.homeserver_url, room_id: c.room_id, has_access_token: true }),
  async send(config, notice, ctx) {
    const lines = fitLines(noticeLines(notice), MATRIX_TEXT_LIMIT)
    const content = {
      msgtype: 'm.text',
      body: plainText(lines),
      format: 'org.matrix.custom.html',
      formatted_body: htmlText(lines, '<br>')
    }
    const txnId = ctx.deliveryId ?? randomUUID()
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(config.room_id)}/send/m.room.message/${encodeURIComponent(txnId)}`
    return postOrThrow(
      ctx.http,
      {
        method: 'PUT',
        url: config.homeserver_url + path,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${config.access_token}` },
        body: JSON.stringify(content)
      },
      { describeReply: describeMatrixReply, secrets: [config.access_token] }
    )
  }
}
