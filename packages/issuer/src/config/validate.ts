/**
 * Turns a plain configuration object, in the service's config-file vocabulary (`apps`, `auth.jwt`,
 * `policy.privateMapKey`, `rateLimit`, `userSig`/`privateMapKey` TTLs, `server.cors` or `cors`), into an IssuerConfig.
 * Secrets come inline (read by the caller from its platform) or as `xxxEnv`, the name of a variable in `env` (a
 * Worker's bindings, `process.env`, `Deno.env.toObject()`). There are no files to read here: `xxxFile` is refused
 * with a pointer to `xxxEnv`. Every problem is a ConfigError that names the field; values are never echoed.
 */
import { normalizeSdkAppId, parsePrivileges, createSigner, UserSigError, type UserIdPolicy } from 'usersig'
import { bool, ConfigError, int, isObj, join, list, obj, oneOf, optObj, optSeconds, seconds, str, strList, url, type Obj } from './check.js'
import type { AppConfig, AuthConfig, CorsConfig, IssuerConfig, JwtConfig, JwtKeySource, LimitRule, PmkRule, PolicyConfig, RateLimitConfig, RoomPattern, TtlPolicy, WebhookConfig } from './types.js'

export type Env = Record<string, string | undefined>

const TOP = ['apps', 'defaultSdkAppId', 'auth', 'policy', 'rateLimit', 'cors', 'server', '$schema'] as const

export function validateConfig(input: unknown, env: Env = {}): IssuerConfig {
  const c = obj(input, '', TOP)
  const apps = list(c['apps'], 'apps').map((a, i) => app(a, join('apps', i), env))
  if (apps.length === 0) throw new ConfigError('apps', 'at least one app is required')
  const seen = new Set<number>()
  apps.forEach((a, i) => {
    if (seen.has(a.sdkAppId)) throw new ConfigError(join(join('apps', i), 'sdkAppId'), 'is listed twice')
    seen.add(a.sdkAppId)
  })
  let defaultSdkAppId = apps[0]!.sdkAppId
  if (c['defaultSdkAppId'] !== undefined) {
    defaultSdkAppId = int(c['defaultSdkAppId'], 'defaultSdkAppId', 1, 4294967295)
    if (!seen.has(defaultSdkAppId)) throw new ConfigError('defaultSdkAppId', 'is not one of the configured apps')
  }
  // The service's file keeps CORS and the body limit under `server`; the listener settings there mean nothing here.
  const srv = optObj(c['server'], 'server', ['cors', 'bodyLimit'])
  if (c['cors'] !== undefined && srv['cors'] !== undefined) throw new ConfigError('cors', 'give either cors or server.cors, not both')
  return {
    apps,
    defaultSdkAppId,
    auth: auth(c['auth'], env),
    policy: policy(c['policy'], env, [...seen]),
    rateLimit: rateLimit(c['rateLimit']),
    cors: cors(c['cors'] ?? srv['cors'], c['cors'] !== undefined ? 'cors' : 'server.cors'),
    bodyLimit: srv['bodyLimit'] === undefined ? 8192 : int(srv['bodyLimit'], 'server.bodyLimit', 256, 1048576),
  }
}

/**
 * A secret given as `name` (inline) or `nameEnv` (a variable of the platform's environment): exactly one.
 * `nameFile` is refused: an edge bundle has no file system, and a key inside the bundle is a key in the repository.
 */
export function secret(o: Obj, name: string, path: string, env: Env, required: boolean): string | null {
  if (o[`${name}File`] !== undefined) {
    throw new ConfigError(join(path, `${name}File`), `files are not read here: put the secret in the platform's secret store and name it with ${name}Env`)
  }
  const given = [name, `${name}Env`].filter((k) => o[k] !== undefined && o[k] !== null)
  if (given.length > 1) throw new ConfigError(join(path, given[1]!), `give only one of ${name}, ${name}Env`)
  if (given.length === 0) {
    if (required) throw new ConfigError(join(path, name), `required: set ${name}Env (the name of a secret in the platform's environment)`)
    return null
  }
  const k = given[0]!
  const field = join(path, k)
  if (k === name) return str(o[k], field)
  const envName = str(o[k], field)
  const value = env[envName]
  if (typeof value !== 'string' || value === '') throw new ConfigError(field, `the secret ${envName} is not set in the environment`)
  return value
}

