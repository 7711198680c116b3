import t from 'tap'
import { randomBytes } from 'node:crypto'
import { createSecretBox } from '../../src/security/secret-box.js'
import { invalidRanges, ipAllowed } from '../../src/security/ip-allow-list.js'
import { VerifiedCredentialsCache } from '../../src/security/verified-credentials-cache.js'
import { newHostApiId, newHostApiKey, newPassword, newTokenKey, newTokenSecret } from '../../src/security/random-tokens.js'
import { safeEqual, verifySecret } from '../../src/security/secret-hashing.js'
import bcrypt from 'bcrypt'

t.test('secret box seals with AES-256-GCM and refuses tampered values or another key', async (t) => {
  const box = createSecretBox(randomBytes(32))
  const sealed = box.seal('https://discord.com/api/webhooks/1/secret-path')
  t.match(sealed, /^enc:v1:[0-9a-f]{24}:[0-9a-f]{32}:[0-9a-f]+$/)
  t.notMatch(sealed, /secret-path/)
  t.equal(box.open(sealed), 'https://discord.com/api/webhooks/1/secret-path')
  t.not(box.seal('x'), box.seal('x'), 'a fresh IV each time')
  const tampered = sealed.slice(0, -2) + (sealed.endsWith('00') ? '11' : '00')
  t.throws(() => box.open(tampered), { name: 'SecretBoxError' })
  t.throws(() => createSecretBox(randomBytes(32)).open(sealed), { name: 'SecretBoxError', message: /SECRET_ENCRYPTION_KEY/ })
  t.equal(box.open('plain-legacy-value'), 'plain-legacy-value', 'unsealed legacy values read as plaintext')
})

t.test('IP allow-lists match addresses, CIDR ranges and IPv4-mapped IPv6 clients', async (t) => {
  t.ok(ipAllowed('203.0.113.9', []), 'an empty list allows everyone')
  t.ok(ipAllowed('192.168.1.10', ['192.168.1.10']))
  t.notOk(ipAllowed('192.168.1.11', ['192.168.1.10']))
  t.ok(ipAllowed('192.168.1.255', ['192.168.1.0/24']), 'last address of the range')
  t.notOk(ipAllowed('192.168.2.0', ['192.168.1.0/24']), 'first address after the range')
  t.ok(ipAllowed('::ffff:192.168.1.10', ['192.168.1.0/24']), 'v4-mapped v6 client against a v4 range')
  t.ok(ipAllowed('192.168.1.10', ['::ffff:192.168.1.0/120']), 'v4 client against a v4-mapped range')
  t.ok(ipAllowed('2001:db8::1', ['2001:db8::/32']))
  t.notOk(ipAllowed('2001:db9::1', ['2001:db8::/32']))
  t.notOk(ipAllowed('10.0.0.1', ['2001:db8::/32']), 'families never cross')
  t.notOk(ipAllowed('garbage', ['10.0.0.0/8']))
  t.same(invalidRanges(['10.0.0.0/8', '::1', '300.1.1.1', '10.0.0.0/33', 'abc', '']), ['300.1.1.1', '10.0.0.0/33', 'abc', ''])
})

t.test('the verified-credentials cache remembers successes only, expires, and forgets an owner', async (t) => {
  let now = 1_000
  const cache = new VerifiedCredentialsCache(60_000, 3, () => now)
  t.equal(cache.lookup('id', 'secret'), undefined)
  cache.remember('id', 'secret', 'owner-1')
  t.equal(cache.lookup('id', 'secret'), 'owner-1')
  t.equal(cache.lookup('id', 'other-secret'), undefined, 'a different secret never hits')
  now += 60_001
  t.equal(cache.lookup('id', 'secret'), undefined, 'expired')
  cache.remember('id', 'secret', 'owner-1')
  cache.remember('id2', 's', 'owner-2')
  cache.forgetOwner('owner-1')
  t.equal(cache.lookup('id', 'secret'), undefined)
  t.equal(cache.lookup('id2', 's'), 'owner-2')
  for (let i = 0; i < 10; i++) cache.remember(`k${i}`, 's', 'o')
  t.ok(cache.size <= 3, 'bounded size')
})

t.test('generated credentials have the documented formats', async (t) => {
  t.match(newHostApiId(), /^patchmon_[0-9a-f]{16}$/)
  t.match(newHostApiKey(), /^[0-9a-f]{64}$/)
  t.match(newTokenKey(), /^patchmon_ae_[0-9a-f]{32}$/)
  t.match(newTokenSecret(), /^[0-9a-f]{64}$/)
  t.match(newPassword(), /^[A-HJ-NP-Za-km-z2-9]{20}$/)
  t.ok(safeEqual('abc', 'abc'))
  t.notOk(safeEqual('abc', 'abd'))
  t.notOk(safeEqual('abc', 'abcd'))
})

t.test('bcrypt hashes verify under every prefix upstream PatchMon writes ($2a$, $2b$, $2y$)', async (t) => {
  const hash = bcrypt.hashSync('old-secret', 4)
  for (const prefix of ['$2a$', '$2b$', '$2y$']) {
    t.equal(await verifySecret('old-secret', prefix + hash.slice(4)), true, `${prefix} accepts the right secret`)
    t.equal(await verifySecret('other-secret', prefix + hash.slice(4)), false, `${prefix} refuses a wrong one`)
  }
  t.equal(await verifySecret('old-secret', '$2x$' + hash.slice(4)), false, 'an unknown variant is refused, not thrown')
})
