/**
 * Environment variables: every setting a deployment commonly needs has one, and a variable wins over the file.
 * The table in docs/service.md lists them all; ENV_VARS below is the list the docs test checks against.
 * Secrets are passed by reference (`secretKeyEnv: "USERSIG_SECRET_KEY"`), so they are read in one place.
 */
import { resolve } from 'node:path'
import { ConfigError, isObj, type Obj } from './check.js'

export const ENV_VARS = [
  'USERSIG_CONFIG', 'HOST', 'PORT',
  'USERSIG_SDKAPPID', 'USERSIG_SECRET_KEY', 'USERSIG_SECRET_KEY_FILE', 'USERSIG_PRIVATE_KEY_FILE', 'USERSIG_USERID_POLICY',
  'USERSIG_JWT_SECRET', 'USERSIG_JWT_SECRET_FILE', 'USERSIG_JWKS_URL', 'USERSIG_JWKS_FILE', 'USERSIG_JWT_ISSUER',
  'USERSIG_JWT_AUDIENCE', 'USERSIG_JWT_ALGORITHMS', 'USERSIG_JWT_USERID_CLAIM', 'USERSIG_JWT_ROLES_CLAIM',
  'USERSIG_JWT_REQUIRE_EXP', 'USERSIG_JWT_MAX_TOKEN_AGE', 'USERSIG_RATE_LIMIT_AUTH_FAILURES',
  'USERSIG_TRUSTED_HEADER', 'USERSIG_TRUSTED_PROXIES', 'USERSIG_FORWARD_AUTH_URL',
  'USERSIG_ADMIN_KEY_SHA256', 'USERSIG_ADMIN_KEY_FILE',
  'USERSIG_REDIS_URL', 'USERSIG_REDIS_CLUSTER', 'USERSIG_REDIS_FAIL_MODE', 'USERSIG_RATE_LIMIT_PER_USER', 'USERSIG_RATE_LIMIT_PER_IP',
  'USERSIG_CORS_ORIGINS', 'USERSIG_TRUST_PROXY', 'USERSIG_BODY_LIMIT', 'USERSIG_LOG_LEVEL', 'USERSIG_AUDIT_FILE',
  'USERSIG_METRICS_REQUIRE_API_KEY',
  'USERSIG_CONSOLE_DIR', 'USERSIG_SHUTDOWN_TIMEOUT', 'USERSIG_DRAIN_DELAY', 'USERSIG_HEADERS_TIMEOUT', 'USERSIG_REQUEST_TIMEOUT', 'USERSIG_DATA_DIR',
] as const

type Env = Record<string, string | undefined>

function section(o: Obj, key: string): Obj {
  const v = o[key]
  if (isObj(v)) {
    const copy = { ...v }
    o[key] = copy
    return copy
  }
  const fresh: Obj = {}
  o[key] = fresh
  return fresh
}

function num(env: Env, name: string, min: number, max: number): number | undefined {
  const v = env[name]
  if (v === undefined || v === '') return undefined
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new ConfigError(`${name} (environment)`, `must be an integer ${min}..${max}`)
  return Number(v)
}

function has(env: Env, name: string): boolean {
  return env[name] !== undefined && env[name] !== ''
}

