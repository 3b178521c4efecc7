/** The bundle sizes quoted in the READMEs are the build's (scripts/sizes.mjs --check), never figures typed by hand. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { childEnv } from './_helpers.js'

test('every size figure in the READMEs matches the build', () => {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const r = spawnSync(process.execPath, ['scripts/sizes.mjs', '--check'], { cwd: root, env: childEnv(), encoding: 'utf8', timeout: 120_000 })
  assert.equal(r.status, 0, r.stderr + r.stdout)
})
