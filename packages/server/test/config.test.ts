import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { decodeUserSig, verifyUserSig } from 'usersig'
import { legacyPublicKey } from 'usersig/legacy'
import { ConfigError, createApp, demoConfig, loadConfig, resolveConfig } from '../src/index.js'
import { checkLogsAtEnd, LEGACY_SDKAPPID, legacyApp, LOGS, post, remember, SECRET_KEY, sha256, testLogger, tmpDir, writeTmp } from './helpers.js'

checkLogsAtEnd()

function fails(input: unknown, field: string, env: Record<string, string> = {}, baseDir?: string): ConfigError {
  let err: unknown
  try {
    resolveConfig(input, { env, ...(baseDir ? { baseDir } : {}) })
  } catch (e) {
    err = e
  }
  assert.ok(err instanceof ConfigError, `expected a ConfigError for ${field}, got ${String(err)}`)
  assert.equal(err.field, field, err.message)
  for (const secret of [SECRET_KEY, 'my-very-secret-value']) assert.ok(!err.message.includes(secret), 'the message never echoes a value')
  return err
}

const app1 = { sdkAppId: 1400000001, secretKey: SECRET_KEY }

test('validation errors name the bad field', () => {
  fails({}, 'apps')
  fails({ apps: [] }, 'apps')
  fails({ apps: [{ ...app1, sdkAppId: 'abc' }] }, 'apps[0].sdkAppId')
  fails({ apps: [{ ...app1, sdkAppId: 0 }] }, 'apps[0].sdkAppId')
  fails({ apps: [{ sdkAppId: 1400000001 }] }, 'apps[0].secretKey')
  fails({ apps: [{ ...app1, secretKey: ` ${SECRET_KEY}` }] }, 'apps[0].secretKey')
  fails({ apps: [{ ...app1, secretKey: 'my-very-secret-value', secretKeyEnv: 'X' }] }, 'apps[0].secretKeyEnv')
  fails({ apps: [{ ...app1, secretkey: 'x' }] }, 'apps[0].secretkey')
  assert.match(fails({ apps: [{ ...app1, secretkey: 'x' }] }, 'apps[0].secretkey').message, /did you mean "secretKey"/)
  fails({ apps: [app1, app1] }, 'apps[1].sdkAppId')
  fails({ apps: [app1], defaultSdkAppId: 5 }, 'defaultSdkAppId')
  fails({ apps: [{ ...app1, userIdPolicy: 'loose' }] }, 'apps[0].userIdPolicy')
  fails({ apps: [{ ...app1, userSig: { minExpiresIn: '2d', maxExpiresIn: '1d' } }] }, 'apps[0].userSig.minExpiresIn')
  fails({ apps: [{ ...app1, userSig: { defaultExpiresIn: '30d' } }] }, 'apps[0].userSig.defaultExpiresIn')
  fails({ apps: [{ ...app1, userSig: { maxExpiresIn: 'forever' } }] }, 'apps[0].userSig.maxExpiresIn')
  fails({ apps: [app1], server: { port: 70000 } }, 'server.port')
  fails({ apps: [app1], server: { cors: { origins: ['*'] } } }, 'server.cors.origins[0]')
  fails({ apps: [app1], server: { cors: { origins: ['https://a.example/'] } } }, 'server.cors.origins[0]')
  fails({ apps: [app1], server: { cors: { origins: ['https://a.example', 'null'], credentials: true } } }, 'server.cors.origins[1]')
  assert.deepEqual(resolveConfig({ apps: [app1], server: { cors: { origins: ['null'] } } }).server.cors.origins, ['null'])
  fails({ apps: [app1], server: { trustProxy: ['10.0.0.0/33'] } }, 'server.trustProxy[0]')
  fails({ apps: [app1], auth: { jwt: { secret: 'short' } } }, 'auth.jwt.secret')
  fails({ apps: [app1], auth: { jwt: {} } }, 'auth.jwt')
  fails({ apps: [app1], auth: { jwt: { jwksUrl: 'https://idp.example/jwks' } } }, 'auth.jwt.audience')
  fails({ apps: [app1], auth: { jwt: { jwksUrl: 'http://idp.example/jwks', audience: 'x' } } }, 'auth.jwt.jwksUrl')
  fails({ apps: [app1], auth: { jwt: { secret: 'x'.repeat(32), algorithms: ['RS256'] } } }, 'auth.jwt.algorithms[0]')
  fails({ apps: [app1], auth: { trustedHeader: { header: 'x-user-id' } } }, 'auth.trustedHeader.proxies')
  fails({ apps: [app1], auth: { trustedHeader: { proxies: ['example.com'] } } }, 'auth.trustedHeader.proxies[0]')
  fails({ apps: [app1], auth: { forwardAuth: { url: 'not a url' } } }, 'auth.forwardAuth.url')
  fails({ apps: [app1], auth: { apiKeys: [{ name: 'a', sha256: 'abc' }] } }, 'auth.apiKeys[0].sha256')
  fails({ apps: [app1], auth: { apiKeys: [{ name: 'a', key: 'short' }] } }, 'auth.apiKeys[0].key')
  fails({ apps: [app1], auth: { apiKeys: [{ name: 'a', sha256: sha256('x'), scopes: ['root'] }] } }, 'auth.apiKeys[0].scopes[0]')
  fails({ apps: [app1], auth: { demo: true } }, 'auth.demo')
  fails({ apps: [app1], demo: true, auth: { demo: true }, server: { host: '0.0.0.0' } }, 'server.host')
  fails({ apps: [app1], policy: { privateMapKey: { rules: [{ rooms: ['*'] }] } } }, 'policy.privateMapKey.rules[0].privileges')
  fails({ apps: [app1], policy: { privateMapKey: { rules: [{ rooms: ['*'], privileges: 'boss' }] } } }, 'policy.privateMapKey.rules[0].privileges')
  fails({ apps: [app1], policy: { privateMapKey: { rules: [{ rooms: [], privileges: 1 }] } } }, 'policy.privateMapKey.rules[0].rooms')
  fails({ apps: [app1], policy: { privateMapKey: { rules: [{ rooms: ['/(/'], privileges: 1 }] } } }, 'policy.privateMapKey.rules[0].rooms[0]')
  fails({ apps: [app1], policy: { privateMapKey: { rules: [{ rooms: ['*'], privileges: 1, apps: [5] }] } } }, 'policy.privateMapKey.rules[0].apps[0]')
  fails({ apps: [app1], policy: { privateMapKey: { rules: [{ rooms: ['*'], privileges: 1 }], webhook: { url: 'https://x.example' } } } }, 'policy.privateMapKey.webhook')
  fails({ apps: [app1], rateLimit: { perUser: '10 per minute' } }, 'rateLimit.perUser')
  fails({ apps: [app1], rateLimit: { store: 'redis' } }, 'rateLimit.redis.url')
  fails({ apps: [app1], rateLimit: { store: 'redis', redis: { url: 'http://x' } } }, 'rateLimit.redis.url')
  fails({ apps: [app1], rateLimit: { store: 'redis', redis: { url: 'redis://x', failMode: 'open' } } }, 'rateLimit.redis.failMode')
  fails({ apps: [app1], log: { level: 'loud' } }, 'log.level')
  fails({ apps: [app1], extra: 1 }, 'extra')
})