const TTL_KEYS = ['defaultTtl', 'minTtl', 'maxTtl'] as const
const FIFTY_YEARS = 50 * 365 * 86400

function ttl(v: unknown, path: string, dflt: TtlPolicy): TtlPolicy {
  const o = optObj(v, path, TTL_KEYS)
  const t: TtlPolicy = {
    defaultTtl: Math.round(optSeconds(o['defaultTtl'], join(path, 'defaultTtl'), dflt.defaultTtl, { min: 1, max: FIFTY_YEARS })),
    minTtl: Math.round(optSeconds(o['minTtl'], join(path, 'minTtl'), dflt.minTtl, { min: 1, max: FIFTY_YEARS })),
    maxTtl: Math.round(optSeconds(o['maxTtl'], join(path, 'maxTtl'), dflt.maxTtl, { min: 1, max: FIFTY_YEARS })),
  }
  if (t.minTtl > t.maxTtl) throw new ConfigError(join(path, 'minTtl'), 'must not be above maxTtl')
  if (t.defaultTtl < t.minTtl || t.defaultTtl > t.maxTtl) throw new ConfigError(join(path, 'defaultTtl'), 'must be between minTtl and maxTtl')
  return t
}

export const USERSIG_TTL: TtlPolicy = { defaultTtl: 86400, minTtl: 300, maxTtl: 7 * 86400 }
export const PMK_TTL: TtlPolicy = { defaultTtl: 300, minTtl: 60, maxTtl: 86400 }

const APP_KEYS = ['sdkAppId', 'name', 'secretKey', 'secretKeyFile', 'secretKeyEnv', 'privateKey', 'privateKeyFile', 'privateKeyEnv', 'userIdPolicy', 'userSig', 'privateMapKey'] as const

function app(v: unknown, path: string, env: Env): AppConfig {
  const o = obj(v, path, APP_KEYS)
  let sdkAppId: number
  try {
    sdkAppId = normalizeSdkAppId(o['sdkAppId'])
  } catch {
    throw new ConfigError(join(path, 'sdkAppId'), 'must be an integer 1..4294967295 (the SDKAppID from the console)')
  }
  if (['privateKey', 'privateKeyFile', 'privateKeyEnv'].some((k) => o[k] !== undefined)) {
    throw new ConfigError(path, 'legacy ECDSA apps (privateKey) are served by the Node service only; give the app\'s secretKeyEnv (HMAC)')
  }
  const name = o['name'] === undefined ? String(sdkAppId) : str(o['name'], join(path, 'name'))
  const userIdPolicy = oneOf<UserIdPolicy>(o['userIdPolicy'], join(path, 'userIdPolicy'), ['im', 'strict', 'any'], 'im')
  const key = secret(o, 'secretKey', path, env, true)!
  try {
    createSigner({ sdkAppId, secretKey: key, userIdPolicy })
  } catch (e) {
    const field = join(path, o['secretKey'] !== undefined ? 'secretKey' : 'secretKeyEnv')
    throw new ConfigError(field, `is not a usable secret key${e instanceof UserSigError ? ` (${e.code}${e.hint ? `: ${e.hint}` : ''})` : ''}`)
  }
  return {
    sdkAppId,
    name,
    secretKey: key,
    userIdPolicy,
    userSig: ttl(o['userSig'], join(path, 'userSig'), USERSIG_TTL),
    privateMapKey: ttl(o['privateMapKey'], join(path, 'privateMapKey'), PMK_TTL),
  }
}

