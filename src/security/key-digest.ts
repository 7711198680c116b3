// A fast keyed digest for high-entropy machine keys (host API keys are 256-bit random secrets).
// bcrypt stays the at-rest format; after one successful bcrypt check the server stores
// HMAC-SHA-256(server key, parts) beside it and compares that from then on, in constant time.
// A 256-bit random secret cannot be guessed through a fast digest, and without the server key
// the stored digest is useless to whoever reads the database.
// The server key is derived (HKDF) from the secret-encryption key kept in the data folder, so no
// new secret file is needed; when that key changes, digests simply stop matching and the next
// request pays bcrypt once and stores a fresh one.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'

const DIGEST_INFO = 'patchmon machine-key digest v1'

export class KeyDigester {
  private readonly key: Buffer

  constructor(serverSecret: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, Buffer.alloc(0), DIGEST_INFO, 32))
  }

  /** base64url HMAC of the parts, NUL-separated (no part contains NUL: ids, hashes, keys). */
  digest(...parts: string[]): string {
    const hmac = createHmac('sha256', this.key)
    parts.forEach((part, i) => {
      if (i > 0) hmac.update('\0')
      hmac.update(part)
    })
    return hmac.digest('base64url')
  }

  /** Constant-time: does `stored` equal the digest of the parts? False for a missing digest. */
  matches(stored: string | null | undefined, ...parts: string[]): boolean {
    if (!stored) return false
    const expected = Buffer.from(this.digest(...parts))
    const given = Buffer.from(stored)
    return given.length === expected.length && timingSafeEqual(given, expected)
  }
}
