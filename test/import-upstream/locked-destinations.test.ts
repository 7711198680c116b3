// A destination whose settings are encrypted upstream and imported without the key comes over
// disabled with a placeholder config. The placeholder must be valid for its own provider, or the
// import would stop on it: checked for every channel type we offer, so a new preset cannot forget it.
import t from 'tap'
import { mapDestination } from '../../src/import-upstream/map-alerts.js'
import { CHANNEL_TYPES } from '../../src/notifications/providers/index.js'

// Shaped like upstream's AES-GCM field (hex iv:tag:body); no key is given, so it stays locked.
const ENCRYPTED = `${'a'.repeat(32)}:${'b'.repeat(32)}:${'c'.repeat(40)}`

for (const channel of CHANNEL_TYPES) {
  t.test(`a locked ${channel} destination imports disabled with a valid placeholder`, async (t) => {
    const mapped = mapDestination(
      { id: `d-${channel}`, channel_type: channel, display_name: `Locked ${channel}`, config_encrypted: ENCRYPTED, enabled: true },
      undefined
    )
    t.notOk('skipped' in mapped, 'not skipped')
    if ('skipped' in mapped) return
    t.equal(mapped.enabled, false)
    t.match(mapped.note, /re-enter/)
  })
}
