import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { APP_VERSION } from '../src/version.js'

t.test('src/version.ts matches package.json', async (t) => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }
  t.equal(APP_VERSION, pkg.version)
})
