import t from 'tap'
import { hostStatusFromLastReport, inactiveCutoff } from '../../src/hosts/host-status.js'

const NOW = Date.parse('2026-11-25T12:00:00Z')

t.test('a host is pending until its first report or ping', async (t) => {
  t.equal(hostStatusFromLastReport('pending', null, 60, NOW), 'pending')
  t.equal(hostStatusFromLastReport('active', null, 60, NOW), 'pending', 'no last report means nothing heard yet')
})

t.test('a host is active within 2 x the update interval and inactive after', async (t) => {
  t.equal(hostStatusFromLastReport('active', '2026-11-25T11:30:00Z', 60, NOW), 'active')
  t.equal(hostStatusFromLastReport('active', '2026-11-25T10:00:00Z', 60, NOW), 'active', 'exactly 2 intervals is still active')
  t.equal(hostStatusFromLastReport('active', '2026-11-25T09:59:59Z', 60, NOW), 'inactive')
  t.equal(
    hostStatusFromLastReport('active', '2026-11-25T11:49:00Z', 5, NOW),
    'inactive',
    'a 5-minute interval goes inactive after 10 minutes'
  )
  t.equal(hostStatusFromLastReport('active', 'garbage', 60, NOW), 'inactive')
})

t.test('the SQL cutoff matches the pure rule', async (t) => {
  t.equal(inactiveCutoff(60, NOW), '2026-11-25T10:00:00.000Z')
})
