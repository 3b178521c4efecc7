/**
 * The second pass over the shared vocabulary, for a config the schema (schema.ts) already accepted: it does only what a
 * JSON Schema cannot. It reads secrets (`xxx` inline, `xxxEnv` from the environment, `xxxFile` where the adapter can
 * read files), turns durations into seconds, normalises SDKAppIDs, lists and room patterns, fills the defaults the
 * schema declares, and checks what spans fields (an app listed twice, rules naming unknown apps, one JWT key source).
 * Every problem is a ConfigError naming the field; values are never echoed.
 */
import { checkToolSecretKey, createSigner, lifetimeInMilliseconds, normalizeSdkAppId, parseDuration, parseExpiresIn, parsePrivileges, UserSigError } from 'usersig'
import { boolOf, ConfigError, defaultOf, headerName, intOf, isObj, join, listOf, optSeconds, seconds, url } from './check.js'
import { AppSchema, CorsSchema, WebhookSchema, DefaultSdkAppIdSchema, DEPRECATED_EXPIRES_IN_KEYS, jwtFields, LIFETIME_WORDS, rateLimitFields, type AppInput, type CorsInput, type JwtInput, type PolicyInput, type RateLimitInput, type TExpiresInPolicy, type TLimit } from './schema.js'
import type { AppBase, AppConfig, CorsConfig, ExpiresInPolicy, JwtConfig, JwtKeySource, JwtRules, LimitRule, PmkRule, PolicyConfig, RateLimitConfig, RoomPattern, WebhookConfig } from './types.js'

/** Environment variables, or a Worker's bindings: where `xxxEnv` names are looked up. */
export type Env = Record<string, string | undefined>

/** Where secrets come from. Without `readFile` (the edge: no file system), `xxxFile` is refused with a pointer to `xxxEnv`. */
export interface SecretSource {
  env: Env
  /** The text of a file named by `xxxFile` (`field` is its path in the config, for errors). */
  readFile?: (path: string, field: string) => string
}

/**
 * A secret given as `name` (inline), `nameFile` (path) or `nameEnv` (variable name): exactly one.
 * `required`: its absence is an error, else null.
 */
export function secret(o: Record<string, unknown>, name: string, path: string, src: SecretSource, required: boolean): string | null {
  const spellings = src.readFile ? [name, `${name}File`, `${name}Env`] : [name, `${name}Env`]
  if (!src.readFile && o[`${name}File`] !== undefined) {
    throw new ConfigError(join(path, `${name}File`), `files are not read here: put the secret in the platform's secret store and name it with ${name}Env`)
  }
  const given = spellings.filter((k) => o[k] !== undefined && o[k] !== null)
  if (given.length > 1) throw new ConfigError(join(path, given[1]!), `give only one of ${spellings.join(', ')}`)
  if (given.length === 0) {
    if (!required) return null
    throw new ConfigError(join(path, name), src.readFile ? `required: set ${name}File (a file holding it) or ${name}Env (a variable holding it)` : `required: set ${name}Env (the name of a secret in the platform's environment)`)
  }
  const k = given[0]!
  const field = join(path, k)
  const value = o[k] as string
  if (k === name) return value
  if (k.endsWith('File')) return src.readFile!(value, field)
  return fromEnv(value, field, src.env)
}

/** The value of the variable `name`; unset or empty is an error naming the variable (never a value). */
export function fromEnv(name: string, field: string, env: Env): string {
  const value = env[name]
  if (typeof value !== 'string' || value === '') throw new ConfigError(field, `environment variable ${name} is not set`)
  return value
}

/**
 * A lifetime field, read as `expiresIn` is read everywhere (the core's parseExpiresIn: the one duration grammar, whole
 * seconds, at most 50 years, no milliseconds of a common lifetime). The core's message is not repeated: it may quote
 * the value, and config errors never echo one.
 */
