import t from 'tap'
import { statSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, loadConfig, parseServerUrl } from '../../src/config.js'
import { tempDataDir } from '../helpers/test-app.js'

t.test('defaults: port 3000, data in the given folder, secrets generated once with mode 0600', async (t) => {
  const dir = tempDataDir()
  const config = loadConfig({ PATCHMON_DATA_DIR: dir })
  t.equal(config.port, 3000)
  t.equal(config.dataDir, dir)
  t.equal(config.trustProxy, false, 'TRUST_PROXY is off by default')
  t.equal(config.serverUrl, undefined)
  for (const file of ['jwt-secret', 'secret-encryption-key']) {
    t.equal(statSync(join(dir, file)).mode & 0o777, 0o600, `${file} is 0600`)
  }
  const again = loadConfig({ PATCHMON_DATA_DIR: dir })
  t.equal(again.jwtSecret, config.jwtSecret, 'the generated JWT secret is kept across starts')
  t.same(again.secretEncryptionKey, config.secretEncryptionKey)
  t.equal(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim(), config.jwtSecret)
})

t.test('a CLI flag wins over the environment, which wins over the default', async (t) => {
  const dir = tempDataDir()
  t.equal(loadConfig({ PATCHMON_DATA_DIR: dir, PORT: '4000' }).port, 4000)
  t.equal(loadConfig({ PATCHMON_DATA_DIR: dir, PORT: '4000' }, ['serve', '--port', '5000']).port, 5000)
  t.equal(loadConfig({ PATCHMON_DATA_DIR: dir, PORT: '4000' }, ['--port=5001']).port, 5001)
})

t.test('systemd STATE_DIRECTORY is the data folder unless PATCHMON_DATA_DIR is set', async (t) => {
  const dir = tempDataDir()
  t.equal(loadConfig({ STATE_DIRECTORY: dir }).dataDir, dir)
  const other = tempDataDir()
  t.equal(loadConfig({ STATE_DIRECTORY: dir, PATCHMON_DATA_DIR: other }).dataDir, other)
})

t.test('bad values stop start-up with one line naming the setting', async (t) => {
  const dir = tempDataDir()
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, /^Invalid PORT: must be an integer between 1 and 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /^Invalid PORT/],
    [{ PATCHMON_SERVER_URL: 'ftp://x' }, /^Invalid PATCHMON_SERVER_URL: must start with http:\/\/ or https:\/\//],
    [{ PATCHMON_SERVER_URL: 'not a url' }, /^Invalid PATCHMON_SERVER_URL/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid LOG_LEVEL: must be one of/],
    [{ JWT_SECRET: 'short' }, /^Invalid JWT_SECRET: must be at least 32 characters/],
    [{ RATE_LIMIT_MAX: '0' }, /^Invalid RATE_LIMIT_MAX/],
    [{ JWT_EXPIRES_IN: 'forever' }, /^Invalid JWT_EXPIRES_IN/]
  ]
  for (const [env, message] of cases) {
    t.throws(() => loadConfig({ PATCHMON_DATA_DIR: dir, ...env }), { constructor: ConfigError, message }, JSON.stringify(env))
  }
  t.throws(() => loadConfig({ PATCHMON_DATA_DIR: dir }, ['--port', 'x']), { message: /^Invalid --port/ }, 'a flag is named as the flag')
})

t.test('the server URL is stored without a trailing slash', async (t) => {
  t.equal(parseServerUrl('https://patchmon.example.com/'), 'https://patchmon.example.com')
  t.equal(parseServerUrl('http://10.0.0.5:3000/patchmon//'), 'http://10.0.0.5:3000/patchmon')
  t.throws(() => parseServerUrl('https://x.example/?a=1'), /query string/)
})

t.test('TRUST_PROXY accepts off, on, a hop count or a list of proxies', async (t) => {
  const dir = tempDataDir()
  t.equal(loadConfig({ PATCHMON_DATA_DIR: dir, TRUST_PROXY: 'false' }).trustProxy, false)
  t.equal(loadConfig({ PATCHMON_DATA_DIR: dir, TRUST_PROXY: 'true' }).trustProxy, true)
  t.equal(loadConfig({ PATCHMON_DATA_DIR: dir, TRUST_PROXY: '1' }).trustProxy, 1)
  t.same(loadConfig({ PATCHMON_DATA_DIR: dir, TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy, ['127.0.0.1', '10.0.0.0/8'])
})

t.test('SECRET_ENCRYPTION_KEY: 64 hex characters are used raw, anything else is hashed to 32 bytes', async (t) => {
  const dir = tempDataDir()
  const hex = 'ab'.repeat(32)
  t.equal(loadConfig({ PATCHMON_DATA_DIR: dir, SECRET_ENCRYPTION_KEY: hex }).secretEncryptionKey.toString('hex'), hex)
  t.equal(loadConfig({ PATCHMON_DATA_DIR: dir, SECRET_ENCRYPTION_KEY: 'a passphrase' }).secretEncryptionKey.length, 32)
})
