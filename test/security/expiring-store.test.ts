import t from 'tap'
import { ExpiringStore } from '../../src/security/expiring-store.js'

t.test('entries are single use and expire after their lifetime', async (t) => {
  const store = new ExpiringStore<number>(1000)
  let now = 0
  store.now = () => now
  store.put('a', 1)
  store.put('b', 2)
  t.equal(store.peek('a'), 1, 'peek does not consume')
  t.equal(store.take('a'), 1)
  t.equal(store.take('a'), undefined, 'a second take finds nothing')
  now = 999
  t.equal(store.peek('b'), 2, 'alive just before its lifetime ends')
  now = 1000
  t.equal(store.take('b'), undefined, 'gone at its lifetime')
})

t.test('the store is bounded: expired entries go first, then the oldest live ones', async (t) => {
  const store = new ExpiringStore<string>(1000, 3)
  let now = 0
  store.now = () => now
  store.put('old', 'x')
  now = 500
  store.put('k1', '1')
  store.put('k2', '2')
  now = 1200 // "old" has expired, k1/k2 have not
  store.put('k3', '3')
  t.equal(store.size, 3, 'the expired entry made room')
  t.same([store.peek('k1'), store.peek('k2'), store.peek('k3')], ['1', '2', '3'])
  store.put('k4', '4')
  t.equal(store.size, 3, 'never more than the bound')
  t.equal(store.peek('k1'), undefined, 'the oldest live entry was dropped')
  t.equal(store.peek('k4'), '4')
})
