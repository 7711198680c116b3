// A real OpenID provider (oidc-provider from npm) in its own process on 127.0.0.1, for the OIDC tests.
// Started by test/oidc/oidc-test-provider.ts; reads its set-up from OIDC_TEST_PROVIDER (JSON), prints
// "listening <port>" when ready. Its own process so its clock can be moved (clockOffsetSeconds: the
// ID tokens it signs are then expired or from the future) without moving ours. Test-only controls:
//   PUT  /__test/accounts  { "<account id>": { ...claims } }   who may sign in and what they claim
//   POST /__test/rotate                                        a new signing key; the old one is dropped
//   GET  /__test/kid                                           the key id it signs with now
// The dev interactions of oidc-provider (login form: any account id and password; consent) are the UI.
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

interface Setup {
  clientId: string
  clientSecret: string
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  clockOffsetSeconds: number
}

const setup = JSON.parse(process.env.OIDC_TEST_PROVIDER ?? '{}') as Setup
if (setup.clockOffsetSeconds) {
  const realNow = Date.now
  Date.now = () => realNow() + setup.clockOffsetSeconds * 1000
}

let accounts: Record<string, Record<string, unknown>> = {}

function newSigningKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' }
}

/** The little of oidc-provider's API used here (the package ships no type declarations). */
type ProviderClass = new (
  issuer: string,
  configuration: Record<string, unknown>
) => {
  callback(): (req: IncomingMessage, res: ServerResponse) => void
}

async function main(): Promise<void> {
  const packageName = 'oidc-provider'
  const { default: Provider } = (await import(packageName)) as { default: ProviderClass }
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined
  let issuer = ''

  const build = () => {
    const key = newSigningKey()
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: setup.clientId,
          client_secret: setup.clientSecret,
          redirect_uris: setup.redirectUris,
          post_logout_redirect_uris: setup.postLogoutRedirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic'
        }
      ],
      jwks: { keys: [key] },
      cookies: { keys: [randomUUID()] },
      pkce: { required: () => true },
      features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['preferred_username', 'name', 'given_name', 'family_name'],
        groups: ['groups']
      },
      findAccount: (_ctx: unknown, id: string) =>
        accounts[id] ? { accountId: id, claims: () => ({ sub: id, ...accounts[id] }) } : undefined
    })
    handler = provider.callback()
    return key.kid
  }

  let currentKid = ''
  const server = createServer((req, res) => {
    if (req.url === '/__test/accounts' && req.method === 'PUT') {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        accounts = JSON.parse(body) as typeof accounts
        res.writeHead(204).end()
      })
      return
    }
    if (req.url === '/__test/rotate' && req.method === 'POST') {
      currentKid = build()
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kid: currentKid }))
      return
    }
    if (req.url === '/__test/kid') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kid: currentKid }))
      return
    }
    handler(req, res)
  })
  server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    issuer = `http://127.0.0.1:${port}`
    currentKid = build()
    process.stdout.write(`listening ${port}\n`)
  })
  process.on('SIGTERM', () => server.close(() => process.exit(0)))
}

// Only ever started by oidc-test-provider.ts (a test runner given the folder just finds no tests here).
if (process.env.OIDC_TEST_PROVIDER) void main()
