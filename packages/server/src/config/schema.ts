/**
 * The config file's format as one TypeBox schema: the shared vocabulary of @usersig/issuer (`apps`, `auth.jwt`,
 * `policy`, `rateLimit`, `cors`, the TTLs) with the service's own sections (listener, trusted header, forward auth, API
 * keys, Redis, audit, metrics, log, console). Editors read it as JSON Schema (usersig.config.schema.json, made by
 * scripts/config-schema.mjs), `ConfigInput` is its TypeScript type, and the docs table in docs/service.md is tested
 * against it field by field. The defaults declared here are the ones the second pass (validate.ts) fills in.
 */
import {
  Array as ArrayOf,
  Boolean as Bool_,
  Literal,
  Null,
  Optional,
  String as Text,
  Union,
  type Static,
  type TArray,
  type TBoolean,
  type TLiteral,
  type TNull,
  type TObject,
  type TOptional,
  type TString,
  type TUnion,
} from '@sinclair/typebox'
import {
  AppSchema,
  Bool,
  BodyLimitSchema,
  closedObject,
  CorsSchema,
  DefaultSdkAppIdSchema,
  Duration,
  Enum,
  Int,
  JWT_DESCRIPTION,
  jwtFields,
  Limit,
  PolicySchema,
  rateLimitFields,
  secretFields,
  Str,
  StrList,
  type TApp,
  type TBool,
  type TCors,
  type TDuration,
  type TEnum,
  type TInt,
  type TJwtFields,
  type TLimit,
  type TPolicy,
  type TRateLimitFields,
  type TSecretFields,
  type TStrList,
} from '@usersig/issuer'

/** `server`: the listener, CORS and the console. */
export type TServer = TObject<{
  host: TOptional<TString>
  port: TOptional<TInt>
  bodyLimit: TOptional<TInt>
  trustProxy: TOptional<TUnion<[TBoolean, TArray<TString>, TString]>>
  cors: TOptional<TCors>
  shutdownTimeout: TOptional<TDuration>
  drainDelay: TOptional<TDuration>
  headersTimeout: TOptional<TDuration>
  requestTimeout: TOptional<TDuration>
  consoleDir: TOptional<TUnion<[TString, TNull, TLiteral<false>]>>
}>

export const ServerSchema: TServer = closedObject(
  {
    host: Optional(Str('Listen address.', '127.0.0.1')),
    port: Optional(Int(0, 65535, 'Listen port (0: any free port).', 8080)),
    bodyLimit: Optional(BodyLimitSchema),
    trustProxy: Optional(
      Union([Bool_(), ArrayOf(Text()), Text()], {
        description: 'true, or the addresses/CIDR blocks of your proxies (X-Forwarded-For is then believed).',
        default: false,
      }),
    ),
    cors: Optional(CorsSchema),
    shutdownTimeout: Optional(Duration('How long in-flight requests may take at shutdown.', '10s')),
    drainDelay: Optional(Duration('Time between "readyz 503" and closing the listener.', '0s')),
    headersTimeout: Optional(Duration('Time a client has to send the request line and headers.', '5s')),
    requestTimeout: Optional(Duration('Time a client has to send the whole request.', '30s')),
    consoleDir: Optional(
      Union([Text({ minLength: 1 }), Null(), Literal(false)], {
        description: 'Directory of the web console served at /; null disables it (default: packages/console/dist if built).',
      }),
    ),
  },
)

/** `auth.jwt` in the service: the shared fields, and a verified token remembered for `cacheTtl`. */
export type TJwt = TObject<TJwtFields & { cacheTtl: TOptional<TDuration> }>

export const JwtSchema: TJwt = closedObject(
  { ...jwtFields, cacheTtl: Optional(Duration('How long a verified token is remembered (0: verify every request).', '60s')) },
  { description: JWT_DESCRIPTION },
)

/** `auth.trustedHeader`. */
export type TTrustedHeader = TObject<{ header: TOptional<TString>; rolesHeader: TOptional<TUnion<[TString, TNull]>>; proxies: TStrList }>

