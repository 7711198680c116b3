// A local stand-in for discord.com/api on 127.0.0.1: /oauth2/authorize (checks the URL and
// redirects back with a code, as Discord does after the user accepts), /oauth2/token (checks
// the client credentials, the code, the redirect URI and that SHA-256(code_verifier) is the
// challenge it saw) and /users/@me. It records what it refused, so tests can say why.
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'

export interface FakeDiscordUser {
  id: string
  username: string
  global_name?: string | null
  email?: string | null
  verified?: boolean
  avatar?: string | null
}

interface IssuedCode {
  challenge: string
  redirectUri: string
  user: FakeDiscordUser
}

export class FakeDiscord {
  readonly clientId = '1234567890123456789'
  readonly clientSecret = `fake-discord-secret-${randomBytes(12).toString('hex')}`
  /** Who "accepts" on the next authorisation. */
  nextUser: FakeDiscordUser = { id: '80351110224678912', username: 'nelly', email: 'nelly@example.com', verified: true, avatar: null }
  /** When set, /users/@me answers with this status. */
  profileStatus = 200
  readonly refusals: string[] = []
  readonly accessTokens: string[] = []
  tokenExchanges = 0
  private readonly codes = new Map<string, IssuedCode>()
  private readonly tokens = new Map<string, FakeDiscordUser>()
  /** Base URL to put in PATCHMON_DISCORD_API_URL; known once the server listens. */
  apiUrl = ''
  private constructor() {}

  static async start(t: Test): Promise<FakeDiscord> {
    const fake = new FakeDiscord()
    const server = createServer((req, res) => {
      fake.handle(req, res).catch(() => res.writeHead(500).end())
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    fake.apiUrl = `http://127.0.0.1:${port}/api`
    t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
    return fake
  }

  private refuse(res: ServerResponse, status: number, error: string, reason: string): void {
    this.refusals.push(reason)
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error }))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiUrl)
    if (req.method === 'GET' && url.pathname === '/api/oauth2/authorize') return this.authorize(url, res)
    if (req.method === 'POST' && url.pathname === '/api/oauth2/token') return this.token(req, res)
    if (req.method === 'GET' && url.pathname === '/api/users/@me') return this.me(req, res)
    res.writeHead(404).end()
  }

  private authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams
    if (q.get('client_id') !== this.clientId) return this.refuse(res, 400, 'invalid_client', 'authorize: client_id')
    if (q.get('response_type') !== 'code') return this.refuse(res, 400, 'unsupported_response_type', 'authorize: response_type')
    if (q.get('scope') !== 'identify email') return this.refuse(res, 400, 'invalid_scope', 'authorize: scope')
    if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge'))
      return this.refuse(res, 400, 'invalid_request', 'authorize: pkce')
    const redirectUri = q.get('redirect_uri')
    const state = q.get('state')
    if (!redirectUri || !state) return this.refuse(res, 400, 'invalid_request', 'authorize: redirect_uri/state')
    const code = randomBytes(15).toString('hex')
    this.codes.set(code, { challenge: q.get('code_challenge') as string, redirectUri, user: { ...this.nextUser } })
    res.writeHead(302, { location: `${redirectUri}?${new URLSearchParams({ code, state }).toString()}` }).end()
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.tokenExchanges++
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return this.refuse(res, 400, 'invalid_request', 'token: content-type')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret)
      return this.refuse(res, 401, 'invalid_client', 'token: client credentials')
    if (form.get('grant_type') !== 'authorization_code') return this.refuse(res, 400, 'unsupported_grant_type', 'token: grant_type')
    const issued = this.codes.get(form.get('code') ?? '')
    if (!issued) return this.refuse(res, 400, 'invalid_grant', 'token: unknown code')
    this.codes.delete(form.get('code') ?? '') // codes are single use
    if (form.get('redirect_uri') !== issued.redirectUri) return this.refuse(res, 400, 'invalid_grant', 'token: redirect_uri')
    const verifier = form.get('code_verifier') ?? ''
    if (createHash('sha256').update(verifier).digest('base64url') !== issued.challenge)
      return this.refuse(res, 400, 'invalid_grant', 'token: pkce verifier')
    const accessToken = randomBytes(20).toString('hex')
    this.accessTokens.push(accessToken)
    this.tokens.set(accessToken, issued.user)
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: 604800,
        refresh_token: randomBytes(20).toString('hex'),
        scope: 'identify email'
      })
    )
  }

  private me(req: IncomingMessage, res: ServerResponse): void {
    const user = this.tokens.get(String(req.headers.authorization ?? '').replace(/^Bearer /, ''))
    if (!user) return this.refuse(res, 401, '401: Unauthorized', 'me: token')
    if (this.profileStatus !== 200) return this.refuse(res, this.profileStatus, 'server error', 'me: forced failure')
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: user.id,
        username: user.username,
        global_name: user.global_name ?? null,
        avatar: user.avatar ?? null,
        discriminator: '0',
        email: user.email ?? null,
        verified: user.verified ?? false
      })
    )
  }
}
