/**
 * Environment variables: every setting a deployment commonly needs has one, and a variable wins over the file.
 * ENV_FIELDS is the one table of variable → config path; the docs table in docs/service.md is tested against it.
 * Secrets are passed by reference (`secretKeyEnv: "USERSIG_SECRET_KEY"`), so they are read in one place.
 */
import { resolve } from 'node:path'
import { ConfigError, isObj, type Obj } from './check.js'

type Env = Record<string, string | undefined>

/** How a variable's text becomes a config value: as is, a path (relative to the cwd), or a checked literal. */
type Kind = 'text' | 'path' | 'bool' | 'boolOrText' | 'limit' | { int: [number, number] }

/**
 * Variables that set one field each: name → path in the config file (the schema's path) and how the text is read.
 * The variables that choose a key or add an app or API key are in applyEnv below; ENV_VARS lists both.
 */
export const ENV_FIELDS: readonly (readonly [name: string, path: string, kind: Kind])[] = [
  ['HOST', 'server.host', 'text'],
  ['PORT', 'server.port', { int: [0, 65535] }],
  ['USERSIG_BODY_LIMIT', 'server.bodyLimit', { int: [256, 1048576] }],
  ['USERSIG_CORS_ORIGINS', 'server.cors.origins', 'text'],
  ['USERSIG_TRUST_PROXY', 'server.trustProxy', 'boolOrText'],
  ['USERSIG_CONSOLE_DIR', 'server.consoleDir', 'path'],
  ['USERSIG_SHUTDOWN_TIMEOUT', 'server.shutdownTimeout', 'text'],
  ['USERSIG_DRAIN_DELAY', 'server.drainDelay', 'text'],
  ['USERSIG_HEADERS_TIMEOUT', 'server.headersTimeout', 'text'],
  ['USERSIG_REQUEST_TIMEOUT', 'server.requestTimeout', 'text'],
  ['USERSIG_USERID_POLICY', 'apps[].userIdPolicy', 'text'],
  ['USERSIG_JWKS_URL', 'auth.jwt.jwksUrl', 'text'],
  ['USERSIG_JWKS_FILE', 'auth.jwt.jwksFile', 'path'],
  ['USERSIG_JWT_SECRET_FILE', 'auth.jwt.secretFile', 'path'],
  ['USERSIG_JWT_ISSUER', 'auth.jwt.issuer', 'text'],
  ['USERSIG_JWT_AUDIENCE', 'auth.jwt.audience', 'text'],
  ['USERSIG_JWT_ALGORITHMS', 'auth.jwt.algorithms', 'text'],
  ['USERSIG_JWT_USERID_CLAIM', 'auth.jwt.userIdClaim', 'text'],
  ['USERSIG_JWT_ROLES_CLAIM', 'auth.jwt.rolesClaim', 'text'],
  ['USERSIG_JWT_REQUIRE_EXP', 'auth.jwt.requireExp', 'text'],
  ['USERSIG_JWT_MAX_TOKEN_AGE', 'auth.jwt.maxTokenAge', 'text'],
  ['USERSIG_TRUSTED_HEADER', 'auth.trustedHeader.header', 'text'],
  ['USERSIG_TRUSTED_PROXIES', 'auth.trustedHeader.proxies', 'text'],
  ['USERSIG_FORWARD_AUTH_URL', 'auth.forwardAuth.url', 'text'],
  ['USERSIG_REDIS_CLUSTER', 'rateLimit.redis.cluster', 'bool'],
  ['USERSIG_REDIS_FAIL_MODE', 'rateLimit.redis.failMode', 'text'],
  ['USERSIG_RATE_LIMIT_PER_USER', 'rateLimit.perUser', 'limit'],
  ['USERSIG_RATE_LIMIT_PER_IP', 'rateLimit.perIp', 'limit'],
  ['USERSIG_RATE_LIMIT_AUTH_FAILURES', 'rateLimit.authFailures', 'limit'],
  ['USERSIG_LOG_LEVEL', 'log.level', 'text'],
  ['USERSIG_AUDIT_FILE', 'audit.file', 'path'],
  ['USERSIG_METRICS_REQUIRE_API_KEY', 'metrics.requireApiKey', 'bool'],
]