export const TrustedHeaderSchema: TTrustedHeader = closedObject(
  {
    header: Optional(Str('The header holding the userId.', 'x-user-id')),
    rolesHeader: Optional(Union([Str('The header holding the roles.'), Null()])),
    proxies: StrList('Addresses/CIDR blocks of the proxies that set the header.'),
  },
  { description: 'A userId header set by your reverse proxy.' },
)

/** `auth.forwardAuth`. */
export type TForwardAuth = TObject<{
  url: TString
  method: TOptional<TEnum<'GET' | 'POST'>>
  forwardHeaders: TOptional<TStrList>
  userIdField: TOptional<TString>
  rolesField: TOptional<TString>
  userIdHeader: TOptional<TUnion<[TString, TNull]>>
  cacheTtl: TOptional<TDuration>
  cacheSize: TOptional<TInt>
  timeout: TOptional<TDuration>
}>

export const ForwardAuthSchema: TForwardAuth = closedObject(
  {
    url: Str('Your "who am I" endpoint.'),
    method: Optional(Enum(['GET', 'POST'], 'HTTP method.', 'GET')),
    forwardHeaders: Optional(StrList('Request headers passed on.', ['cookie', 'authorization'])),
    userIdField: Optional(Str('Where the answer holds the userId.', 'userId')),
    rolesField: Optional(Str('Where the answer holds the roles.', 'roles')),
    userIdHeader: Optional(Union([Str('A response header carrying the userId.'), Null()])),
    cacheTtl: Optional(Duration('How long answers are cached (0 disables).', '5s')),
    cacheSize: Optional(Int(0, 10_000_000, 'Answers cached at most.', 10000)),
    timeout: Optional(Duration('Timeout of the call.', '2s')),
  },
  { description: 'Ask your own endpoint who the caller is.' },
)

/** What an API key may do. */
export type ApiKeyScope = 'admin' | 'issue' | 'verify' | 'metrics'

/** `auth.apiKeys[]`. */
export type TApiKey = TObject<
  { name: TString; sha256: TOptional<TString>; scopes: TOptional<TUnion<[TArray<TEnum<ApiKeyScope>>, TString]>> } & TSecretFields<'key'>
>

export const ApiKeySchema: TApiKey = closedObject(
  {
    name: Str('A label for logs and the audit.'),
    sha256: Optional(Text({ pattern: '^[0-9a-fA-F]{64}$', description: 'SHA-256 of the key, hex.' })),
    ...secretFields('key', 'the API key (at least 16 characters)'),
    scopes: Optional(
      Union([ArrayOf(Enum<ApiKeyScope>(['admin', 'issue', 'verify', 'metrics'], 'A scope.')), Text()], {
        description: 'admin, issue, verify, metrics.',
        default: ['admin'],
      }),
    ),
  },
)

/** `rateLimit.redis`. */
export type TRedis = TObject<
  { cluster: TOptional<TBool>; keyPrefix: TOptional<TString>; failMode: TOptional<TEnum<'closed' | 'local'>>; commandTimeout: TOptional<TDuration> } & TSecretFields<'url'>
>

/** `rateLimit` in the service: the shared fields, Redis, the failed-credential limit and the memory cap. */
export type TRateLimit = TObject<
  TRateLimitFields & { store: TOptional<TEnum<'memory' | 'redis'>>; authFailures: TOptional<TLimit>; maxKeys: TOptional<TInt>; redis: TOptional<TRedis> }
>

