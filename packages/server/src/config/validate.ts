/**
 * Turns a config object (parsed from JSON/YAML, with environment overrides applied) into a ServiceConfig.
 * Secrets are read here, from `xxx`, `xxxFile` (path, relative to the config file) or `xxxEnv` (variable name).
 * Every problem is a ConfigError that names the field; values are never echoed.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { isIP } from 'node:net'
import {
  createLegacySigner,
  checkToolSecretKey,
  createSigner,
  normalizeSdkAppId,
  parsePrivileges,
  UserSigError,
  type UserIdPolicy,
} from '../core.js'
import { checkSchema } from './schema-check.js'
import {
  bool,
  ConfigError,
  int,
  isLoopbackHost,
  isObj,
  join,
  list,
  obj,
  oneOf,
  optObj,
  optSeconds,
  optStr,
  seconds,
  str,
  strList,
  url,
  type Obj,
} from './check.js'
import type {
  ApiKeyConfig,
  ApiKeyScope,
  AppConfig,
  AuthConfig,
  ForwardAuthConfig,
  JwtConfig,
  LimitRule,
  PmkRule,
  PolicyConfig,
  RateLimitConfig,
  RoomPattern,
  ServerConfig,
  ServiceConfig,
  TrustedHeaderConfig,
  TtlPolicy,
  WebhookConfig,
} from './types.js'

export interface ResolveContext {
  /** Environment for `xxxEnv` secret references. */
  env: Record<string, string | undefined>
  /** Directory that relative file paths are resolved against (the config file's). */
  baseDir: string
}