/** Returns a copy of the config input with the environment applied. Relative paths in variables are relative to the cwd. */
export function applyEnv(input: unknown, env: Env): Obj {
  const c: Obj = isObj(input) ? { ...input } : {}
  const server = section(c, 'server')
  if (has(env, 'HOST')) server['host'] = env['HOST']
  const port = num(env, 'PORT', 0, 65535)
  if (port !== undefined) server['port'] = port
  const bodyLimit = num(env, 'USERSIG_BODY_LIMIT', 256, 1048576)
  if (bodyLimit !== undefined) server['bodyLimit'] = bodyLimit
  if (has(env, 'USERSIG_CORS_ORIGINS')) server['cors'] = { ...(isObj(server['cors']) ? server['cors'] : {}), origins: env['USERSIG_CORS_ORIGINS'] }
  if (has(env, 'USERSIG_TRUST_PROXY')) {
    const t = env['USERSIG_TRUST_PROXY']!
    server['trustProxy'] = t === 'true' ? true : t === 'false' ? false : t
  }
  if (has(env, 'USERSIG_CONSOLE_DIR')) server['consoleDir'] = env['USERSIG_CONSOLE_DIR'] === 'off' ? null : resolve(env['USERSIG_CONSOLE_DIR']!)
  if (has(env, 'USERSIG_SHUTDOWN_TIMEOUT')) server['shutdownTimeout'] = env['USERSIG_SHUTDOWN_TIMEOUT']
  if (has(env, 'USERSIG_DRAIN_DELAY')) server['drainDelay'] = env['USERSIG_DRAIN_DELAY']
  if (has(env, 'USERSIG_HEADERS_TIMEOUT')) server['headersTimeout'] = env['USERSIG_HEADERS_TIMEOUT']
  if (has(env, 'USERSIG_REQUEST_TIMEOUT')) server['requestTimeout'] = env['USERSIG_REQUEST_TIMEOUT']

  applyAppEnv(c, env)

  const auth = section(c, 'auth')
  const jwtVars = ['USERSIG_JWT_SECRET', 'USERSIG_JWT_SECRET_FILE', 'USERSIG_JWKS_URL', 'USERSIG_JWKS_FILE', 'USERSIG_JWT_ISSUER',
    'USERSIG_JWT_AUDIENCE', 'USERSIG_JWT_ALGORITHMS', 'USERSIG_JWT_USERID_CLAIM', 'USERSIG_JWT_ROLES_CLAIM', 'USERSIG_JWT_REQUIRE_EXP', 'USERSIG_JWT_MAX_TOKEN_AGE']
  if (jwtVars.some((n) => has(env, n))) {
    const jwt = section(auth, 'jwt')
    const keyVars = ['USERSIG_JWT_SECRET', 'USERSIG_JWT_SECRET_FILE', 'USERSIG_JWKS_URL', 'USERSIG_JWKS_FILE']
    if (keyVars.some((n) => has(env, n))) for (const k of ['secret', 'secretFile', 'secretEnv', 'jwksUrl', 'jwksFile']) delete jwt[k]
    if (has(env, 'USERSIG_JWT_SECRET')) jwt['secretEnv'] = 'USERSIG_JWT_SECRET'
    if (has(env, 'USERSIG_JWT_SECRET_FILE')) jwt['secretFile'] = resolve(env['USERSIG_JWT_SECRET_FILE']!)
    if (has(env, 'USERSIG_JWKS_URL')) jwt['jwksUrl'] = env['USERSIG_JWKS_URL']
    if (has(env, 'USERSIG_JWKS_FILE')) jwt['jwksFile'] = resolve(env['USERSIG_JWKS_FILE']!)
    if (has(env, 'USERSIG_JWT_ISSUER')) jwt['issuer'] = env['USERSIG_JWT_ISSUER']
    if (has(env, 'USERSIG_JWT_AUDIENCE')) jwt['audience'] = env['USERSIG_JWT_AUDIENCE']
    if (has(env, 'USERSIG_JWT_ALGORITHMS')) jwt['algorithms'] = env['USERSIG_JWT_ALGORITHMS']
    if (has(env, 'USERSIG_JWT_USERID_CLAIM')) jwt['userIdClaim'] = env['USERSIG_JWT_USERID_CLAIM']
    if (has(env, 'USERSIG_JWT_ROLES_CLAIM')) jwt['rolesClaim'] = env['USERSIG_JWT_ROLES_CLAIM']
    if (has(env, 'USERSIG_JWT_REQUIRE_EXP')) jwt['requireExp'] = env['USERSIG_JWT_REQUIRE_EXP']
    if (has(env, 'USERSIG_JWT_MAX_TOKEN_AGE')) jwt['maxTokenAge'] = env['USERSIG_JWT_MAX_TOKEN_AGE']
  }
  if (has(env, 'USERSIG_TRUSTED_HEADER') || has(env, 'USERSIG_TRUSTED_PROXIES')) {
    const th = section(auth, 'trustedHeader')
    if (has(env, 'USERSIG_TRUSTED_HEADER')) th['header'] = env['USERSIG_TRUSTED_HEADER']
    if (has(env, 'USERSIG_TRUSTED_PROXIES')) th['proxies'] = env['USERSIG_TRUSTED_PROXIES']
  }
  if (has(env, 'USERSIG_FORWARD_AUTH_URL')) section(auth, 'forwardAuth')['url'] = env['USERSIG_FORWARD_AUTH_URL']
  const keys: unknown[] = Array.isArray(auth['apiKeys']) ? [...auth['apiKeys']] : []
  if (has(env, 'USERSIG_ADMIN_KEY_SHA256')) {
    env['USERSIG_ADMIN_KEY_SHA256']!.split(',').map((s) => s.trim()).filter(Boolean)
      .forEach((h, i) => keys.push({ name: `env-admin-${i + 1}`, sha256: h, scopes: ['admin'] }))
  }
  if (has(env, 'USERSIG_ADMIN_KEY_FILE')) keys.push({ name: 'env-admin-file', keyFile: resolve(env['USERSIG_ADMIN_KEY_FILE']!), scopes: ['admin'] })
  if (keys.length) auth['apiKeys'] = keys

  const rl = section(c, 'rateLimit')
  if (has(env, 'USERSIG_REDIS_URL')) {
    rl['store'] = 'redis'
    const r = section(rl, 'redis')
    for (const k of ['url', 'urlFile', 'urlEnv']) delete r[k]
    r['urlEnv'] = 'USERSIG_REDIS_URL'
  }
  if (has(env, 'USERSIG_REDIS_FAIL_MODE')) section(rl, 'redis')['failMode'] = env['USERSIG_REDIS_FAIL_MODE']
  if (has(env, 'USERSIG_REDIS_CLUSTER')) {
    const v = env['USERSIG_REDIS_CLUSTER']
    if (v !== 'true' && v !== 'false') throw new ConfigError('USERSIG_REDIS_CLUSTER (environment)', 'must be true or false')
    section(rl, 'redis')['cluster'] = v === 'true'
  }
  for (const [name, key] of [['USERSIG_RATE_LIMIT_PER_USER', 'perUser'], ['USERSIG_RATE_LIMIT_PER_IP', 'perIp'], ['USERSIG_RATE_LIMIT_AUTH_FAILURES', 'authFailures']] as const) {
    if (has(env, name)) rl[key] = env[name] === 'off' ? false : env[name]
  }

  if (has(env, 'USERSIG_LOG_LEVEL')) section(c, 'log')['level'] = env['USERSIG_LOG_LEVEL']
  if (has(env, 'USERSIG_AUDIT_FILE')) section(c, 'audit')['file'] = resolve(env['USERSIG_AUDIT_FILE']!)
  if (has(env, 'USERSIG_METRICS_REQUIRE_API_KEY')) {
    const v = env['USERSIG_METRICS_REQUIRE_API_KEY']
    if (v !== 'true' && v !== 'false') throw new ConfigError('USERSIG_METRICS_REQUIRE_API_KEY (environment)', 'must be true or false')
    section(c, 'metrics')['requireApiKey'] = v === 'true'
  }
  return c
}