test('defaults', () => {
  const c = resolveConfig({ apps: [app1] })
  assert.equal(c.server.host, '127.0.0.1')
  assert.equal(c.server.port, 8080)
  assert.equal(c.server.bodyLimit, 8192)
  assert.deepEqual(c.apps[0]!.userSigExpiresIn, { defaultExpiresIn: 86400, minExpiresIn: 300, maxExpiresIn: 604800 })
  assert.deepEqual(c.apps[0]!.privateMapKeyExpiresIn, { defaultExpiresIn: 300, minExpiresIn: 60, maxExpiresIn: 86400 })
  assert.equal(c.apps[0]!.userIdPolicy, 'im')
  assert.equal(c.rateLimit.store, 'memory')
  assert.deepEqual(c.rateLimit.perUser, { limit: 30, window: 60 })
  assert.equal(c.auth.jwt, null)
  assert.equal(c.demo, false)
})

test('secrets from files (relative to the config file) and from environment variables', () => {
  const dir = tmpDir()
  writeFileSync(join(dir, 'key'), SECRET_KEY + '\n', { mode: 0o600 })
  writeFileSync(join(dir, 'jwt'), 'j'.repeat(40), { mode: 0o600 })
  const c = resolveConfig({
    apps: [{ sdkAppId: 1400000001, secretKeyFile: 'key' }],
    auth: { jwt: { secretFile: 'jwt' }, apiKeys: [{ name: 'env', keyEnv: 'MY_API_KEY' }] },
  }, { env: { MY_API_KEY: 'k'.repeat(20) }, baseDir: dir })
  assert.equal(c.apps[0]!.algorithm === 'hmac' && c.apps[0]!.secretKey, SECRET_KEY, 'one trailing newline dropped')
  assert.equal(c.auth.jwt!.secret, 'j'.repeat(40))
  assert.deepEqual(Buffer.from(c.auth.apiKeys[0]!.sha256).toString('hex'), sha256('k'.repeat(20)))
  fails({ apps: [{ sdkAppId: 1400000001, secretKeyFile: 'missing' }] }, 'apps[0].secretKeyFile', {}, dir)
  fails({ apps: [{ sdkAppId: 1400000001, secretKeyEnv: 'NOPE' }] }, 'apps[0].secretKeyEnv')
  writeFileSync(join(dir, 'pem'), '-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----\n')
  fails({ apps: [{ sdkAppId: 1400000001, secretKeyFile: 'pem' }] }, 'apps[0].secretKeyFile', {}, dir)
})