export const RateLimitSchema: TRateLimit = closedObject(
  {
    ...rateLimitFields,
    // No default in the schema: it is redis when rateLimit.redis is set, else memory.
    store: Optional(Enum(['memory', 'redis'], 'Where counters live (default: redis when rateLimit.redis is set, else memory).')),
    authFailures: Optional(Limit('Failed credential checks per client address.', '20/5m')),
    maxKeys: Optional(Int(100, 1e8, 'Counters kept in memory per partition.', 100000)),
    redis: Optional(
      closedObject<TRedis>(
        {
          ...secretFields('url', 'the redis:// or rediss:// URL'),
          cluster: Optional(Bool('The URL is one node of a Redis Cluster.', false)),
          keyPrefix: Optional(Str('Prefix of every key.', 'usersig:rl:')),
          failMode: Optional(Enum(['closed', 'local'], 'What happens when Redis is unreachable.', 'closed')),
          commandTimeout: Optional(Duration('A slower answer counts as unreachable.', '500ms')),
        },
      ),
    ),
  },
)

/** `audit`. */
export type TAudit = TObject<{ enabled: TOptional<TBool>; file: TOptional<TUnion<[TString, TNull]>>; bufferSize: TOptional<TInt> }>

export const AuditSchema: TAudit = closedObject(
  {
    enabled: Optional(Bool('The audit log.', true)),
    file: Optional(Union([Str('A separate file for audit lines (default: the service log).'), Null()])),
    bufferSize: Optional(Int(1, 100000, 'Recent events kept for GET /v1/admin/audit.', 500)),
  },
)

/** The log levels. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/** `auth`. */
export type TAuth = TObject<{
  jwt: TOptional<TUnion<[TJwt, TNull]>>
  trustedHeader: TOptional<TUnion<[TTrustedHeader, TNull]>>
  forwardAuth: TOptional<TUnion<[TForwardAuth, TNull]>>
  apiKeys: TOptional<TArray<TApiKey>>
  demo: TOptional<TBool>
}>

/** `metrics`. */
export type TMetrics = TObject<{ requireApiKey: TOptional<TBool> }>
/** `log`. */
export type TLog = TObject<{ level: TOptional<TEnum<LogLevel>> }>

/** The whole config file. */
export type TConfig = TObject<{
  $schema: TOptional<TString>
  server: TOptional<TServer>
  apps: TOptional<TArray<TApp>>
  defaultSdkAppId: TOptional<TInt>
  auth: TOptional<TAuth>
  policy: TOptional<TPolicy>
  rateLimit: TOptional<TRateLimit>
  audit: TOptional<TAudit>
  metrics: TOptional<TMetrics>
  log: TOptional<TLog>
  demo: TOptional<TBool>
}>

export const ConfigSchema: TConfig = closedObject(
  {
    $schema: Optional(Text({ description: 'This schema, for editors.' })),
    server: Optional(ServerSchema),
    apps: Optional(ArrayOf(AppSchema, { description: 'One entry per SDKAppID (at least one, here or from USERSIG_SDKAPPID).' })),
    defaultSdkAppId: Optional(DefaultSdkAppIdSchema),
    auth: Optional(
      closedObject<TAuth>(
        {
          jwt: Optional(Union([JwtSchema, Null()])),
          trustedHeader: Optional(Union([TrustedHeaderSchema, Null()])),
          forwardAuth: Optional(Union([ForwardAuthSchema, Null()])),
          apiKeys: Optional(ArrayOf(ApiKeySchema, { description: 'Admin and server-to-server keys.' })),
          demo: Optional(Bool('The demo authenticator (embedded demo only).', false)),
        },
      ),
    ),
    policy: Optional(PolicySchema),
    rateLimit: Optional(RateLimitSchema),
    audit: Optional(AuditSchema),
    metrics: Optional(closedObject<TMetrics>({ requireApiKey: Optional(Bool('GET /metrics only with an API key with the metrics or admin scope.', false)) })),
    log: Optional(closedObject<TLog>({ level: Optional(Enum<LogLevel>(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'Log level.', 'info')) })),
    demo: Optional(Bool('The embedded demo config.', false)),
  },
  { title: 'usersig service configuration' },
)

/** What a config file holds, before defaults and secrets are resolved. */
export type ConfigInput = Static<TConfig>

/** The JSON Schema document shipped as usersig.config.schema.json (for editors: `"$schema": "./node_modules/@usersig/server/usersig.config.schema.json"`). */
export function configJsonSchema(): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(ConfigSchema)) }
}