/** USERSIG_SDKAPPID plus a key variable define one app, or replace the key of the app with that SDKAppID. */
function applyAppEnv(c: Obj, env: Env): void {
  const keyVars = ['USERSIG_SECRET_KEY', 'USERSIG_SECRET_KEY_FILE', 'USERSIG_PRIVATE_KEY_FILE'].filter((n) => has(env, n))
  if (!has(env, 'USERSIG_SDKAPPID')) {
    // A config that names the variable itself (secretKeyEnv: "USERSIG_SECRET_KEY") already says which app it is for.
    const named = (v: string): boolean => Array.isArray(c['apps']) && c['apps'].some((a) => isObj(a) && a['secretKeyEnv'] === v)
    const unclaimed = keyVars.filter((v) => !named(v))
    if (unclaimed.length) throw new ConfigError(`${unclaimed[0]} (environment)`, 'set USERSIG_SDKAPPID too, so the key is used for the right app')
    return
  }
  if (keyVars.length > 1) throw new ConfigError(`${keyVars[1]} (environment)`, `give only one of ${keyVars.join(', ')}`)
  const sdkAppId = env['USERSIG_SDKAPPID']!
  if (!/^\d+$/.test(sdkAppId)) throw new ConfigError('USERSIG_SDKAPPID (environment)', 'must be an integer 1..4294967295')
  const apps: unknown[] = Array.isArray(c['apps']) ? [...c['apps']] : []
  let idx = apps.findIndex((a) => isObj(a) && String(a['sdkAppId']) === sdkAppId)
  if (idx < 0) {
    if (keyVars.length === 0) throw new ConfigError('USERSIG_SDKAPPID (environment)', 'set USERSIG_SECRET_KEY, USERSIG_SECRET_KEY_FILE or USERSIG_PRIVATE_KEY_FILE too')
    apps.push({ sdkAppId: Number(sdkAppId) })
    idx = apps.length - 1
  }
  const app: Obj = { ...(apps[idx] as Obj) }
  if (keyVars.length) {
    for (const k of ['secretKey', 'secretKeyFile', 'secretKeyEnv', 'privateKey', 'privateKeyFile', 'privateKeyEnv']) delete app[k]
    if (keyVars[0] === 'USERSIG_SECRET_KEY') app['secretKeyEnv'] = 'USERSIG_SECRET_KEY'
    if (keyVars[0] === 'USERSIG_SECRET_KEY_FILE') app['secretKeyFile'] = resolve(env['USERSIG_SECRET_KEY_FILE']!)
    if (keyVars[0] === 'USERSIG_PRIVATE_KEY_FILE') app['privateKeyFile'] = resolve(env['USERSIG_PRIVATE_KEY_FILE']!)
  }
  if (has(env, 'USERSIG_USERID_POLICY')) app['userIdPolicy'] = env['USERSIG_USERID_POLICY']
  apps[idx] = app
  c['apps'] = apps
}
