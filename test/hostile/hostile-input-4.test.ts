// Shard 4 of the hostile-input suite (test/hostile/hostile-run.ts deals the operations).
import t from 'tap'
import { runHostileShard } from './hostile-run.js'

t.test('every route survives generated hostile input (shard 4)', (t) => runHostileShard(t, 3))
