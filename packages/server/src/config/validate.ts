/**
 * Turns a config object (parsed from JSON/YAML, with environment overrides applied) into a ServiceConfig. The schema
 * (schema.ts) checks every type, range, enum and field name first; this second pass does only what a JSON Schema
 * cannot: it reads secrets (`xxx`, `xxxFile` relative to the config file, `xxxEnv`), turns durations into seconds,
 * fills the schema's defaults, and checks what spans fields. The shared sections are resolved by @usersig/issuer, so
 * the service and the edge handler read them alike. Every problem is a ConfigError naming the field; values are
 * never echoed.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { isIP } from 'node:net'
import {
  boolOf,
  checkSchema,
  ConfigError,
  defaultOf,
  hint,
  headerName,
  intOf,
  isLoopbackHost,
  join,
  listOf,
  resolveApps,
  resolveCors,
  resolveJwt,
  resolveLimit,
  resolvePolicy,
  resolveRateLimit,
  secret,
  seconds,
  url,
  type AppBase,
  type SecretSource,
} from '@usersig/issuer'
import { createLegacySigner } from '../core.js'
import { ApiKeySchema, AuditSchema, ConfigSchema, ForwardAuthSchema, JwtSchema, RateLimitSchema, ServerSchema, TrustedHeaderSchema, type ApiKeyScope, type ConfigInput } from './schema.js'
import type { ApiKeyConfig, AuthConfig, EcdsaAppConfig, ForwardAuthConfig, JwtConfig, RateLimitConfig, ServerConfig, ServiceConfig, TrustedHeaderConfig } from './types.js'

/** Where secrets and relative paths are read from. */
export interface ResolveContext {
  /** Environment for `xxxEnv` secret references. */
  env: Record<string, string | undefined>
  /** Directory that relative file paths are resolved against (the config file's). */
  baseDir: string
}

type Input<K extends keyof ConfigInput> = NonNullable<ConfigInput[K]>

/** Checks `input` against the schema, then resolves it. */
export function validateConfig(input: unknown, ctx: ResolveContext): ServiceConfig {
  checkSchema(ConfigSchema, input)
  const c = input as ConfigInput
  const src = secretSource(ctx)
  const { apps, defaultSdkAppId, warnings } = resolveApps(c, src, ecdsaApp, 'at least one app is required (or set USERSIG_SDKAPPID and USERSIG_SECRET_KEY_FILE)')
  const demo = boolOf(c.demo, false)
  const srv = server(c.server ?? {})
  const authConfig = auth(c.auth ?? {}, src, ctx, demo)
  if (authConfig.demo && !isLoopbackHost(srv.host)) {
    throw new ConfigError('server.host', 'the demo authenticator accepts any caller as any userId, so it only listens on 127.0.0.1, ::1 or localhost; configure a real app (see docs/service.md) to listen elsewhere')
  }
  const requireApiKey = boolOf(c.metrics?.requireApiKey, false)
  if (requireApiKey && !authConfig.apiKeys.some((k) => k.scopes.includes('metrics') || k.scopes.includes('admin'))) {
    throw new ConfigError('metrics.requireApiKey', 'no API key could read /metrics: give one key the "metrics" scope (auth.apiKeys[].scopes)')
  }
  const audit = c.audit ?? {}
  const a = AuditSchema.properties
  return {
    server: srv,
    apps,
    defaultSdkAppId,
    auth: authConfig,
    policy: resolvePolicy(c.policy, src, apps.map((x) => x.sdkAppId)),
    rateLimit: rateLimit(c.rateLimit ?? {}, src),
    audit: {
      enabled: boolOf(audit.enabled, defaultOf(a.enabled)),
      file: audit.file ? file(audit.file, ctx) : null,
      bufferSize: intOf(audit.bufferSize ?? defaultOf<number>(a.bufferSize), 'audit.bufferSize', a.bufferSize),
    },
    metrics: { requireApiKey },
    log: { level: c.log?.level ?? 'info' },
    demo,
    warnings,
  }
}

function file(p: string, ctx: ResolveContext): string {
  return isAbsolute(p) ? p : resolve(ctx.baseDir, p)
}

/**
 * Secrets from files (relative to the config file) and variables. A file's single trailing newline is dropped (editors
 * add one); anything else is kept, so the core's whitespace check still catches a copy error.
 */
