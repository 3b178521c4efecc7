/** startServer in-process: what `usersig serve` calls. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { ConfigError, startServer } from '../src/index.js'
import { checkLogsAtEnd, jwt, JWT_SECRET, remember, SECRET_KEY, testLogger, tmpDir } from './helpers.js'

checkLogsAtEnd()

test('startServer: listens on the given host/port, serves, drains on close()', async () => {
  const dir = tmpDir()
  writeFileSync(join(dir, 'key'), SECRET_KEY)
  const file = join(dir, 'c.json')
  writeFileSync(file, JSON.stringify({ apps: [{ sdkAppId: 1400000001, secretKeyFile: 'key' }], auth: { jwt: { secretEnv: 'JWT' } }, server: { consoleDir: null } }))
  const banner: string[] = []
  const s = await startServer({ configFile: file, env: { JWT: JWT_SECRET }, port: 0, host: '127.0.0.1', handleSignals: false, logger: testLogger(), banner: (t) => banner.push(t) })
  assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  assert.match(banner.join(''), /listening on http:\/\/127\.0\.0\.1/)
  assert.doesNotMatch(banner.join(''), /DEMO/)
  const res = await fetch(`${s.url}/v1/usersig`, { method: 'POST', headers: { authorization: `Bearer ${await jwt({}, { iss: 'a', aud: 'b' })}`, 'content-type': 'application/json' }, body: '{}' })
  assert.equal(res.status, 200)
  remember(((await res.json()) as { userSig: string }).userSig)
  // reload() re-reads the file: a new key is used from then on.
  writeFileSync(join(dir, 'key'), 'b'.repeat(64))
  remember('b'.repeat(64))
  const next = s.reload()
  assert.equal(next.apps[0]!.algorithm === 'hmac' && next.apps[0]!.secretKey, 'b'.repeat(64))
  assert.equal(await s.close(), true)
  assert.equal(await s.close(), true, 'idempotent')
})

test('startServer refuses the demo on a non-loopback host, also from --host', async () => {
  const dataDir = join(tmpDir(), '.data')
  await assert.rejects(startServer({ env: { USERSIG_DATA_DIR: dataDir }, host: '0.0.0.0', port: 0, handleSignals: false, banner: false, logger: testLogger() }), ConfigError)
  await assert.rejects(startServer({ env: { USERSIG_DATA_DIR: dataDir, HOST: '0.0.0.0' }, port: 0, handleSignals: false, banner: false, logger: testLogger() }), (e: ConfigError) => e.field === 'HOST (environment)')
})