export function validateConfig(input: unknown, ctx: ResolveContext): ServiceConfig {
  checkSchema(input)
  const c = obj(input, '')
  const apps = list(c['apps'], 'apps').map((a, i) => app(a, join('apps', i), ctx))
  if (apps.length === 0) throw new ConfigError('apps', 'at least one app is required (or set USERSIG_SDKAPPID and USERSIG_SECRET_KEY_FILE)')
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
  const demo = bool(c['demo'], 'demo', false)
  const srv = server(c['server'])
  const authConfig = auth(c['auth'], ctx, demo)
  if (authConfig.demo && !isLoopbackHost(srv.host)) {
    throw new ConfigError('server.host', 'the demo authenticator accepts any caller as any userId, so it only listens on 127.0.0.1, ::1 or localhost; configure a real app (see docs/service.md) to listen elsewhere')
  }
  const audit = optObj(c['audit'], 'audit')
  const metrics = optObj(c['metrics'], 'metrics')
  const requireApiKey = bool(metrics['requireApiKey'], 'metrics.requireApiKey', false)
  if (requireApiKey && !authConfig.apiKeys.some((k) => k.scopes.includes('metrics') || k.scopes.includes('admin'))) {
    throw new ConfigError('metrics.requireApiKey', 'no API key could read /metrics: give one key the "metrics" scope (auth.apiKeys[].scopes)')
  }
  const log = optObj(c['log'], 'log')
  return {
    server: srv,
    apps,
    defaultSdkAppId,
    auth: authConfig,
    policy: policy(c['policy'], ctx, [...seen]),
    rateLimit: rateLimit(c['rateLimit'], ctx),
    audit: {
      enabled: bool(audit['enabled'], 'audit.enabled', true),
      file: audit['file'] === undefined || audit['file'] === null ? null : file(audit['file'], 'audit.file', ctx),
      bufferSize: audit['bufferSize'] === undefined ? 500 : int(audit['bufferSize'], 'audit.bufferSize', 1, 100000),
    },
    metrics: { requireApiKey },
    log: { level: oneOf(log['level'], 'log.level', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info') },
    demo,
  }
}

function file(v: unknown, path: string, ctx: ResolveContext): string {
  const p = str(v, path)
  return isAbsolute(p) ? p : resolve(ctx.baseDir, p)
}

/**
 * A secret given as `name` (inline), `nameFile` (path) or `nameEnv` (variable name): exactly one.
 * A file's single trailing newline is dropped (editors add one); anything else is kept, so the core's
 * whitespace check still catches a copy error.
 */
export function secret(o: Obj, name: string, path: string, ctx: ResolveContext, required: boolean): string | null {
  const given = [name, `${name}File`, `${name}Env`].filter((k) => o[k] !== undefined && o[k] !== null)
  if (given.length > 1) throw new ConfigError(join(path, given[1]!), `give only one of ${name}, ${name}File, ${name}Env`)
  if (given.length === 0) {
    if (required) throw new ConfigError(join(path, name), `required: set ${name}File (a file holding it) or ${name}Env (a variable holding it)`)
    return null
  }
  const k = given[0]!
  const field = join(path, k)
  if (k === name) return str(o[k], field)
  if (k.endsWith('File')) {
    const p = file(o[k], field, ctx)
    let text: string
    try {
      text = readFileSync(p, 'utf8')
    } catch (e) {
      throw new ConfigError(field, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`)
    }
    text = text.replace(/\r?\n$/, '')
    if (text === '') throw new ConfigError(field, 'the file is empty')
    return text
  }
  const envName = str(o[k], field)
  const value = ctx.env[envName]
  if (value === undefined || value === '') throw new ConfigError(field, `environment variable ${envName} is not set`)
  return value
}

const FIFTY_YEARS = 50 * 365 * 86400

function ttl(v: unknown, path: string, dflt: TtlPolicy): TtlPolicy {
  const o = optObj(v, path)
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


function app(v: unknown, path: string, ctx: ResolveContext): AppConfig {
  const o = obj(v, path)
  let sdkAppId: number
  try {
    sdkAppId = normalizeSdkAppId(o['sdkAppId'])
  } catch {
    throw new ConfigError(join(path, 'sdkAppId'), 'must be an integer 1..4294967295 (the SDKAppID from the console)')
  }
  const name = o['name'] === undefined ? String(sdkAppId) : str(o['name'], join(path, 'name'))
  const userIdPolicy = oneOf<UserIdPolicy>(o['userIdPolicy'], join(path, 'userIdPolicy'), ['im', 'strict', 'any'], 'im')
  const userSig = ttl(o['userSig'], join(path, 'userSig'), USERSIG_TTL)
  const privateMapKey = ttl(o['privateMapKey'], join(path, 'privateMapKey'), PMK_TTL)
  const hasHmac = ['secretKey', 'secretKeyFile', 'secretKeyEnv'].some((k) => o[k] !== undefined)
  const hasEcdsa = ['privateKey', 'privateKeyFile', 'privateKeyEnv'].some((k) => o[k] !== undefined)
  if (hasHmac && hasEcdsa) throw new ConfigError(path, 'give either a secretKey (HMAC) or a privateKey (legacy ECDSA), not both')
  if (hasEcdsa) {
    const pem = secret(o, 'privateKey', path, ctx, true)!
    const field = join(path, ['privateKey', 'privateKeyFile', 'privateKeyEnv'].find((k) => o[k] !== undefined)!)
    try {
      createLegacySigner({ sdkAppId, privateKey: pem })
    } catch (e) {
      throw new ConfigError(field, `is not a usable ECDSA private key (PEM, P-256 or secp256k1)${hint(e)}`)
    }
    return { algorithm: 'ecdsa', sdkAppId, name, privateKeyPem: pem, userIdPolicy, userSig, privateMapKey }
  }
  const key = secret(o, 'secretKey', path, ctx, true)!
  const allowUnusualKey = o['allowUnusualKey'] === true
  const field = join(path, ['secretKey', 'secretKeyFile', 'secretKeyEnv'].find((k) => o[k] !== undefined)!)
  try {
    createSigner({ sdkAppId, secretKey: key, userIdPolicy })
    // Issue 15 §3: a key that cannot be a console SDKSecretKey is refused unless the app says it is intended.
    checkToolSecretKey(key, { allowUnusualKey })
  } catch (e) {
    throw new ConfigError(field, `is not a usable secret key${hint(e)}`)
  }
  return { algorithm: 'hmac', sdkAppId, name, secretKey: key, allowUnusualKey, userIdPolicy, userSig, privateMapKey }
}

/** The core's hint, never its message (which is ours to trust, but the hint is what the operator needs). */
function hint(e: unknown): string {
  return e instanceof UserSigError && e.hint ? ` (${e.code}: ${e.hint})` : e instanceof UserSigError ? ` (${e.code})` : ''
}


function server(v: unknown): ServerConfig {
  const o = optObj(v, 'server')
  const cors = optObj(o['cors'], 'server.cors')
  const origins = strList(cors['origins'], 'server.cors.origins')
  const credentials = bool(cors['credentials'], 'server.cors.credentials', false)
  origins.forEach((origin, i) => {
    if (origin === '*') throw new ConfigError(join('server.cors.origins', i), 'a wildcard is not allowed: list the origins of your apps')
    // "null" is what a page from file:// (the console opened from disk) sends. Any sandboxed page sends it too, so it
    // is allowed only without cookies: callers still need their own token or API key.
    if (origin === 'null') {
      if (credentials) throw new ConfigError(join('server.cors.origins', i), '"null" (pages from file://) is not allowed together with server.cors.credentials: any sandboxed page sends that origin')
      return
    }
    let u: URL
    try {
      u = new URL(origin)
    } catch {
      throw new ConfigError(join('server.cors.origins', i), 'must be an origin such as https://app.example.com')
    }
    if (u.origin !== origin) throw new ConfigError(join('server.cors.origins', i), `must be an origin without path or trailing slash (${u.origin})`)
  })
  let trustProxy: boolean | string[] = false
  if (o['trustProxy'] !== undefined) {
    if (typeof o['trustProxy'] === 'boolean') trustProxy = o['trustProxy']
    else {
      trustProxy = strList(o['trustProxy'], 'server.trustProxy')
      trustProxy.forEach((p, i) => checkAddress(p, join('server.trustProxy', i)))
    }
  }
  const headersTimeout = optSeconds(o['headersTimeout'], 'server.headersTimeout', 5, { min: 1, max: 600 })
  const requestTimeout = optSeconds(o['requestTimeout'], 'server.requestTimeout', 30, { min: 1, max: 3600 })
  if (requestTimeout < headersTimeout) throw new ConfigError('server.requestTimeout', 'must be at least server.headersTimeout (it covers the headers and the body)')
  let consoleDir: string | null | undefined
  if (o['consoleDir'] === null || o['consoleDir'] === false) consoleDir = null
  else if (o['consoleDir'] !== undefined) consoleDir = resolve(str(o['consoleDir'], 'server.consoleDir'))
  return {
    host: o['host'] === undefined ? '127.0.0.1' : str(o['host'], 'server.host'),
    port: o['port'] === undefined ? 8080 : int(o['port'], 'server.port', 0, 65535),
    bodyLimit: o['bodyLimit'] === undefined ? 8192 : int(o['bodyLimit'], 'server.bodyLimit', 256, 1048576),
    trustProxy,
    cors: { origins, credentials },
    shutdownTimeout: optSeconds(o['shutdownTimeout'], 'server.shutdownTimeout', 10, { min: 0, max: 3600 }),
    drainDelay: optSeconds(o['drainDelay'], 'server.drainDelay', 0, { min: 0, max: 600 }),
    headersTimeout,
    requestTimeout,
    consoleDir,
  }
}

/** An IP address or a CIDR block (10.0.0.0/8, fd00::/8). */
export function checkAddress(p: string, path: string): void {
  const [addr, bits, extra] = p.split('/')
  const fam = isIP(addr ?? '')
  const ok = fam !== 0 && extra === undefined && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (fam === 4 ? 32 : 128)))
  if (!ok) throw new ConfigError(path, 'must be an IP address or a CIDR block such as 10.0.0.0/8')
}

function auth(v: unknown, ctx: ResolveContext, demo: boolean): AuthConfig {
  const o = optObj(v, 'auth')
  const demoAuth = bool(o['demo'], 'auth.demo', false)
  if (demoAuth && !demo) {
    throw new ConfigError('auth.demo', 'the demo authenticator signs for any userId a caller names; it is only available in the embedded demo (demo: true)')
  }
  return {
    jwt: o['jwt'] === undefined || o['jwt'] === null ? null : jwt(o['jwt'], ctx),
    trustedHeader: o['trustedHeader'] === undefined || o['trustedHeader'] === null ? null : trustedHeader(o['trustedHeader']),
    forwardAuth: o['forwardAuth'] === undefined || o['forwardAuth'] === null ? null : forwardAuth(o['forwardAuth']),
    apiKeys: list(o['apiKeys'], 'auth.apiKeys').map((k, i) => apiKey(k, join('auth.apiKeys', i), ctx)),
    demo: demoAuth,
  }
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']

function jwt(v: unknown, ctx: ResolveContext): JwtConfig {
  const p = 'auth.jwt'
  const o = obj(v, p)
  const sec = secret(o, 'secret', p, ctx, false)
  const jwksFile = o['jwksFile'] === undefined ? null : file(o['jwksFile'], join(p, 'jwksFile'), ctx)
  const jwksUrl = o['jwksUrl'] === undefined ? null : url(o['jwksUrl'], join(p, 'jwksUrl'), { httpsUnlessLoopback: true }).href
  const sources = [sec !== null, jwksFile !== null, jwksUrl !== null].filter(Boolean).length
  if (sources !== 1) throw new ConfigError(p, 'give exactly one key source: secret/secretFile/secretEnv (HS256), jwksFile or jwksUrl')
  if (sec !== null && new TextEncoder().encode(sec).length < 32) {
    throw new ConfigError(join(p, 'secret'), 'an HS256 secret must be at least 32 bytes')
  }
  if (jwksFile !== null) {
    let parsed: unknown
    try {
      parsed = JSON.parse(readFileSync(jwksFile, 'utf8'))
    } catch {
      throw new ConfigError(join(p, 'jwksFile'), 'cannot read the file as JSON')
    }
    if (!isObj(parsed) || !Array.isArray(parsed['keys'])) throw new ConfigError(join(p, 'jwksFile'), 'must hold a JWK Set ({"keys": [...]})')
  }
  const issuer = strList(o['issuer'], join(p, 'issuer'))
  const audience = strList(o['audience'], join(p, 'audience'))
  if (sec === null && audience.length === 0) {
    throw new ConfigError(join(p, 'audience'), 'required with a JWKS: without it, tokens the identity provider issued for other applications would be accepted')
  }
  const algorithms = o['algorithms'] === undefined ? (sec !== null ? ['HS256'] : ['RS256', 'ES256']) : strList(o['algorithms'], join(p, 'algorithms'))
  algorithms.forEach((a, i) => {
    const ok = sec !== null ? ['HS256', 'HS384', 'HS512'].includes(a) : ASYMMETRIC.includes(a)
    if (!ok) throw new ConfigError(join(join(p, 'algorithms'), i), sec !== null ? 'with a shared secret, use HS256, HS384 or HS512' : `with a JWKS, use one of ${ASYMMETRIC.join(', ')}`)
  })
  return {
    secret: sec,
    jwksFile,
    jwksUrl,
    issuer: issuer.length ? issuer : null,
    audience: audience.length ? audience : null,
    algorithms,
    userIdClaim: o['userIdClaim'] === undefined ? 'sub' : str(o['userIdClaim'], join(p, 'userIdClaim')),
    rolesClaim: o['rolesClaim'] === undefined ? 'roles' : str(o['rolesClaim'], join(p, 'rolesClaim')),
    clockTolerance: optSeconds(o['clockTolerance'], join(p, 'clockTolerance'), 5, { max: 3600 }),
    requireExp: bool(o['requireExp'], join(p, 'requireExp'), true),
    maxTokenAge: o['maxTokenAge'] === false || o['maxTokenAge'] === 'off' ? null : optSeconds(o['maxTokenAge'], join(p, 'maxTokenAge'), 86400, { min: 1, max: 366 * 86400 }),
    jwksCacheMaxAge: optSeconds(o['jwksCacheMaxAge'], join(p, 'jwksCacheMaxAge'), 600, { min: 1, max: 7 * 86400 }),
    cacheTtl: optSeconds(o['cacheTtl'], join(p, 'cacheTtl'), 60, { max: 3600 }),
    jwksCooldownMs: Math.round(1000 * optSeconds(o['jwksCooldown'], join(p, 'jwksCooldown'), 30, { min: 0, max: 3600 })),
    jwksTimeoutMs: Math.round(1000 * optSeconds(o['jwksTimeout'], join(p, 'jwksTimeout'), 5, { min: 0.05, max: 60 })),
  }
}

function headerName(v: unknown, path: string): string {
  const h = str(v, path).toLowerCase()
  if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(h)) throw new ConfigError(path, 'must be an HTTP header name')
  return h
}

function trustedHeader(v: unknown): TrustedHeaderConfig {
  const p = 'auth.trustedHeader'
  const o = obj(v, p)
  const proxies = strList(o['proxies'], join(p, 'proxies'))
  if (proxies.length === 0) throw new ConfigError(join(p, 'proxies'), 'list the addresses of the reverse proxies that set the header (anyone else could set it too)')
  proxies.forEach((x, i) => checkAddress(x, join(join(p, 'proxies'), i)))
  const rh = o['rolesHeader']
  return {
    header: o['header'] === undefined ? 'x-user-id' : headerName(o['header'], join(p, 'header')),
    rolesHeader: rh === undefined || rh === null ? null : headerName(rh, join(p, 'rolesHeader')),
    proxies,
  }
}

function forwardAuth(v: unknown): ForwardAuthConfig {
  const p = 'auth.forwardAuth'
  const o = obj(v, p)
  const fh = o['forwardHeaders'] === undefined ? ['cookie', 'authorization'] : strList(o['forwardHeaders'], join(p, 'forwardHeaders'))
  if (fh.length === 0) throw new ConfigError(join(p, 'forwardHeaders'), 'must name at least one header')
  const uh = o['userIdHeader']
  return {
    url: url(o['url'], join(p, 'url'), { httpsUnlessLoopback: false }).href,
    method: oneOf(o['method'], join(p, 'method'), ['GET', 'POST'], 'GET'),
    forwardHeaders: fh.map((h, i) => headerName(h, join(join(p, 'forwardHeaders'), i))),
    userIdField: o['userIdField'] === undefined ? 'userId' : str(o['userIdField'], join(p, 'userIdField')),
    rolesField: o['rolesField'] === undefined ? 'roles' : str(o['rolesField'], join(p, 'rolesField')),
    userIdHeader: uh === undefined || uh === null ? null : headerName(uh, join(p, 'userIdHeader')),
    cacheTtl: optSeconds(o['cacheTtl'], join(p, 'cacheTtl'), 5, { max: 3600 }),
    cacheSize: o['cacheSize'] === undefined ? 10000 : int(o['cacheSize'], join(p, 'cacheSize'), 0, 10_000_000),
    timeoutMs: Math.round(1000 * optSeconds(o['timeout'], join(p, 'timeout'), 2, { min: 0.05, max: 60 })),
  }
}

function apiKey(v: unknown, path: string, ctx: ResolveContext): ApiKeyConfig {
  const o = obj(v, path)
  const name = str(o['name'], join(path, 'name'))
  let sha256: Uint8Array
  if (o['sha256'] !== undefined) {
    if (['key', 'keyFile', 'keyEnv'].some((k) => o[k] !== undefined)) throw new ConfigError(path, 'give either sha256 or key/keyFile/keyEnv')
    const h = str(o['sha256'], join(path, 'sha256')).toLowerCase()
    if (!/^[0-9a-f]{64}$/.test(h)) throw new ConfigError(join(path, 'sha256'), 'must be 64 hex characters (the SHA-256 of the key, e.g. `printf %s "$KEY" | sha256sum`)')
    sha256 = Uint8Array.from(Buffer.from(h, 'hex'))
  } else {
    const key = secret(o, 'key', path, ctx, true)!
    if (key.length < 16) throw new ConfigError(join(path, 'key'), 'an API key must be at least 16 characters')
    sha256 = Uint8Array.from(createHash('sha256').update(key, 'utf8').digest())
  }
  const scopes = o['scopes'] === undefined ? ['admin'] : strList(o['scopes'], join(path, 'scopes'))
  scopes.forEach((s, i) => {
    if (!['admin', 'issue', 'verify', 'metrics'].includes(s)) throw new ConfigError(join(join(path, 'scopes'), i), 'must be admin, issue, verify or metrics')
  })
  return { name, sha256, scopes: scopes as ApiKeyScope[] }
}

function policy(v: unknown, ctx: ResolveContext, sdkAppIds: number[]): PolicyConfig {
  const o = optObj(v, 'policy')
  const p = 'policy.privateMapKey'
  const pmk = optObj(o['privateMapKey'], p)
  const rules = list(pmk['rules'], join(p, 'rules')).map((r, i) => rule(r, join(join(p, 'rules'), i), i, sdkAppIds))
  const webhook = pmk['webhook'] === undefined || pmk['webhook'] === null ? null : hook(pmk['webhook'], join(p, 'webhook'), ctx)
  if (webhook && rules.length) throw new ConfigError(join(p, 'webhook'), 'give either rules or a webhook, not both')
  return { privateMapKey: { rules, webhook } }
}

function rule(v: unknown, path: string, index: number, sdkAppIds: number[]): PmkRule {
  const o = obj(v, path)
  const rooms = list(o['rooms'], join(path, 'rooms')).map((r, i) => room(r, join(join(path, 'rooms'), i)))
  if (rooms.length === 0) throw new ConfigError(join(path, 'rooms'), 'list at least one room pattern ("*" for any room)')
  if (o['privileges'] === undefined) throw new ConfigError(join(path, 'privileges'), 'required: a number 0..255, a preset (anchor, audience, coHost, all) or a list of names')
  let privileges: number
  try {
    privileges = parsePrivileges(o['privileges'] as never)
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

function hook(v: unknown, path: string, ctx: ResolveContext): WebhookConfig {
  const o = obj(v, path)
  const headers: Record<string, string> = {}
  const h = optObj(o['headers'], join(path, 'headers'))
  for (const [k, val] of Object.entries(h)) headers[headerName(k, join(join(path, 'headers'), k))] = str(val, join(join(path, 'headers'), k))
  // headersEnv: { "x-webhook-secret": "ENV_VAR_NAME" } keeps a shared secret out of the file.
  const he = optObj(o['headersEnv'], join(path, 'headersEnv'))
  for (const [k, val] of Object.entries(he)) {
    const field = join(join(path, 'headersEnv'), k)
    const envName = str(val, field)
    const value = ctx.env[envName]
    if (value === undefined || value === '') throw new ConfigError(field, `environment variable ${envName} is not set`)
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
  const o = optObj(v, path)
  return {
    limit: o['limit'] === undefined ? dflt.limit : int(o['limit'], join(path, 'limit'), 1, 1e9),
    window: optSeconds(o['window'], join(path, 'window'), dflt.window, { min: 1, max: 86400 }),
  }
}

function rateLimit(v: unknown, ctx: ResolveContext): RateLimitConfig {
  const p = 'rateLimit'
  const o = optObj(v, p)
  const store = oneOf(o['store'], join(p, 'store'), ['memory', 'redis'], o['redis'] ? 'redis' : 'memory')
  let redis: RateLimitConfig['redis'] = null
  if (store === 'redis') {
    const r = optObj(o['redis'], join(p, 'redis'))
    const u = secret(r, 'url', join(p, 'redis'), ctx, true)!
    let parsed: URL
    try {
      parsed = new URL(u)
    } catch {
      throw new ConfigError(join(join(p, 'redis'), 'url'), 'must be a redis:// or rediss:// URL')
    }
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new ConfigError(join(join(p, 'redis'), 'url'), 'must be a redis:// or rediss:// URL')
    redis = {
      url: u,
      cluster: bool(r['cluster'], join(join(p, 'redis'), 'cluster'), false),
      keyPrefix: r['keyPrefix'] === undefined ? 'usersig:rl:' : str(r['keyPrefix'], join(join(p, 'redis'), 'keyPrefix')),
      failMode: oneOf(r['failMode'], join(join(p, 'redis'), 'failMode'), ['closed', 'local'], 'closed'),
      commandTimeoutMs: Math.round(1000 * optSeconds(r['commandTimeout'], join(join(p, 'redis'), 'commandTimeout'), 0.5, { min: 0.01, max: 30 })),
    }
  }
  return {
    enabled: bool(o['enabled'], join(p, 'enabled'), true),
    store,
    algorithm: oneOf(o['algorithm'], join(p, 'algorithm'), ['fixed', 'sliding'], 'sliding'),
    perUser: limit(o['perUser'], join(p, 'perUser'), { limit: 30, window: 60 }),
    perIp: limit(o['perIp'], join(p, 'perIp'), { limit: 120, window: 60 }),
    maxKeys: o['maxKeys'] === undefined ? 100_000 : int(o['maxKeys'], join(p, 'maxKeys'), 100, 1e8),
    authFailures: limit(o['authFailures'], join(p, 'authFailures'), { limit: 20, window: 300 }),
    redis,
  }
}
