/**
 * Environment variables (`USERSIG_*`), one table for the service and every edge template: ENV_FIELDS maps each
 * variable to the field of the config it sets (the schema's path); the few that choose a key or add an app or API key
 * are handled below it. A variable wins over the file. An adapter applies the variables whose field its schema has,
 * so one set of variables configures the Node service and the edge handler alike. Secrets are passed by name
 * (`secretKeyEnv: "USERSIG_SECRET_KEY"`), never copied into the object: the second pass reads them from the same
 * environment. The docs table in docs/service.md is tested against this table.
 */
import type { TSchema } from '@sinclair/typebox'
import { ConfigError, isObj, type Obj } from './check.js'
import type { Env } from './resolve.js'
import { IssuerConfigSchema } from './schema.js'

/** How a variable's text becomes a config value: as is, a path (relative to the cwd), digits, or a checked literal. */
export type EnvKind = 'text' | 'path' | 'int' | 'bool' | 'boolOrText' | 'limit'

/** Variables that set one field each: name → path in the config file (the schema's path) and how the text is read. */
export const ENV_FIELDS: readonly (readonly [name: string, path: string, kind: EnvKind])[] = [
  ['HOST', 'server.host', 'text'],
  ['PORT', 'server.port', 'int'],
  ['USERSIG_BODY_LIMIT', 'server.bodyLimit', 'int'],
  ['USERSIG_CORS_ORIGINS', 'server.cors.origins', 'text'],
  ['USERSIG_TRUST_PROXY', 'server.trustProxy', 'boolOrText'],
  ['USERSIG_CONSOLE_DIR', 'server.consoleDir', 'path'],
  ['USERSIG_SHUTDOWN_TIMEOUT', 'server.shutdownTimeout', 'text'],
  ['USERSIG_DRAIN_DELAY', 'server.drainDelay', 'text'],
  ['USERSIG_HEADERS_TIMEOUT', 'server.headersTimeout', 'text'],
  ['USERSIG_REQUEST_TIMEOUT', 'server.requestTimeout', 'text'],
  ['USERSIG_USER_ID_POLICY', 'apps[].userIdPolicy', 'text'],
  ['USERSIG_ALLOW_UNUSUAL_USER_ID', 'apps[].allowUnusualUserId', 'bool'],
  ['USERSIG_JWKS_URL', 'auth.jwt.jwksUrl', 'text'],
  ['USERSIG_JWKS_FILE', 'auth.jwt.jwksFile', 'path'],
  ['USERSIG_JWT_SECRET_FILE', 'auth.jwt.secretFile', 'path'],
  ['USERSIG_JWT_ISSUER', 'auth.jwt.issuer', 'text'],
  ['USERSIG_JWT_AUDIENCE', 'auth.jwt.audience', 'text'],
  ['USERSIG_JWT_ALGORITHMS', 'auth.jwt.algorithms', 'text'],
  ['USERSIG_JWT_USER_ID_CLAIM', 'auth.jwt.userIdClaim', 'text'],
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

/**
 * Variables handled by code, with the field they fill: the config file and the demo's directory (the service reads
 * those itself), the keys (by reference) and what they add.
 */
export const ENV_SPECIAL: readonly (readonly [name: string, path: string])[] = [
  ['USERSIG_CONFIG', '(the config file)'],
  ['USERSIG_DATA_DIR', '(the demo data directory)'],
  ['USERSIG_SDKAPPID', 'apps[].sdkAppId'],
  ['USERSIG_SECRET_KEY', 'apps[].secretKeyEnv'],
  ['USERSIG_SECRET_KEY_FILE', 'apps[].secretKeyFile'],
  ['USERSIG_PRIVATE_KEY_FILE', 'apps[].privateKeyFile'],
  ['USERSIG_JWT_SECRET', 'auth.jwt.secretEnv'],
  ['USERSIG_ADMIN_KEY_SHA256', 'auth.apiKeys'],
  ['USERSIG_ADMIN_KEY_FILE', 'auth.apiKeys'],
  ['USERSIG_REDIS_URL', 'rateLimit.redis.urlEnv'],
]

/**
 * Old names of variables, read as their new name (the glossary's `userId` is `USER_ID` in a variable): each one set is
 * a deprecation warning (envWarnings), and setting both names is a config error.
 */
export const ENV_DEPRECATED: readonly (readonly [old: string, name: string])[] = [
  ['USERSIG_USERID_POLICY', 'USERSIG_USER_ID_POLICY'],
  ['USERSIG_JWT_USERID_CLAIM', 'USERSIG_JWT_USER_ID_CLAIM'],
]

/** One warning for each deprecated variable `env` sets, naming its new name. */
export function envWarnings(env: Env): string[] {
  return ENV_DEPRECATED.filter(([old]) => has(env, old)).map(([old, name]) => `environment variable ${old} is deprecated: name it ${name}`)
}

/** `env` with each deprecated name read as its new name. */
function withNewNames(env: Env): Env {
  const used = ENV_DEPRECATED.filter(([old]) => has(env, old))
  if (used.length === 0) return env
  const out: Env = { ...env }
  for (const [old, name] of used) {
    if (has(env, name)) throw new ConfigError(`${old} (environment)`, `give only ${name}: ${old} is its deprecated name`)
    out[name] = env[old]
  }
  return out
}

/** Every variable the service reads. */
export const ENV_VARS: readonly string[] = [...ENV_SPECIAL.map(([name]) => name), ...ENV_FIELDS.map(([name]) => name)]

/** Whether `schema` has the field at `path` (`apps[].userIdPolicy`). */
export function schemaHas(schema: TSchema, path: string): boolean {
  let nodes: TSchema[] = [schema]
  for (const part of path.split('.')) {
    const arr = part.endsWith('[]')
    const key = arr ? part.slice(0, -2) : part
    nodes = nodes.flatMap(branches).flatMap((n) => (n['properties']?.[key] ? [n['properties'][key] as TSchema] : []))
    if (arr) nodes = nodes.flatMap(branches).flatMap((n) => (n['items'] ? [n['items'] as TSchema] : []))
    if (!nodes.length) return false
  }
  return true
}

function branches(n: TSchema): TSchema[] {
  return Array.isArray(n['anyOf']) ? (n['anyOf'] as TSchema[]) : [n]
}

/**
 * The variables the issuer's own config (`createHandler`) uses: those whose field its schema has, files aside (a
 * `…_FILE` variable still reaches the config, where it is refused with a pointer to the variable to use instead).
 */
export const EDGE_ENV_VARS: readonly string[] = [...ENV_SPECIAL, ...ENV_FIELDS]
  .filter(([, path]) => !path.endsWith('File') && schemaHas(IssuerConfigSchema, path))
  .map(([name]) => name)

/** How `applyEnv` fits an adapter: the fields its schema has, and how a relative path is made absolute. */
export interface ApplyEnvOptions {
  /** The adapter's config schema: variables for fields it lacks are left alone. */
  schema: TSchema
  /** Makes a path from a variable absolute (relative to the cwd); the edge has no cwd and keeps it as is. */
  resolvePath?: (path: string) => string
}

function section(o: Obj, key: string): Obj {
  const v = o[key]
  const copy: Obj = isObj(v) ? { ...v } : {}
  o[key] = copy
  return copy
}

function has(env: Env, name: string): boolean {
  return typeof env[name] === 'string' && env[name] !== ''
}

function read(name: string, text: string, kind: EnvKind, resolvePath: (p: string) => string): unknown {
  if (kind === 'text') return text
  if (kind === 'path') return name === 'USERSIG_CONSOLE_DIR' && text === 'off' ? null : resolvePath(text)
  if (kind === 'limit') return text === 'off' || text === 'false' ? false : text
  if (kind === 'boolOrText') return text === 'true' ? true : text === 'false' ? false : text
  if (kind === 'bool') {
    if (text !== 'true' && text !== 'false') throw new ConfigError(`${name} (environment)`, 'must be true or false')
    return text === 'true'
  }
  // The range is the schema's; it reports the field.
  if (!/^\d{1,15}$/.test(text)) throw new ConfigError(`${name} (environment)`, 'must be an integer')
  return Number(text)
}

/** Returns a copy of the config input with the environment applied (the fields `options.schema` has). */
export function applyEnv(input: unknown, given: Env, options: ApplyEnvOptions): Obj {
  const env = withNewNames(given)
  const fits = (path: string): boolean => schemaHas(options.schema, path)
  const resolvePath = options.resolvePath ?? ((p: string) => p)
  const c: Obj = isObj(input) ? { ...input } : {}
  // A JWT key from the environment replaces the file's key source (whichever kind it was).
  if (['USERSIG_JWT_SECRET', 'USERSIG_JWT_SECRET_FILE', 'USERSIG_JWKS_URL', 'USERSIG_JWKS_FILE'].some((n) => has(env, n))) {
    const jwt = section(section(c, 'auth'), 'jwt')
    for (const k of ['secret', 'secretFile', 'secretEnv', 'jwks', 'jwksUrl', 'jwksFile']) delete jwt[k]
    if (has(env, 'USERSIG_JWT_SECRET')) jwt['secretEnv'] = 'USERSIG_JWT_SECRET'
  }
  applyAppEnv(c, env, resolvePath)
  for (const [name, path, kind] of ENV_FIELDS) {
    if (!has(env, name) || path.startsWith('apps[]') || !fits(path)) continue
    const keys = path.split('.')
    let o = c
    for (const k of keys.slice(0, -1)) o = section(o, k)
    o[keys.at(-1)!] = read(name, env[name]!, kind, resolvePath)
  }
  if (fits('auth.apiKeys')) {
    const auth = isObj(c['auth']) ? c['auth'] : {}
    const keys: unknown[] = Array.isArray(auth['apiKeys']) ? [...auth['apiKeys']] : []
    if (has(env, 'USERSIG_ADMIN_KEY_SHA256')) {
      env['USERSIG_ADMIN_KEY_SHA256']!.split(',').map((s) => s.trim()).filter(Boolean)
        .forEach((h, i) => keys.push({ name: `env-admin-${i + 1}`, sha256: h, scopes: ['admin'] }))
    }
    if (has(env, 'USERSIG_ADMIN_KEY_FILE')) keys.push({ name: 'env-admin-file', keyFile: resolvePath(env['USERSIG_ADMIN_KEY_FILE']!), scopes: ['admin'] })
    if (keys.length) section(c, 'auth')['apiKeys'] = keys
  }
  if (has(env, 'USERSIG_REDIS_URL') && fits('rateLimit.redis.urlEnv')) {
    const rl = section(c, 'rateLimit')
    rl['store'] = 'redis'
    const r = section(rl, 'redis')
    for (const k of ['url', 'urlFile', 'urlEnv']) delete r[k]
    r['urlEnv'] = 'USERSIG_REDIS_URL'
  }
  return c
}

/** USERSIG_SDKAPPID plus a key variable define one app, or replace the key of the app with that SDKAppID. */
function applyAppEnv(c: Obj, env: Env, resolvePath: (p: string) => string): void {
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
  if (!/^\d{1,10}$/.test(sdkAppId)) throw new ConfigError('USERSIG_SDKAPPID (environment)', 'must be an integer 1..4294967295')
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
    if (keyVars[0] === 'USERSIG_SECRET_KEY_FILE') app['secretKeyFile'] = resolvePath(env['USERSIG_SECRET_KEY_FILE']!)
    if (keyVars[0] === 'USERSIG_PRIVATE_KEY_FILE') app['privateKeyFile'] = resolvePath(env['USERSIG_PRIVATE_KEY_FILE']!)
  }
  if (has(env, 'USERSIG_USER_ID_POLICY')) app['userIdPolicy'] = env['USERSIG_USER_ID_POLICY'] // ENV_FIELDS: apps[].userIdPolicy
  if (has(env, 'USERSIG_ALLOW_UNUSUAL_USER_ID')) app['allowUnusualUserId'] = read('USERSIG_ALLOW_UNUSUAL_USER_ID', env['USERSIG_ALLOW_UNUSUAL_USER_ID']!, 'bool', resolvePath) // ENV_FIELDS: apps[].allowUnusualUserId
  apps[idx] = app
  c['apps'] = apps
}

/** A config object from the service's environment variables, for `createHandler` (the fields its schema has). */
export function configFromEnv(env: Env): Record<string, unknown> {
  return applyEnv({}, env, { schema: IssuerConfigSchema })
}