function cors(v: unknown, path: string): CorsConfig {
  const o = optObj(v, path, ['origins', 'credentials'])
  const origins = strList(o['origins'], join(path, 'origins'))
  const credentials = bool(o['credentials'], join(path, 'credentials'), false)
  origins.forEach((origin, i) => {
    const field = join(join(path, 'origins'), i)
    if (origin === '*') throw new ConfigError(field, 'a wildcard is not allowed: list the origins of your apps')
    if (origin === 'null') {
      if (credentials) throw new ConfigError(field, '"null" (pages from file://) is not allowed together with credentials: any sandboxed page sends that origin')
      return
    }
    let u: URL
    try {
      u = new URL(origin)
    } catch {
      throw new ConfigError(field, 'must be an origin such as https://app.example.com')
    }
    if (u.origin !== origin) throw new ConfigError(field, `must be an origin without path or trailing slash (${u.origin})`)
  })
  return { origins, credentials }
}

function auth(v: unknown, env: Env): AuthConfig {
  const o = optObj(v, 'auth', ['jwt', 'caller'])
  const caller = o['caller']
  if (caller !== undefined && caller !== null && typeof caller !== 'function') throw new ConfigError('auth.caller', 'must be a function (request) => { userId, roles } | null')
  const a: AuthConfig = {
    jwt: o['jwt'] === undefined || o['jwt'] === null ? null : jwt(o['jwt'], env),
    caller: typeof caller === 'function' ? (caller as AuthConfig['caller']) : null,
  }
  if (!a.jwt && !a.caller) throw new ConfigError('auth', 'configure auth.jwt or auth.caller: without one, nobody can be issued a UserSig')
  return a
}

const JWT_KEYS = [
  'secret', 'secretFile', 'secretEnv', 'jwks', 'jwksFile', 'jwksUrl', 'issuer', 'audience', 'algorithms', 'userIdClaim', 'rolesClaim',
  'clockTolerance', 'requireExp', 'maxTokenAge', 'jwksCacheMaxAge', 'jwksCooldown', 'jwksTimeout',
] as const
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']

function jwt(v: unknown, env: Env): JwtConfig {
  const p = 'auth.jwt'
  const o = obj(v, p, JWT_KEYS)
  if (o['jwksFile'] !== undefined) throw new ConfigError(join(p, 'jwksFile'), 'files are not read here: give the JWK Set itself as jwks, or a jwksUrl')
  const sec = secret(o, 'secret', p, env, false)
  const sources: JwtKeySource[] = []
  if (sec !== null) {
    if (new TextEncoder().encode(sec).length < 32) throw new ConfigError(join(p, 'secret'), 'an HS256 secret must be at least 32 bytes')
    sources.push({ kind: 'secret', secret: sec })
  }
  if (o['jwks'] !== undefined) {
    const j = o['jwks']
    if (!isObj(j) || !Array.isArray(j['keys']) || !j['keys'].every(isObj)) throw new ConfigError(join(p, 'jwks'), 'must be a JWK Set ({"keys": [...]})')
    sources.push({ kind: 'jwks', jwks: { keys: j['keys'] as Record<string, unknown>[] } })
  }
  if (o['jwksUrl'] !== undefined) sources.push({ kind: 'jwksUrl', url: url(o['jwksUrl'], join(p, 'jwksUrl'), { httpsUnlessLoopback: true }).href })
  if (sources.length !== 1) throw new ConfigError(p, 'give exactly one key source: secret/secretEnv (HS256), jwks or jwksUrl')
  const keys = sources[0]!
  const issuer = strList(o['issuer'], join(p, 'issuer'))
  const audience = strList(o['audience'], join(p, 'audience'))
  if (keys.kind !== 'secret' && audience.length === 0) {
    throw new ConfigError(join(p, 'audience'), 'required with a JWKS: without it, tokens the identity provider issued for other applications would be accepted')
  }
  const algorithms = o['algorithms'] === undefined ? (keys.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256']) : strList(o['algorithms'], join(p, 'algorithms'))
  algorithms.forEach((a, i) => {
    const ok = keys.kind === 'secret' ? ['HS256', 'HS384', 'HS512'].includes(a) : ASYMMETRIC.includes(a)
    if (!ok) throw new ConfigError(join(join(p, 'algorithms'), i), keys.kind === 'secret' ? 'with a shared secret, use HS256, HS384 or HS512' : `with a JWKS, use one of ${ASYMMETRIC.join(', ')}`)
  })
  const age = o['maxTokenAge']
  return {
    keys,
    issuer: issuer.length ? issuer : null,
    audience: audience.length ? audience : null,
    algorithms,
    userIdClaim: o['userIdClaim'] === undefined ? 'sub' : str(o['userIdClaim'], join(p, 'userIdClaim')),
    rolesClaim: o['rolesClaim'] === undefined ? 'roles' : str(o['rolesClaim'], join(p, 'rolesClaim')),
    clockTolerance: optSeconds(o['clockTolerance'], join(p, 'clockTolerance'), 5, { max: 3600 }),
    requireExp: bool(o['requireExp'], join(p, 'requireExp'), true),
    maxTokenAge: age === false || age === null ? null : optSeconds(age, join(p, 'maxTokenAge'), 86400, { min: 1, max: 366 * 86400 }),
    jwksCacheMaxAge: optSeconds(o['jwksCacheMaxAge'], join(p, 'jwksCacheMaxAge'), 600, { min: 1, max: 7 * 86400 }),
    jwksCooldownMs: Math.round(1000 * optSeconds(o['jwksCooldown'], join(p, 'jwksCooldown'), 30, { min: 0, max: 3600 })),
    jwksTimeoutMs: Math.round(1000 * optSeconds(o['jwksTimeout'], join(p, 'jwksTimeout'), 5, { min: 0.05, max: 60 })),
  }
}

function headerName(v: unknown, path: string): string {
  const h = str(v, path).toLowerCase()
  if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(h)) throw new ConfigError(path, 'must be an HTTP header name')
  return h
}