function lifetime(v: unknown, path: string): number {
  try {
    return parseExpiresIn(v, path)
  } catch (e) {
    // The core's hint for milliseconds points at allowUnusualLifetime, which a config does not have: say what to write.
    const s = parseDuration(v)
    const ms = Number.isInteger(s) ? lifetimeInMilliseconds(s) : null
    if (ms !== null) throw new ConfigError(path, `is a common lifetime in milliseconds, and lifetimes are seconds: write ${ms}`)
    throw new ConfigError(path, `must be a lifetime: ${LIFETIME_WORDS}${hint(e)}`)
  }
}

/** `apps[].userSig` or `apps[].privateMapKey`: the expiresIn bounds; a deprecated key (`maxTtl`) is read with a warning. */
function expiresInPolicy(v: Record<string, unknown> | undefined, path: string, schema: TExpiresInPolicy, warnings: string[]): ExpiresInPolicy {
  const at = (k: keyof typeof DEPRECATED_EXPIRES_IN_KEYS): number => {
    const old = DEPRECATED_EXPIRES_IN_KEYS[k]
    if (v?.[old] === undefined) return lifetime(v?.[k] ?? defaultOf(schema.properties[k]), join(path, k))
    if (v[k] !== undefined) throw new ConfigError(join(path, old), `give only ${k}: ${old} is its deprecated name`)
    warnings.push(`config field "${join(path, old)}" is deprecated: name it "${join(path, k)}"`)
    return lifetime(v[old], join(path, old))
  }
  const t: ExpiresInPolicy = { defaultExpiresIn: at('defaultExpiresIn'), minExpiresIn: at('minExpiresIn'), maxExpiresIn: at('maxExpiresIn') }
  if (t.minExpiresIn > t.maxExpiresIn) throw new ConfigError(join(path, 'minExpiresIn'), 'must not be above maxExpiresIn')
  if (t.defaultExpiresIn < t.minExpiresIn || t.defaultExpiresIn > t.maxExpiresIn) throw new ConfigError(join(path, 'defaultExpiresIn'), 'must be between minExpiresIn and maxExpiresIn')
  return t
}

/** The core's hint, never its message (which is ours to trust, but the hint is what the operator needs). */
export function hint(e: unknown): string {
  return e instanceof UserSigError && e.hint ? ` (${e.code}: ${e.hint})` : e instanceof UserSigError ? ` (${e.code})` : ''
}

/** Makes an app with a legacy ECDSA key; without one (the edge), such apps are refused. */
export type EcdsaResolver<E> = (base: AppBase, pem: string, field: string) => E

function app<E>(o: AppInput, path: string, src: SecretSource, ecdsa: EcdsaResolver<E> | undefined, warnings: string[]): AppConfig | E {
  let sdkAppId: number
  try {
    sdkAppId = normalizeSdkAppId(o.sdkAppId)
  } catch {
    throw new ConfigError(join(path, 'sdkAppId'), 'must be an integer 1..4294967295 (the SDKAppID from the console)')
  }
  const base: AppBase = {
    sdkAppId,
    name: o.name ?? String(sdkAppId),
    userIdPolicy: o.userIdPolicy ?? 'im',
    allowUnusualUserId: boolOf(o.allowUnusualUserId, defaultOf<boolean>(AppSchema.properties.allowUnusualUserId)),
    userSigExpiresIn: expiresInPolicy(o.userSig, join(path, 'userSig'), AppSchema.properties.userSig, warnings),
    privateMapKeyExpiresIn: expiresInPolicy(o.privateMapKey, join(path, 'privateMapKey'), AppSchema.properties.privateMapKey, warnings),
  }
  const spelled = (name: string): string | undefined => [name, `${name}File`, `${name}Env`].find((k) => o[k as keyof AppInput] !== undefined)
  const hmacField = spelled('secretKey')
  const ecdsaField = spelled('privateKey')
  if (hmacField && ecdsaField) throw new ConfigError(path, 'give either a secretKey (HMAC) or a privateKey (legacy ECDSA), not both')
  if (ecdsaField) {
    if (!ecdsa) throw new ConfigError(path, "legacy ECDSA apps (privateKey) are served by the Node service only; give the app's secretKeyEnv (HMAC)")
    return ecdsa(base, secret(o, 'privateKey', path, src, true)!, join(path, ecdsaField))
  }
  const key = secret(o, 'secretKey', path, src, true)!
  const allowUnusualKey = boolOf(o.allowUnusualKey, false)
  try {
    createSigner({ sdkAppId, secretKey: key, userIdPolicy: base.userIdPolicy })
    // Issue 15 §3: a key that cannot be a console SDKSecretKey is refused unless the app says it is intended.
    checkToolSecretKey(key, { allowUnusualKey })
  } catch (e) {
    throw new ConfigError(join(path, hmacField ?? 'secretKey'), `is not a usable secret key${hint(e)}`)
  }
  return { ...base, algorithm: 'hmac', secretKey: key, allowUnusualKey }
}