test('environment variables override the file and can define an app alone', () => {
  const dir = tmpDir()
  const keyFile = writeTmp('k', SECRET_KEY, dir)
  const env = {
    USERSIG_SDKAPPID: '1400000009', USERSIG_SECRET_KEY_FILE: keyFile, PORT: '9090', HOST: '0.0.0.0',
    USERSIG_JWT_SECRET: 's'.repeat(32), USERSIG_JWT_AUDIENCE: 'a,b', USERSIG_JWT_ISSUER: 'https://i', USERSIG_JWT_USER_ID_CLAIM: 'uid',
    USERSIG_ADMIN_KEY_SHA256: sha256('admin-key-xxxxxxxxxx'), USERSIG_RATE_LIMIT_PER_USER: '5/10s', USERSIG_RATE_LIMIT_PER_IP: 'off',
    USERSIG_CORS_ORIGINS: 'https://app.example,https://admin.example', USERSIG_LOG_LEVEL: 'warn', USERSIG_TRUST_PROXY: '10.0.0.1',
    USERSIG_REDIS_URL: 'redis://127.0.0.1:6390', USERSIG_REDIS_FAIL_MODE: 'local', USERSIG_USER_ID_POLICY: 'strict',
    USERSIG_ALLOW_UNUSUAL_USER_ID: 'true',
  }
  const { config: c, source } = loadConfig({ env })
  assert.equal(source, 'environment')
  assert.equal(c.apps[0]!.sdkAppId, 1400000009)
  assert.equal(c.apps[0]!.userIdPolicy, 'strict')
  assert.equal(c.apps[0]!.allowUnusualUserId, true)
  assert.equal(c.server.port, 9090)
  assert.equal(c.server.host, '0.0.0.0')
  assert.deepEqual(c.auth.jwt!.audience, ['a', 'b'])
  assert.equal(c.auth.jwt!.userIdClaim, 'uid')
  assert.equal(c.auth.apiKeys.length, 1)
  assert.deepEqual(c.rateLimit.perUser, { limit: 5, window: 10 })
  assert.equal(c.rateLimit.perIp, null)
  assert.deepEqual(c.server.cors.origins, ['https://app.example', 'https://admin.example'])
  assert.deepEqual(c.server.trustProxy, ['10.0.0.1'])
  assert.equal(c.log.level, 'warn')
  assert.equal(c.rateLimit.store, 'redis')
  assert.equal(c.rateLimit.redis!.failMode, 'local')

  // A YAML file, with one app's key replaced from the environment.
  const yaml = writeTmp('usersig.config.yaml', [
    'server:', '  port: 8081', 'apps:', '  - sdkAppId: 1400000001', '    secretKeyFile: ./k', '  - sdkAppId: 1400000002', '    secretKeyEnv: SECOND_KEY',
    'defaultSdkAppId: 1400000002',
  ].join('\n'), dir)
  const fromFile = loadConfig({ file: yaml, env: { SECOND_KEY: 'b'.repeat(64), USERSIG_SDKAPPID: '1400000001', USERSIG_SECRET_KEY: 'c'.repeat(64), PORT: '8082' } })
  assert.equal(fromFile.source, yaml)
  assert.equal(fromFile.config.server.port, 8082)
  assert.equal(fromFile.config.defaultSdkAppId, 1400000002)
  const a1 = fromFile.config.apps[0]!
  assert.equal(a1.algorithm === 'hmac' && a1.secretKey, 'c'.repeat(64))
  const json = writeTmp('c.json', JSON.stringify({ apps: [{ sdkAppId: 1400000001, secretKeyFile: './k' }] }), dir)
  assert.equal(loadConfig({ file: json, env: {} }).config.apps.length, 1)

  assert.throws(() => loadConfig({ env: { USERSIG_SDKAPPID: '1400000009' } }), (e: ConfigError) => e.field === 'USERSIG_SDKAPPID (environment)')
  assert.throws(() => loadConfig({ env: { USERSIG_SECRET_KEY: 'x' } }), (e: ConfigError) => e.field === 'USERSIG_SECRET_KEY (environment)')
  assert.throws(() => loadConfig({ env: { ...env, PORT: 'eighty' } }), (e: ConfigError) => e.field === 'PORT (environment)')
  assert.throws(() => loadConfig({ file: join(dir, 'missing.yaml'), env: {} }), ConfigError)
  const broken = writeTmp('broken.yaml', 'apps: [', dir)
  assert.throws(() => loadConfig({ file: broken, env: {} }), (e: ConfigError) => /cannot parse/.test(e.message))
  assert.throws(() => loadConfig({ file: writeTmp('c.toml', '', dir), env: {} }), /\.json, \.yaml or \.yml/)
})