function policy(v: unknown, env: Env, sdkAppIds: number[]): PolicyConfig {
  const o = optObj(v, 'policy', ['privateMapKey'])
  const p = 'policy.privateMapKey'
  const pmk = optObj(o['privateMapKey'], p, ['rules', 'webhook'])
  const rules = list(pmk['rules'], join(p, 'rules')).map((r, i) => rule(r, join(join(p, 'rules'), i), i, sdkAppIds))
  const webhook = pmk['webhook'] === undefined || pmk['webhook'] === null ? null : hook(pmk['webhook'], join(p, 'webhook'), env)
  if (webhook && rules.length) throw new ConfigError(join(p, 'webhook'), 'give either rules or a webhook, not both')
  return { privateMapKey: { rules, webhook } }
}

function rule(v: unknown, path: string, index: number, sdkAppIds: number[]): PmkRule {
  const o = obj(v, path, ['apps', 'roles', 'users', 'rooms', 'privileges'])
  const rooms = list(o['rooms'], join(path, 'rooms')).map((r, i) => room(r, join(join(path, 'rooms'), i)))
  if (rooms.length === 0) throw new ConfigError(join(path, 'rooms'), 'list at least one room pattern ("*" for any room)')
  if (o['privileges'] === undefined) throw new ConfigError(join(path, 'privileges'), 'required: a number 0..255, a preset (anchor, audience, coHost, all) or a list of names')
  let privileges: number
  try {
    privileges = parsePrivileges(o['privileges'])
  } catch {
    throw new ConfigError(join(path, 'privileges'), 'must be a number 0..255, a preset (anchor, audience, coHost, all) or a list of privilege names')
  }
  let apps: number[] | null = null
  if (o['apps'] !== undefined) {
    apps = list(o['apps'], join(path, 'apps')).map((a, i) => {
      const id = int(a, join(join(path, 'apps'), i), 1, 4294967295)
      if (!sdkAppIds.includes(id)) throw new ConfigError(join(join(path, 'apps'), i), 'is not one of the configured apps')
      return id
    })
  }
  const roles = o['roles'] === undefined ? null : strList(o['roles'], join(path, 'roles'))
  const users = o['users'] === undefined ? null : strList(o['users'], join(path, 'users'))
  return { index, apps, roles, users, rooms, privileges }
}