/**
 * `apps` and `defaultSdkAppId`: each app resolved, none listed twice, the default among them; `warnings` names each
 * deprecated key the apps used (the adapter logs them).
 */
export function resolveApps<E extends { sdkAppId: number } = never>(
  c: { apps?: AppInput[]; defaultSdkAppId?: number | string },
  src: SecretSource,
  ecdsa?: EcdsaResolver<E>,
  none = 'at least one app is required',
): { apps: (AppConfig | E)[]; defaultSdkAppId: number; warnings: string[] } {
  const warnings: string[] = []
  const apps = (c.apps ?? []).map((a, i) => app(a, join('apps', i), src, ecdsa, warnings))
  if (apps.length === 0) throw new ConfigError('apps', none)
  const seen = new Set<number>()
  apps.forEach((a, i) => {
    if (seen.has(a.sdkAppId)) throw new ConfigError(join(join('apps', i), 'sdkAppId'), 'is listed twice')
    seen.add(a.sdkAppId)
  })
  let defaultSdkAppId = apps[0]!.sdkAppId
  if (c.defaultSdkAppId !== undefined) {
    defaultSdkAppId = intOf(c.defaultSdkAppId, 'defaultSdkAppId', DefaultSdkAppIdSchema)
    if (!seen.has(defaultSdkAppId)) throw new ConfigError('defaultSdkAppId', 'is not one of the configured apps')
  }
  return { apps, defaultSdkAppId, warnings }
}

