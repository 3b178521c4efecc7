/** The validated, resolved configuration: secrets already read from their files or variables. */
import type { UserIdPolicy } from '../core.js'

export interface TtlPolicy {
  /** Seconds used when the request names no `expiresIn`. */
  defaultTtl: number
  /** Requests below this are raised to it. */
  minTtl: number
  /** Requests above this are lowered to it. */
  maxTtl: number
}

export interface HmacAppConfig {
  algorithm: 'hmac'
  sdkAppId: number
  name: string
  secretKey: string
  /** The key was allowed although it is not shaped like a console SDKSecretKey (64 hex digits). */
  allowUnusualKey: boolean
  userIdPolicy: UserIdPolicy
  userSig: TtlPolicy
  privateMapKey: TtlPolicy
}

export interface EcdsaAppConfig {
  algorithm: 'ecdsa'
  sdkAppId: number
  name: string
  privateKeyPem: string
  userIdPolicy: UserIdPolicy
  userSig: TtlPolicy
  privateMapKey: TtlPolicy
}

export type AppConfig = HmacAppConfig | EcdsaAppConfig

export interface JwtConfig {
  /** HS256 shared secret (UTF-8 bytes), or null when a JWKS is used. */
  secret: string | null
  jwksFile: string | null
  jwksUrl: string | null
  issuer: string[] | null
  audience: string[] | null
  algorithms: string[]
  userIdClaim: string
  rolesClaim: string
  clockTolerance: number
  /** Tokens without `exp` are refused (default true). */
  requireExp: boolean
  /**
   * Seconds a token may live: `iat` is then required, may not be older than this nor in the future, and `exp` may not
   * be further than this from now (clock tolerance added). Null: no limit. Default one day.
   */
  maxTokenAge: number | null
  /** Seconds a verified token is remembered (never past its exp); 0: verify every time. */
  cacheTtl: number
  /** Seconds a fetched JWKS is used before it is fetched again. */
  jwksCacheMaxAge: number
  /** Minimum time between two fetches (an unknown `kid` triggers a refetch, at most this often). */
  jwksCooldownMs: number
  jwksTimeoutMs: number
}

export interface TrustedHeaderConfig {
  header: string
  rolesHeader: string | null
  proxies: string[]
}

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

export type ApiKeyScope = 'admin' | 'issue' | 'verify' | 'metrics'

export interface ApiKeyConfig {
  name: string
  /** SHA-256 of the key, 32 bytes. */
  sha256: Uint8Array
  scopes: ApiKeyScope[]
}

export interface AuthConfig {
  jwt: JwtConfig | null
  trustedHeader: TrustedHeaderConfig | null
  forwardAuth: ForwardAuthConfig | null
  apiKeys: ApiKeyConfig[]
  /** The demo authenticator (`Authorization: Bearer demo:<userId>`): only for the embedded demo. */
  demo: boolean
}

export type RoomPattern =
  | { kind: 'exact'; value: string }
  | { kind: 'glob'; source: string }
  | { kind: 'regex'; regex: RegExp }

export interface PmkRule {
  /** Index in the config, for logs and reasons. */
  index: number
  apps: number[] | null
  roles: string[] | null
  users: string[] | null
  rooms: RoomPattern[]
  privileges: number
}

export interface WebhookConfig {
  url: string
  timeoutMs: number
  headers: Record<string, string>
}

export interface PolicyConfig {
  privateMapKey: { rules: PmkRule[]; webhook: WebhookConfig | null }
}

export interface LimitRule {
  limit: number
  /** Window length in seconds. */
  window: number
}

export interface RateLimitConfig {
  enabled: boolean
  store: 'memory' | 'redis'
  algorithm: 'fixed' | 'sliding'
  perUser: LimitRule | null
  perIp: LimitRule | null
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

export interface ServerConfig {
  host: string
  port: number
  bodyLimit: number
  trustProxy: boolean | string[]
  cors: { origins: string[]; credentials: boolean }
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
  log: { level: string }
  /** True for the embedded demo config (`npm start` with nothing configured). */
  demo: boolean
}