test('demo config: generated key kept in the data dir (0600) across restarts; loopback only', () => {
  const dataDir = join(tmpDir(), '.data')
  const a = demoConfig({ dataDir, env: {} })
  const keyFile = join(dataDir, 'demo-secret-key')
  assert.equal(statSync(keyFile).mode & 0o777, 0o600)
  assert.equal(statSync(join(dataDir, 'demo-admin-key')).mode & 0o777, 0o600)
  const key = readFileSync(keyFile, 'utf8').trim()
  assert.match(key, /^[0-9a-f]{64}$/)
  remember(key)
  remember(readFileSync(join(dataDir, 'demo-admin-key'), 'utf8').trim())
  const b = demoConfig({ dataDir, env: {} })
  assert.equal(a.apps[0]!.algorithm === 'hmac' && a.apps[0]!.secretKey, key)
  assert.equal(b.apps[0]!.algorithm === 'hmac' && b.apps[0]!.secretKey, key, 'restart keeps the key')
  assert.equal(a.demo, true)
  assert.equal(a.auth.demo, true)
  assert.throws(() => demoConfig({ dataDir, env: { HOST: '0.0.0.0' } }), (e: ConfigError) => e.field === 'HOST (environment)')
  const loaded = loadConfig({ env: { USERSIG_DATA_DIR: dataDir } })
  assert.equal(loaded.source, 'demo')
  assert.equal(loaded.dataDir, dataDir)
})