/** CORS origins: each an origin (no wildcard, no path); "null" (pages from file://) only without credentials. */
export function resolveCors(o: CorsInput | undefined, path: string): CorsConfig {
  const origins = listOf(o?.origins)
  const credentials = boolOf(o?.credentials, defaultOf<boolean>(CorsSchema.properties.credentials))
  origins.forEach((origin, i) => {
    const field = join(join(path, 'origins'), i)
    if (origin === '*') throw new ConfigError(field, 'a wildcard is not allowed: list the origins of your apps')
    // "null" is what a page from file:// (the console opened from disk) sends. Any sandboxed page sends it too, so it
    // is allowed only without cookies: callers still need their own token or API key.
    if (origin === 'null') {
      if (credentials) throw new ConfigError(field, `"null" (pages from file://) is not allowed together with ${join(path, 'credentials')}: any sandboxed page sends that origin`)
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

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']
const d = (k: keyof typeof jwtFields): unknown => defaultOf(jwtFields[k])

/**
 * `auth.jwt`: exactly one key source (a secret of at least 32 bytes, a JWK Set inline or from `jwksFile`, or a
 * `jwksUrl`), an audience with a JWKS, algorithms that fit the key, and the claim rules with their defaults.
 */
export function resolveJwt(o: JwtInput & { jwks?: unknown }, src: SecretSource): JwtConfig {
  const p = 'auth.jwt'
  if (o.jwksFile !== undefined && !src.readFile) throw new ConfigError(join(p, 'jwksFile'), 'files are not read here: give the JWK Set itself as jwks, or a jwksUrl')
  const sources: JwtKeySource[] = []
  const sec = secret(o, 'secret', p, src, false)
  if (sec !== null) {
    if (new TextEncoder().encode(sec).length < 32) throw new ConfigError(join(p, 'secret'), 'an HS256 secret must be at least 32 bytes')
    sources.push({ kind: 'secret', secret: sec })
  }
  const jwks = o.jwksFile !== undefined ? jsonOf(src.readFile!(o.jwksFile, join(p, 'jwksFile')), join(p, 'jwksFile')) : o.jwks
  if (jwks !== undefined) {
    const field = join(p, o.jwksFile !== undefined ? 'jwksFile' : 'jwks')
    if (!isObj(jwks) || !Array.isArray(jwks['keys']) || !jwks['keys'].every(isObj)) throw new ConfigError(field, 'must hold a JWK Set ({"keys": [...]})')
    sources.push({ kind: 'jwks', jwks: { keys: jwks['keys'] as Record<string, unknown>[] } })
  }
  if (o.jwksUrl !== undefined) sources.push({ kind: 'jwksUrl', url: url(o.jwksUrl, join(p, 'jwksUrl'), { httpsUnlessLoopback: true }).href })
  if (sources.length !== 1) throw new ConfigError(p, `give exactly one key source: ${src.readFile ? 'secret/secretFile/secretEnv (HS256), jwksFile' : 'secret/secretEnv (HS256), jwks'} or jwksUrl`)
  const keys = sources[0]!
  return { keys, ...jwtRules(o, p, keys.kind === 'secret') }
}

function jsonOf(text: string, field: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new ConfigError(field, 'cannot read the file as JSON')
  }
}

function jwtRules(o: JwtInput, p: string, symmetric: boolean): JwtRules {
  const issuer = listOf(o.issuer)
  const audience = listOf(o.audience)
  if (!symmetric && audience.length === 0) {
    throw new ConfigError(join(p, 'audience'), 'required with a JWKS: without it, tokens the identity provider issued for other applications would be accepted')
  }
  const algorithms = o.algorithms === undefined ? (symmetric ? ['HS256'] : ['RS256', 'ES256']) : listOf(o.algorithms)
  algorithms.forEach((a, i) => {
    const ok = symmetric ? ['HS256', 'HS384', 'HS512'].includes(a) : ASYMMETRIC.includes(a)
    if (!ok) throw new ConfigError(join(join(p, 'algorithms'), i), symmetric ? 'with a shared secret, use HS256, HS384 or HS512' : `with a JWKS, use one of ${ASYMMETRIC.join(', ')}`)
  })
  const age = o.maxTokenAge ?? d('maxTokenAge')
  return {
    issuer: issuer.length ? issuer : null,
    audience: audience.length ? audience : null,
    algorithms,
    userIdClaim: o.userIdClaim ?? defaultOf<string>(jwtFields.userIdClaim),
    rolesClaim: o.rolesClaim ?? defaultOf<string>(jwtFields.rolesClaim),
    clockTolerance: seconds(o.clockTolerance ?? d('clockTolerance'), join(p, 'clockTolerance'), { max: 3600 }),
    requireExp: boolOf(o.requireExp, defaultOf<boolean>(jwtFields.requireExp)),
    maxTokenAge: age === false || age === 'off' ? null : seconds(age, join(p, 'maxTokenAge'), { min: 1, max: 366 * 86400 }),
    jwksCacheMaxAge: seconds(o.jwksCacheMaxAge ?? d('jwksCacheMaxAge'), join(p, 'jwksCacheMaxAge'), { min: 1, max: 7 * 86400 }),
    jwksCooldownMs: Math.round(1000 * seconds(o.jwksCooldown ?? d('jwksCooldown'), join(p, 'jwksCooldown'), { min: 0, max: 3600 })),
    jwksTimeoutMs: Math.round(1000 * seconds(o.jwksTimeout ?? d('jwksTimeout'), join(p, 'jwksTimeout'), { min: 0.05, max: 60 })),
  }
}

/** `policy.privateMapKey`: rules (room patterns compiled, apps among the configured ones) or a webhook, not both. */
export function resolvePolicy(o: PolicyInput | undefined, src: SecretSource, sdkAppIds: readonly number[]): PolicyConfig {
  const p = 'policy.privateMapKey'
  const pmk = o?.privateMapKey
  const rules = (pmk?.rules ?? []).map((r, i): PmkRule => {
    const path = join(join(p, 'rules'), i)
    const rooms = r.rooms.map((x, j) => room(x, join(join(path, 'rooms'), j)))
    let privileges: number
    try {
      privileges = parsePrivileges(r.privileges)
    } catch {
      throw new ConfigError(join(path, 'privileges'), 'must be a number 0..255, a preset (anchor, audience, coHost, all) or a list of privilege names')
    }
    const apps = r.apps?.map((a, j) => {
      const id = Number(a)
      if (!sdkAppIds.includes(id)) throw new ConfigError(join(join(path, 'apps'), j), 'is not one of the configured apps')
      return id
    })
    return { index: i, apps: apps ?? null, roles: r.roles === undefined ? null : listOf(r.roles), users: r.users === undefined ? null : listOf(r.users), rooms, privileges }
  })
  const webhook = pmk?.webhook ? hook(pmk.webhook, join(p, 'webhook'), src) : null
  if (webhook && rules.length) throw new ConfigError(join(p, 'webhook'), 'give either rules or a webhook, not both')
  return { privateMapKey: { rules, webhook } }
}

/** `1234` or "1234" exact; "live-*" glob (`*`, `?`; `{userId}` is the caller); "/^live-\d+$/" a regex. */
function room(v: number | string, path: string): RoomPattern {
  if (typeof v === 'number') return { kind: 'exact', value: String(v) }
  const m = /^\/(.*)\/([imsu]*)$/s.exec(v)
  if (m) {
    try {
      return { kind: 'regex', regex: new RegExp(m[1]!, m[2]) }
    } catch {
      throw new ConfigError(path, 'is not a valid regular expression')
    }
  }
  return /[*?{]/.test(v) ? { kind: 'glob', source: v } : { kind: 'exact', value: v }
}

function hook(o: NonNullable<NonNullable<PolicyInput['privateMapKey']>['webhook']>, path: string, src: SecretSource): WebhookConfig {
  const headers: Record<string, string> = {}
  for (const [k, val] of Object.entries(o.headers ?? {})) headers[headerName(k, join(join(path, 'headers'), k))] = val
  // headersEnv: { "x-webhook-secret": "VARIABLE" } keeps a shared secret out of the file.
  for (const [k, name] of Object.entries(o.headersEnv ?? {})) {
    const field = join(join(path, 'headersEnv'), k)
    headers[headerName(k, field)] = fromEnv(name, field, src.env)
  }
  return {
    url: url(o.url, join(path, 'url')).href,
    timeoutMs: Math.round(1000 * seconds(o.timeout ?? defaultOf(WebhookSchema.properties.timeout), join(path, 'timeout'), { min: 0.05, max: 60 })),
    headers,
  }
}

/** A rate limit ("30/1m", { limit, window } or off); what the object leaves out comes from the field's default. */
export function resolveLimit(v: unknown, path: string, field: TLimit): LimitRule | null {
  if (v === false || v === 'off') return null
  const parse = (s: string): LimitRule => {
    const m = /^\s*(\d+)\s*\/\s*(.+)$/.exec(s)
    if (!m) throw new ConfigError(path, 'must be "N/window" such as "30/1m", an object { limit, window } or false')
    return { limit: intOf(m[1]!, path, field.anyOf[3].properties.limit), window: seconds(m[2], path, { min: 1, max: 86400 }) }
  }
  const dflt = parse(defaultOf<string>(field))
  if (v === undefined) return dflt
  if (typeof v === 'string') return parse(v)
  const o = v as { limit?: number | string; window?: number | string }
  return {
    limit: o.limit === undefined ? dflt.limit : intOf(o.limit, join(path, 'limit'), field.anyOf[3].properties.limit),
    window: optSeconds(o.window, join(path, 'window'), dflt.window, { min: 1, max: 86400 }),
  }
}

/** The shared fields of `rateLimit`. */
export function resolveRateLimit(o: RateLimitInput | undefined): RateLimitConfig {
  const f = rateLimitFields
  return {
    enabled: boolOf(o?.enabled, defaultOf<boolean>(f.enabled)),
    algorithm: o?.algorithm ?? defaultOf<'fixed' | 'sliding'>(f.algorithm),
    perUser: resolveLimit(o?.perUser, 'rateLimit.perUser', f.perUser),
    perIp: resolveLimit(o?.perIp, 'rateLimit.perIp', f.perIp),
  }
}