function secretSource(ctx: ResolveContext): SecretSource {
  return {
    env: ctx.env,
    readFile(p, field) {
      let text: string
      try {
        text = readFileSync(file(p, ctx), 'utf8')
      } catch (e) {
        throw new ConfigError(field, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`)
      }
      text = text.replace(/\r?\n$/, '')
      if (text === '') throw new ConfigError(field, 'the file is empty')
      return text
    },
  }
}

function ecdsaApp(base: AppBase, pem: string, field: string): EcdsaAppConfig {
  try {
    createLegacySigner({ sdkAppId: base.sdkAppId, privateKey: pem })
  } catch (e) {
    throw new ConfigError(field, `is not a usable ECDSA private key (PEM, P-256 or secp256k1)${hint(e)}`)
  }
  return { ...base, algorithm: 'ecdsa', privateKey: pem }
}

function server(o: Input<'server'>): ServerConfig {
  const s = ServerSchema.properties
  const cors = resolveCors(o.cors, 'server.cors')
  let trustProxy: boolean | string[] = defaultOf(s.trustProxy)
  if (typeof o.trustProxy === 'boolean') trustProxy = o.trustProxy
  else if (o.trustProxy !== undefined) {
    trustProxy = listOf(o.trustProxy)
    trustProxy.forEach((p, i) => checkAddress(p, join('server.trustProxy', i)))
  }
  const headersTimeout = seconds(o.headersTimeout ?? defaultOf(s.headersTimeout), 'server.headersTimeout', { min: 1, max: 600 })
  const requestTimeout = seconds(o.requestTimeout ?? defaultOf(s.requestTimeout), 'server.requestTimeout', { min: 1, max: 3600 })
  if (requestTimeout < headersTimeout) throw new ConfigError('server.requestTimeout', 'must be at least server.headersTimeout (it covers the headers and the body)')
  return {
    host: o.host ?? defaultOf(s.host),
    port: intOf(o.port ?? defaultOf<number>(s.port), 'server.port', s.port),
    bodyLimit: intOf(o.bodyLimit ?? defaultOf<number>(s.bodyLimit), 'server.bodyLimit', s.bodyLimit),
    trustProxy,
    cors,
    shutdownTimeout: seconds(o.shutdownTimeout ?? defaultOf(s.shutdownTimeout), 'server.shutdownTimeout', { min: 0, max: 3600 }),
    drainDelay: seconds(o.drainDelay ?? defaultOf(s.drainDelay), 'server.drainDelay', { min: 0, max: 600 }),
    headersTimeout,
    requestTimeout,
    consoleDir: o.consoleDir === null || o.consoleDir === false ? null : o.consoleDir === undefined ? undefined : resolve(o.consoleDir),
  }
}

/** An IP address or a CIDR block (10.0.0.0/8, fd00::/8). */
function checkAddress(p: string, path: string): void {
  const [addr, bits, extra] = p.split('/')
  const fam = isIP(addr ?? '')
  const ok = fam !== 0 && extra === undefined && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (fam === 4 ? 32 : 128)))
  if (!ok) throw new ConfigError(path, 'must be an IP address or a CIDR block such as 10.0.0.0/8')
}

function auth(o: Input<'auth'>, src: SecretSource, ctx: ResolveContext, demo: boolean): AuthConfig {
  const demoAuth = boolOf(o.demo, false)
  if (demoAuth && !demo) {
    throw new ConfigError('auth.demo', 'the demo authenticator signs for any userId a caller names; it is only available in the embedded demo (demo: true)')
  }
  return {
    jwt: o.jwt ? jwt(o.jwt, src, ctx) : null,
    trustedHeader: o.trustedHeader ? trustedHeader(o.trustedHeader) : null,
    forwardAuth: o.forwardAuth ? forwardAuth(o.forwardAuth) : null,
    apiKeys: (o.apiKeys ?? []).map((k, i) => apiKey(k, join('auth.apiKeys', i), src)),
    demo: demoAuth,
  }
}

function jwt(o: NonNullable<Input<'auth'>['jwt']>, src: SecretSource, ctx: ResolveContext): JwtConfig {
  const j = resolveJwt(o, src)
  return {
    ...j,
    secret: j.keys.kind === 'secret' ? j.keys.secret : null,
    jwksFile: o.jwksFile === undefined ? null : file(o.jwksFile, ctx),
    jwksUrl: j.keys.kind === 'jwksUrl' ? j.keys.url : null,
    cacheTtl: seconds(o.cacheTtl ?? defaultOf(JwtSchema.properties.cacheTtl), 'auth.jwt.cacheTtl', { max: 3600 }),
  }
}

function trustedHeader(o: NonNullable<Input<'auth'>['trustedHeader']>): TrustedHeaderConfig {
  const p = 'auth.trustedHeader'
  const proxies = listOf(o.proxies)
  if (proxies.length === 0) throw new ConfigError(join(p, 'proxies'), 'list the addresses of the reverse proxies that set the header (anyone else could set it too)')
  proxies.forEach((x, i) => checkAddress(x, join(join(p, 'proxies'), i)))
  return {
    header: headerName(o.header ?? defaultOf(TrustedHeaderSchema.properties.header), join(p, 'header')),
    rolesHeader: o.rolesHeader ? headerName(o.rolesHeader, join(p, 'rolesHeader')) : null,
    proxies,
  }
}

function forwardAuth(o: NonNullable<Input<'auth'>['forwardAuth']>): ForwardAuthConfig {
  const p = 'auth.forwardAuth'
  const f = ForwardAuthSchema.properties
  const fh = listOf(o.forwardHeaders ?? defaultOf<string[]>(f.forwardHeaders))
  if (fh.length === 0) throw new ConfigError(join(p, 'forwardHeaders'), 'must name at least one header')
  return {
    url: url(o.url, join(p, 'url')).href,
    method: o.method ?? defaultOf(f.method),
    forwardHeaders: fh.map((h, i) => headerName(h, join(join(p, 'forwardHeaders'), i))),
    userIdField: o.userIdField ?? defaultOf(f.userIdField),
    rolesField: o.rolesField ?? defaultOf(f.rolesField),
    userIdHeader: o.userIdHeader ? headerName(o.userIdHeader, join(p, 'userIdHeader')) : null,
    cacheTtl: seconds(o.cacheTtl ?? defaultOf(f.cacheTtl), join(p, 'cacheTtl'), { max: 3600 }),
    cacheSize: intOf(o.cacheSize ?? defaultOf<number>(f.cacheSize), join(p, 'cacheSize'), f.cacheSize),
    timeoutMs: Math.round(1000 * seconds(o.timeout ?? defaultOf(f.timeout), join(p, 'timeout'), { min: 0.05, max: 60 })),
  }
}

const SCOPES: readonly string[] = ['admin', 'issue', 'verify', 'metrics'] satisfies ApiKeyScope[]

function apiKey(o: NonNullable<Input<'auth'>['apiKeys']>[number], path: string, src: SecretSource): ApiKeyConfig {
  let sha256: Uint8Array
  if (o.sha256 !== undefined) {
    if (o.key !== undefined || o.keyFile !== undefined || o.keyEnv !== undefined) throw new ConfigError(path, 'give either sha256 or key/keyFile/keyEnv')
    sha256 = Uint8Array.from(Buffer.from(o.sha256.toLowerCase(), 'hex'))
  } else {
    const key = secret(o, 'key', path, src, true)!
    if (key.length < 16) throw new ConfigError(join(path, 'key'), 'an API key must be at least 16 characters')
    sha256 = Uint8Array.from(createHash('sha256').update(key, 'utf8').digest())
  }
  const scopes = listOf(o.scopes ?? defaultOf<string[]>(ApiKeySchema.properties.scopes))
  // A comma-separated string is split here, so its names are checked here.
  scopes.forEach((s, i) => {
    if (!SCOPES.includes(s)) throw new ConfigError(join(join(path, 'scopes'), i), `must be one of: ${SCOPES.join(', ')}`)
  })
  return { name: o.name, sha256, scopes: scopes as ApiKeyScope[] }
}

function rateLimit(o: Input<'rateLimit'>, src: SecretSource): RateLimitConfig {
  const p = 'rateLimit'
  const r = RateLimitSchema.properties
  const store = o.store ?? (o.redis ? 'redis' : 'memory')
  let redis: RateLimitConfig['redis'] = null
  if (store === 'redis') {
    const ro = o.redis ?? {}
    const rp = r.redis.properties
    const path = join(p, 'redis')
    const u = secret(ro, 'url', path, src, true)!
    let protocol = ''
    try {
      protocol = new URL(u).protocol
    } catch {
      // reported below
    }
    if (protocol !== 'redis:' && protocol !== 'rediss:') throw new ConfigError(join(path, 'url'), 'must be a redis:// or rediss:// URL')
    redis = {
      url: u,
      cluster: boolOf(ro.cluster, defaultOf(rp.cluster)),
      keyPrefix: ro.keyPrefix ?? defaultOf(rp.keyPrefix),
      failMode: ro.failMode ?? defaultOf(rp.failMode),
      commandTimeoutMs: Math.round(1000 * seconds(ro.commandTimeout ?? defaultOf(rp.commandTimeout), join(path, 'commandTimeout'), { min: 0.01, max: 30 })),
    }
  }
  return {
    ...resolveRateLimit(o),
    store,
    maxKeys: intOf(o.maxKeys ?? defaultOf<number>(r.maxKeys), join(p, 'maxKeys'), r.maxKeys),
    authFailures: resolveLimit(o.authFailures, join(p, 'authFailures'), r.authFailures),
    redis,
  }
}