test('a legacy ECDSA app issues v1 UserSigs and PrivateMapKeys, verified with its public key', async () => {
  for (const curve of ['P-256', 'secp256k1'] as const) {
    const { app: a, publicKeyPem } = await legacyApp(curve)
    const { jwt, bearer } = await import('./helpers.js')
    const h = bearer(await jwt({ roles: ['host'] }))
    const r = await post(a, '/v1/usersig', {}, h)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.equal(decodeUserSig(r.body.userSig).version, 'v1')
    assert.equal(verifyUserSig(r.body.userSig, { sdkAppId: LEGACY_SDKAPPID, userId: 'alice', publicKey: legacyPublicKey(publicKeyPem) }).ok, true)
    const pmk = await post(a, '/v1/private-map-key', { strRoomId: 'live-1' }, h)
    assert.equal(pmk.status, 200, JSON.stringify(pmk.body))
    const v = verifyUserSig(pmk.body.userSig, { sdkAppId: LEGACY_SDKAPPID, userId: 'alice', publicKey: legacyPublicKey(publicKeyPem) })
    assert.equal(v.ok, true)
    if (v.ok) assert.equal(v.payload.privateMapKey?.privileges, 255)
    const apps = await a.inject({ method: 'GET', url: '/v1/admin/apps', headers: { 'x-api-key': (await import('./helpers.js')).ADMIN_KEY } })
    assert.equal(apps.json().apps[0].algorithm, 'ecdsa')
    await a.close()
  }
})

test('metrics.requireApiKey: off by default, needs a key that can read /metrics, settable from the environment', () => {
  assert.equal(resolveConfig({ apps: [app1] }).metrics.requireApiKey, false)
  fails({ apps: [app1], metrics: { requireApiKey: true } }, 'metrics.requireApiKey')
  fails({ apps: [app1], metrics: { requireApiKey: 'yes' } }, 'metrics.requireApiKey')
  fails({ apps: [app1], metrics: { requireKey: true } }, 'metrics.requireKey')
  fails({ apps: [app1], metrics: { requireApiKey: true }, auth: { apiKeys: [{ name: 'support', sha256: sha256('support-key-xxxxxxxx'), scopes: ['verify'] }] } }, 'metrics.requireApiKey')
  fails({ apps: [app1], auth: { apiKeys: [{ name: 'p', sha256: sha256('prom-key-xxxxxxxxxxx'), scopes: ['prometheus'] }] } }, 'auth.apiKeys[0].scopes[0]')
  const c = resolveConfig({ apps: [app1], metrics: { requireApiKey: true }, auth: { apiKeys: [{ name: 'prometheus', sha256: sha256('prom-key-xxxxxxxxxxx'), scopes: ['metrics'] }] } })
  assert.equal(c.metrics.requireApiKey, true)
  const env = { USERSIG_ADMIN_KEY_SHA256: sha256('admin-key-xxxxxxxxxx'), USERSIG_METRICS_REQUIRE_API_KEY: 'true' }
  assert.equal(resolveConfig({ apps: [app1] }, { env }).metrics.requireApiKey, true)
  fails({ apps: [app1] }, 'USERSIG_METRICS_REQUIRE_API_KEY (environment)', { ...env, USERSIG_METRICS_REQUIRE_API_KEY: 'yes' })
})