/** Variables handled by code: the config file, the demo's directory, keys (by reference) and what they add. */
const ENV_SPECIAL = [
  'USERSIG_CONFIG', 'USERSIG_DATA_DIR', 'USERSIG_SDKAPPID', 'USERSIG_SECRET_KEY', 'USERSIG_SECRET_KEY_FILE', 'USERSIG_PRIVATE_KEY_FILE',
  'USERSIG_JWT_SECRET', 'USERSIG_ADMIN_KEY_SHA256', 'USERSIG_ADMIN_KEY_FILE', 'USERSIG_REDIS_URL',
] as const

export const ENV_VARS: readonly string[] = [...ENV_SPECIAL, ...ENV_FIELDS.map(([name]) => name)]

function section(o: Obj, key: string): Obj {
  const v = o[key]
  const copy: Obj = isObj(v) ? { ...v } : {}
  o[key] = copy
  return copy
}

function has(env: Env, name: string): boolean {
  return env[name] !== undefined && env[name] !== ''
}

function read(name: string, text: string, kind: Kind): unknown {
  if (kind === 'text') return text
  if (kind === 'path') return name === 'USERSIG_CONSOLE_DIR' && text === 'off' ? null : resolve(text)
  if (kind === 'limit') return text === 'off' ? false : text
  if (kind === 'boolOrText') return text === 'true' ? true : text === 'false' ? false : text
  if (kind === 'bool') {
    if (text !== 'true' && text !== 'false') throw new ConfigError(`${name} (environment)`, 'must be true or false')
    return text === 'true'
  }
  const [min, max] = kind.int
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new ConfigError(`${name} (environment)`, `must be an integer ${min}..${max}`)
  return Number(text)
}

/** Returns a copy of the config input with the environment applied. Relative paths in variables are relative to the cwd. */
export function applyEnv(input: unknown, env: Env): Obj {
  const c: Obj = isObj(input) ? { ...input } : {}
  // A JWT key from the environment replaces the file's key source (whichever kind it was).
  if (['USERSIG_JWT_SECRET', 'USERSIG_JWT_SECRET_FILE', 'USERSIG_JWKS_URL', 'USERSIG_JWKS_FILE'].some((n) => has(env, n))) {
    const jwt = section(section(c, 'auth'), 'jwt')
    for (const k of ['secret', 'secretFile', 'secretEnv', 'jwksUrl', 'jwksFile']) delete jwt[k]
    if (has(env, 'USERSIG_JWT_SECRET')) jwt['secretEnv'] = 'USERSIG_JWT_SECRET'
  }
  applyAppEnv(c, env)
  for (const [name, path, kind] of ENV_FIELDS) {
    if (!has(env, name) || path.startsWith('apps[]')) continue
    const keys = path.split('.')
    let o = c
    for (const k of keys.slice(0, -1)) o = section(o, k)
    o[keys.at(-1)!] = read(name, env[name]!, kind)
  }
  const auth = isObj(c['auth']) ? c['auth'] : {}
  const keys: unknown[] = Array.isArray(auth['apiKeys']) ? [...auth['apiKeys']] : []
  if (has(env, 'USERSIG_ADMIN_KEY_SHA256')) {
    env['USERSIG_ADMIN_KEY_SHA256']!.split(',').map((s) => s.trim()).filter(Boolean)
      .forEach((h, i) => keys.push({ name: `env-admin-${i + 1}`, sha256: h, scopes: ['admin'] }))
  }
  if (has(env, 'USERSIG_ADMIN_KEY_FILE')) keys.push({ name: 'env-admin-file', keyFile: resolve(env['USERSIG_ADMIN_KEY_FILE']!), scopes: ['admin'] })
  if (keys.length) section(c, 'auth')['apiKeys'] = keys
  if (has(env, 'USERSIG_REDIS_URL')) {
    const rl = section(c, 'rateLimit')
    rl['store'] = 'redis'
    const r = section(rl, 'redis')
    for (const k of ['url', 'urlFile', 'urlEnv']) delete r[k]
    r['urlEnv'] = 'USERSIG_REDIS_URL'
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
  if (has(env, 'USERSIG_USERID_POLICY')) app['userIdPolicy'] = env['USERSIG_USERID_POLICY']  // ENV_FIELDS: apps[].userIdPolicy
  apps[idx] = app
  c['apps'] = apps
}
