/**
 * The resolved service configuration: what validate.ts makes of a config file that passed the schema (schema.ts):
 * secrets read, durations in seconds, SDKAppIDs normalised, defaults filled. The shared sections are @usersig/issuer's
 * (defined once there, next to the shared schema); this file defines only what the service adds.
 */
import type { AppBase, AppConfig as HmacAppConfig, CorsConfig, JwtConfig as PipelineJwtConfig, LimitRule, PolicyConfig, RateLimitConfig as SharedRateLimitConfig } from '@usersig/issuer'
import type { ApiKeyScope, LogLevel } from './schema.js'

export type { ExpiresInPolicy, RoomPattern, PmkRule, WebhookConfig, PolicyConfig, LimitRule, CorsConfig, JwtRules, JwtKeySource } from '@usersig/issuer'
export type { HmacAppConfig, ApiKeyScope, LogLevel }

/** A legacy ECDSA app (the Node service only: its signer is not part of the portable pipeline). */
export interface EcdsaAppConfig extends AppBase {
  algorithm: 'ecdsa'
  /** The legacy ECDSA private key (PEM text), as the config's `privateKey` gives it. */
  privateKey: string
}

/** An app of the service: HMAC (the shared shape) or legacy ECDSA. */
export type AppConfig = HmacAppConfig | EcdsaAppConfig

/** `auth.jwt`: the pipeline's (`keys`), the same source spelled as the service's authenticator reads it, and its cache. */
export interface JwtConfig extends PipelineJwtConfig {
  /** HS256 shared secret (UTF-8 bytes), or null when a JWKS is used. */
  secret: string | null
  jwksFile: string | null
  jwksUrl: string | null
  /** Seconds a verified token is remembered (never past its exp); 0: verify every time. */
  cacheTtl: number
}

/** `auth.trustedHeader` resolved: header names lower-cased, proxies checked. */
export interface TrustedHeaderConfig {
  header: string
  rolesHeader: string | null
  proxies: string[]
}

/** `auth.forwardAuth` resolved: durations in seconds (`timeoutMs` in milliseconds). */
export interface ForwardAuthConfig {
  url: string
  method: 'GET' | 'POST'
  forwardHeaders: string[]
  userIdField: string
  rolesField: string
  userIdHeader: string | null
  cacheTtl: number
  cacheSize: number
  timeoutMs: number
}

/** An API key: only the SHA-256 of the key is kept. */
export interface ApiKeyConfig {
  name: string
  /** SHA-256 of the key, 32 bytes. */
  sha256: Uint8Array
  scopes: ApiKeyScope[]
}

/** Every way the service can tell who the caller is. */
export interface AuthConfig {
  jwt: JwtConfig | null
  trustedHeader: TrustedHeaderConfig | null
  forwardAuth: ForwardAuthConfig | null
  apiKeys: ApiKeyConfig[]
  /** The demo authenticator (`Authorization: Bearer demo:<userId>`): only for the embedded demo. */
  demo: boolean
}

/** `rateLimit` resolved: the shared limits plus the store, the memory cap, the failed-credential limit and Redis. */
export interface RateLimitConfig extends SharedRateLimitConfig {
  store: 'memory' | 'redis'
  /**
   * Counters kept in memory (the memory store, and the local fallback), per partition: per-user counters and
   * per-address counters each have this many at most, and address traffic never evicts a user's counter.
   */
  maxKeys: number
  /** Failed credential checks (bad API key, JWT, header …) per address; over it, credentials from there are not checked. */
  authFailures: LimitRule | null
  /** `cluster`: the URL is one node of a Redis Cluster; the others are discovered from it. */
  redis: { url: string; cluster: boolean; keyPrefix: string; failMode: 'closed' | 'local'; commandTimeoutMs: number } | null
}

/** `server` resolved: the listener, CORS, timeouts in seconds and the console directory. */
export interface ServerConfig {
  host: string
  port: number
  bodyLimit: number
  trustProxy: boolean | string[]
  cors: CorsConfig
  /** Seconds to wait for in-flight requests at shutdown before exiting anyway. */
  shutdownTimeout: number
  /** Seconds between "readyz says 503" and closing the listener, for load balancers to notice; requests are served meanwhile. */
  drainDelay: number
  /** Seconds a client has to send the request line and headers (slow or stalled clients are cut off after it). */
  headersTimeout: number
  /** Seconds a client has to send the whole request, headers and body. */
  requestTimeout: number
  /** Directory of the web console; null disables it; undefined looks for packages/console/dist. */
  consoleDir: string | null | undefined
}

/** The resolved service configuration (what `resolveConfig` and `loadConfig` return). */
export interface ServiceConfig {
  server: ServerConfig
  apps: AppConfig[]
  defaultSdkAppId: number
  auth: AuthConfig
  policy: PolicyConfig
  rateLimit: RateLimitConfig
  audit: { enabled: boolean; file: string | null; bufferSize: number }
  /** GET /metrics: open, or only with an API key that has the `metrics` (or `admin`) scope. */
  metrics: { requireApiKey: boolean }
  log: { level: LogLevel }
  /** True for the embedded demo config (`npm start` with nothing configured). */
  demo: boolean
  /** Deprecated settings the config used, one sentence each naming the new name: logged when the app is built or reloaded. */
  warnings: string[]
}