/** `1234` or "1234" exact; "live-*" glob (`*`, `?`; `{userId}` is the caller); "/^live-\d+$/" a regex. */
function room(v: unknown, path: string): RoomPattern {
  if (typeof v === 'number') return { kind: 'exact', value: String(int(v, path, 1, 4294967294)) }
  const s = str(v, path)
  const m = /^\/(.*)\/([imsu]*)$/s.exec(s)
  if (m) {
    try {
      return { kind: 'regex', regex: new RegExp(m[1]!, m[2]) }
    } catch {
      throw new ConfigError(path, 'is not a valid regular expression')
    }
  }
  return /[*?{]/.test(s) ? { kind: 'glob', source: s } : { kind: 'exact', value: s }
}

function hook(v: unknown, path: string, env: Env): WebhookConfig {
  const o = obj(v, path, ['url', 'timeout', 'headers', 'headersEnv'])
  const headers: Record<string, string> = {}
  const h = optObj(o['headers'], join(path, 'headers'), Object.keys(isObj(o['headers']) ? o['headers'] : {}))
  for (const [k, val] of Object.entries(h)) headers[headerName(k, join(join(path, 'headers'), k))] = str(val, join(join(path, 'headers'), k))
  // headersEnv: { "x-webhook-secret": "VARIABLE" } keeps a shared secret in the platform's secret store.
  const he = optObj(o['headersEnv'], join(path, 'headersEnv'), Object.keys(isObj(o['headersEnv']) ? o['headersEnv'] : {}))
  for (const [k, val] of Object.entries(he)) {
    const field = join(join(path, 'headersEnv'), k)
    const envName = str(val, field)
    const value = env[envName]
    if (typeof value !== 'string' || value === '') throw new ConfigError(field, `the secret ${envName} is not set in the environment`)
    headers[headerName(k, field)] = value
  }
  return {
    url: url(o['url'], join(path, 'url')).href,
    timeoutMs: Math.round(1000 * optSeconds(o['timeout'], join(path, 'timeout'), 2, { min: 0.05, max: 60 })),
    headers,
  }
}

function limit(v: unknown, path: string, dflt: LimitRule): LimitRule | null {
  if (v === false) return null
  if (typeof v === 'string') {
    // "30/1m": 30 requests per minute.
    const m = /^\s*(\d+)\s*\/\s*(.+)$/.exec(v)
    if (!m) throw new ConfigError(path, 'must be "N/window" such as "30/1m", an object { limit, window } or false')
    return { limit: int(m[1], path, 1, 1e9), window: seconds(m[2], path, { min: 1, max: 86400 }) }
  }
  const o = optObj(v, path, ['limit', 'window'])
  return {
    limit: o['limit'] === undefined ? dflt.limit : int(o['limit'], join(path, 'limit'), 1, 1e9),
    window: optSeconds(o['window'], join(path, 'window'), dflt.window, { min: 1, max: 86400 }),
  }
}

function rateLimit(v: unknown): RateLimitConfig {
  const p = 'rateLimit'
  const o = optObj(v, p, ['enabled', 'store', 'algorithm', 'perUser', 'perIp'])
  // The store itself is passed to createPipeline; only "memory" (the default) can be named in the object.
  oneOf(o['store'], join(p, 'store'), ['memory'], 'memory')
  return {
    enabled: bool(o['enabled'], join(p, 'enabled'), true),
    algorithm: oneOf(o['algorithm'], join(p, 'algorithm'), ['fixed', 'sliding'], 'sliding'),
    perUser: limit(o['perUser'], join(p, 'perUser'), { limit: 30, window: 60 }),
    perIp: limit(o['perIp'], join(p, 'perIp'), { limit: 120, window: 60 }),
  }
}