test('rateLimit.redis.cluster: off by default, a boolean, settable from the environment', () => {
  const redis = { url: 'redis://127.0.0.1:7000' }
  assert.equal(resolveConfig({ apps: [app1], rateLimit: { redis } }).rateLimit.redis!.cluster, false)
  assert.equal(resolveConfig({ apps: [app1], rateLimit: { redis: { ...redis, cluster: true } } }).rateLimit.redis!.cluster, true)
  fails({ apps: [app1], rateLimit: { redis: { ...redis, cluster: 'yes' } } }, 'rateLimit.redis.cluster')
  assert.equal(resolveConfig({ apps: [app1] }, { env: { USERSIG_REDIS_URL: 'redis://127.0.0.1:7000', USERSIG_REDIS_CLUSTER: 'true' } }).rateLimit.redis!.cluster, true)
  fails({ apps: [app1] }, 'USERSIG_REDIS_CLUSTER (environment)', { USERSIG_REDIS_URL: 'redis://127.0.0.1:7000', USERSIG_REDIS_CLUSTER: '1' })
})

test('the deprecated defaultTtl/minTtl/maxTtl keys still work; the service warns at start and at each reload, naming the new key', async () => {
  const cfg = resolveConfig({ apps: [{ ...app1, userSig: { defaultTtl: '1d', maxTtl: '2d' }, privateMapKey: { minTtl: '2m' } }] })
  assert.deepEqual(cfg.apps[0]!.userSigExpiresIn, { defaultExpiresIn: 86400, minExpiresIn: 300, maxExpiresIn: 172800 })
  assert.equal(cfg.apps[0]!.privateMapKeyExpiresIn.minExpiresIn, 120)
  const want = [
    'config field "apps[0].userSig.defaultTtl" is deprecated: name it "apps[0].userSig.defaultExpiresIn"',
    'config field "apps[0].userSig.maxTtl" is deprecated: name it "apps[0].userSig.maxExpiresIn"',
    'config field "apps[0].privateMapKey.minTtl" is deprecated: name it "apps[0].privateMapKey.minExpiresIn"',
  ]
  assert.deepEqual(cfg.warnings, want)
  const warned = (from: number) => LOGS.slice(from).map((l) => JSON.parse(l)).filter((l) => l.deprecated).map((l) => [l.level, l.msg])
  const start = LOGS.length
  const a = await createApp({ config: cfg, logger: testLogger(), auditLogger: null, staticDir: null })
  assert.deepEqual(warned(start), want.map((m) => [40, m]))
  const reload = LOGS.length
  a.usersig.reload(cfg)
  assert.deepEqual(warned(reload), want.map((m) => [40, m]))
  await a.close()
  // Both names of one setting: a config error naming the old one.
  assert.match(fails({ apps: [{ ...app1, userSig: { minTtl: '1m', minExpiresIn: '2m' } }] }, 'apps[0].userSig.minTtl').message, /give only minExpiresIn/)
  assert.deepEqual(resolveConfig({ apps: [app1] }).warnings, [])
})

test('the deprecated USERSIG_USERID_POLICY is still read, and named in config.warnings (logged at start) with its new name', () => {
  const env = { USERSIG_SDKAPPID: '1400000001', USERSIG_SECRET_KEY: SECRET_KEY }
  const c = resolveConfig({}, { env: { ...env, USERSIG_USERID_POLICY: 'strict' } })
  assert.equal(c.apps[0]!.userIdPolicy, 'strict')
  assert.deepEqual(c.warnings, ['environment variable USERSIG_USERID_POLICY is deprecated: name it USERSIG_USER_ID_POLICY'])
  const renamed = resolveConfig({}, { env: { ...env, USERSIG_USER_ID_POLICY: 'strict' } })
  assert.equal(renamed.apps[0]!.userIdPolicy, 'strict')
  assert.deepEqual(renamed.warnings, [])
})
