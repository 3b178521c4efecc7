/**
 * The config file's format as one TypeBox schema: editors read it as JSON Schema (usersig.config.schema.json, made by
 * scripts/config-schema.mjs), `ConfigInput` is its TypeScript type, and the docs table in docs/service.md is tested
 * against it field by field. Defaults here are the values the validator applies; config-schema.test.ts checks both agree.
 */
import { Type, type Static, type TOptional, type TString } from '@sinclair/typebox'

/** The one duration grammar of every duration field: seconds, or a number with a unit (ms, s, m, h, d, w). */
export const DURATION_PATTERN = '^\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d|w)?\\s*$'

const Duration = (description: string, dflt?: string | number) =>
  Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: DURATION_PATTERN })], {
    description: `${description} Seconds, or a duration such as "500ms", "90s", "30m", "12h", "7d", "2w".`,
    ...(dflt === undefined ? {} : { default: dflt }),
  })

/** Integers may be written as digit strings (YAML and environment variables). */
const Int = (minimum: number, maximum: number, description: string, dflt?: number) =>
  Type.Union([Type.Integer({ minimum, maximum }), Type.String({ pattern: '^\\d+$' })], {
    description: `${description} An integer ${minimum}..${maximum}.`,
    ...(dflt === undefined ? {} : { default: dflt }),
  })

const Bool = (description: string, dflt: boolean) =>
  Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')], { description, default: dflt })

/** A list of strings, or one comma-separated string. */
const StrList = (description: string, dflt?: string[]) =>
  Type.Union([Type.Array(Type.String({ minLength: 1 })), Type.String()], {
    description: `${description} A list, or one comma-separated string.`,
    ...(dflt === undefined ? {} : { default: dflt }),
  })

const Str = (description: string, dflt?: string) =>
  Type.String({ minLength: 1, description, ...(dflt === undefined ? {} : { default: dflt }) })

const Enum = <T extends string>(values: readonly T[], description: string, dflt: T) =>
  Type.Union(values.map((v) => Type.Literal(v)), { description, default: dflt })

/** A secret given inline (`name`), by file (`nameFile`, relative to the config file) or by variable (`nameEnv`): one of them. */
function secretFields<N extends string>(name: N, what: string): Record<N | `${N}File` | `${N}Env`, TOptional<TString>> {
  return {
    [name]: Type.Optional(Str(`${what}, inline (prefer ${name}File or ${name}Env).`)),
    [`${name}File`]: Type.Optional(Str(`A file holding ${what} (relative to the config file).`)),
    [`${name}Env`]: Type.Optional(Str(`The environment variable holding ${what}.`)),
  } as Record<N | `${N}File` | `${N}Env`, TOptional<TString>>
}

const closed = { additionalProperties: false } as const

const Ttl = (what: string, d: { defaultTtl: string; minTtl: string; maxTtl: string }) =>
  Type.Object(
    {
      defaultTtl: Type.Optional(Duration(`${what} lifetime when the request names none.`, d.defaultTtl)),
      minTtl: Type.Optional(Duration(`Shorter requested lifetimes are raised to this.`, d.minTtl)),
      maxTtl: Type.Optional(Duration(`Longer requested lifetimes are lowered to this.`, d.maxTtl)),
    },
    { ...closed, description: `${what} lifetimes.` },
  )

const App = Type.Object(
  {
    sdkAppId: Int(1, 4294967295, 'The SDKAppID from the console.'),
    name: Type.Optional(Str('A label for logs, metrics and the console (default: the SDKAppID).')),
    ...secretFields('secretKey', 'the HMAC secret key'),
    ...secretFields('privateKey', 'a legacy ECDSA private key (PEM)'),
    userIdPolicy: Type.Optional(Enum(['im', 'strict', 'any'], 'Which userIds are accepted.', 'im')),
    allowUnusualKey: Type.Optional(Bool('Accept a secretKey that is not shaped like a console SDKSecretKey (64 hex digits).', false)),
    userSig: Type.Optional(Ttl('UserSig', { defaultTtl: '1d', minTtl: '5m', maxTtl: '7d' })),
    privateMapKey: Type.Optional(Ttl('PrivateMapKey', { defaultTtl: '5m', minTtl: '1m', maxTtl: '1d' })),
  },
  { ...closed, description: 'One SDKAppID and its key: secretKey (HMAC) or privateKey (legacy ECDSA).' },
)

const Server = Type.Object(
  {
    host: Type.Optional(Str('Listen address.', '127.0.0.1')),
    port: Type.Optional(Int(0, 65535, 'Listen port (0: any free port).', 8080)),
    bodyLimit: Type.Optional(Int(256, 1048576, 'Largest request body in bytes.', 8192)),
    trustProxy: Type.Optional(
      Type.Union([Type.Boolean(), Type.Array(Type.String()), Type.String()], {
        description: 'true, or the addresses/CIDR blocks of your proxies (X-Forwarded-For is then believed).',
        default: false,
      }),
    ),
    cors: Type.Optional(
      Type.Object(
        {
          origins: Type.Optional(StrList('Origins allowed to call from a browser (no wildcard).')),
          credentials: Type.Optional(Bool('Allow cookies cross-origin.', false)),
        },
        closed,
      ),
    ),
    shutdownTimeout: Type.Optional(Duration('How long in-flight requests may take at shutdown.', '10s')),
    drainDelay: Type.Optional(Duration('Time between "readyz 503" and closing the listener.', '0s')),
    headersTimeout: Type.Optional(Duration('Time a client has to send the request line and headers.', '5s')),
    requestTimeout: Type.Optional(Duration('Time a client has to send the whole request.', '30s')),
    consoleDir: Type.Optional(
      Type.Union([Type.String({ minLength: 1 }), Type.Null(), Type.Literal(false)], {
        description: 'Directory of the web console served at /; null disables it (default: packages/console/dist if built).',
      }),
    ),
  },
  closed,
)

const Jwt = Type.Object(
  {
    ...secretFields('secret', 'the HS256 shared secret (at least 32 bytes)'),
    jwksFile: Type.Optional(Str('A JWK Set file.')),
    jwksUrl: Type.Optional(Str('The identity provider JWKS URL (https, http only for loopback).')),
    issuer: Type.Optional(StrList('Accepted `iss` values.')),
    audience: Type.Optional(StrList('Accepted `aud` values (required with a JWKS).')),
    algorithms: Type.Optional(StrList('Accepted algorithms (default HS256 with a secret, RS256 and ES256 with a JWKS).')),
    userIdClaim: Type.Optional(Str('The claim holding the userId (dotted paths work).', 'sub')),
    rolesClaim: Type.Optional(Str('The claim holding the roles (dotted paths work).', 'roles')),
    clockTolerance: Type.Optional(Duration('Tolerance for exp, nbf and iat.', '5s')),
    requireExp: Type.Optional(Bool('Refuse tokens without exp.', true)),
    maxTokenAge: Type.Optional(
      Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: DURATION_PATTERN }), Type.Literal(false), Type.Literal('off')], {
        description: 'The longest a token may live (iat then required); "off" or false for no limit. A duration.',
        default: '1d',
      }),
    ),
    cacheTtl: Type.Optional(Duration('How long a verified token is remembered (0: verify every request).', '60s')),
    jwksCacheMaxAge: Type.Optional(Duration('How long a fetched JWKS is used.', '10m')),
    jwksCooldown: Type.Optional(Duration('Minimum time between two JWKS fetches.', '30s')),
    jwksTimeout: Type.Optional(Duration('Timeout of a JWKS fetch.', '5s')),
  },
  { ...closed, description: 'JWT bearer tokens: exactly one key source (secret, jwksFile or jwksUrl).' },
)

const TrustedHeader = Type.Object(
  {
    header: Type.Optional(Str('The header holding the userId.', 'x-user-id')),
    rolesHeader: Type.Optional(Type.Union([Str('The header holding the roles.'), Type.Null()])),
    proxies: StrList('Addresses/CIDR blocks of the proxies that set the header.'),
  },
  { ...closed, description: 'A userId header set by your reverse proxy.' },
)

const ForwardAuth = Type.Object(
  {
    url: Str('Your "who am I" endpoint.'),
    method: Type.Optional(Enum(['GET', 'POST'], 'HTTP method.', 'GET')),
    forwardHeaders: Type.Optional(StrList('Request headers passed on.', ['cookie', 'authorization'])),
    userIdField: Type.Optional(Str('Where the answer holds the userId.', 'userId')),
    rolesField: Type.Optional(Str('Where the answer holds the roles.', 'roles')),
    userIdHeader: Type.Optional(Type.Union([Str('A response header carrying the userId.'), Type.Null()])),
    cacheTtl: Type.Optional(Duration('How long answers are cached (0 disables).', '5s')),
    cacheSize: Type.Optional(Int(0, 10_000_000, 'Answers cached at most.', 10000)),
    timeout: Type.Optional(Duration('Timeout of the call.', '2s')),
  },
  { ...closed, description: 'Ask your own endpoint who the caller is.' },
)

const ApiKey = Type.Object(
  {
    name: Str('A label for logs and the audit.'),
    sha256: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'SHA-256 of the key, hex.' })),
    ...secretFields('key', 'the API key (at least 16 characters)'),
    scopes: Type.Optional(
      Type.Union([Type.Array(Type.Union(['admin', 'issue', 'verify', 'metrics'].map((s) => Type.Literal(s)))), Type.String()], {
        description: 'admin, issue, verify, metrics.',
        default: ['admin'],
      }),
    ),
  },
  closed,
)

const Rule = Type.Object(
  {
    apps: Type.Optional(Type.Array(Int(1, 4294967295, 'An SDKAppID.'), { description: 'Only these SDKAppIDs.' })),
    roles: Type.Optional(StrList('Any of these roles (omitted: any caller).')),
    users: Type.Optional(StrList('Only these userIds.')),
    rooms: Type.Array(Type.Union([Type.Integer(), Type.String({ minLength: 1 })]), {
      description: 'Room patterns: exact, glob (* ? {userId}) or /regex/.',
    }),
    privileges: Type.Union([Type.Integer({ minimum: 0, maximum: 255 }), Type.String(), Type.Array(Type.String())], {
      description: 'A number 0..255, a preset (anchor, audience, coHost, all) or privilege names.',
    }),
  },
  closed,
)

const Webhook = Type.Object(
  {
    url: Str('The policy endpoint.'),
    timeout: Type.Optional(Duration('Timeout of the call.', '2s')),
    headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Headers sent with each call.' })),
    headersEnv: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Headers whose values come from these environment variables.' })),
  },
  closed,
)

const Limit = (description: string, dflt: string) =>
  Type.Union(
    [
      Type.Literal(false),
      Type.Literal('off'),
      Type.String({ pattern: '^\\s*\\d+\\s*/' }),
      Type.Object(
        { limit: Type.Optional(Int(1, 1e9, 'Requests per window.')), window: Type.Optional(Duration('Window length.')) },
        closed,
      ),
    ],
    { description: `${description} "N/window" such as "30/1m", { limit, window } or false.`, default: dflt },
  )

const RateLimit = Type.Object(
  {
    enabled: Type.Optional(Bool('Turn all limits off.', true)),
    store: Type.Optional(Enum(['memory', 'redis'], 'Where counters live (redis when rateLimit.redis is set).', 'memory')),
    algorithm: Type.Optional(Enum(['fixed', 'sliding'], 'Window algorithm.', 'sliding')),
    perUser: Type.Optional(Limit('Issuing requests per userId per app.', '30/1m')),
    perIp: Type.Optional(Limit('Requests per client address.', '120/1m')),
    authFailures: Type.Optional(Limit('Failed credential checks per client address.', '20/5m')),
    maxKeys: Type.Optional(Int(100, 1e8, 'Counters kept in memory per partition.', 100000)),
    redis: Type.Optional(
      Type.Object(
        {
          ...secretFields('url', 'the redis:// or rediss:// URL'),
          cluster: Type.Optional(Bool('The URL is one node of a Redis Cluster.', false)),
          keyPrefix: Type.Optional(Str('Prefix of every key.', 'usersig:rl:')),
          failMode: Type.Optional(Enum(['closed', 'local'], 'What happens when Redis is unreachable.', 'closed')),
          commandTimeout: Type.Optional(Duration('A slower answer counts as unreachable.', '500ms')),
        },
        closed,
      ),
    ),
  },
  closed,
)

export const ConfigSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'This schema, for editors.' })),
    server: Type.Optional(Server),
    apps: Type.Optional(Type.Array(App, { description: 'One entry per SDKAppID (at least one, here or from USERSIG_SDKAPPID).' })),
    defaultSdkAppId: Type.Optional(Int(1, 4294967295, 'The app used when a request names none (default: the first app).')),
    auth: Type.Optional(
      Type.Object(
        {
          jwt: Type.Optional(Type.Union([Jwt, Type.Null()])),
          trustedHeader: Type.Optional(Type.Union([TrustedHeader, Type.Null()])),
          forwardAuth: Type.Optional(Type.Union([ForwardAuth, Type.Null()])),
          apiKeys: Type.Optional(Type.Array(ApiKey, { description: 'Admin and server-to-server keys.' })),
          demo: Type.Optional(Bool('The demo authenticator (embedded demo only).', false)),
        },
        closed,
      ),
    ),
    policy: Type.Optional(
      Type.Object(
        {
          privateMapKey: Type.Optional(
            Type.Object(
              {
                rules: Type.Optional(Type.Array(Rule, { description: 'Who may have which privileges in which room (none: deny all).' })),
                webhook: Type.Optional(Type.Union([Webhook, Type.Null()])),
              },
              closed,
            ),
          ),
        },
        closed,
      ),
    ),
    rateLimit: Type.Optional(RateLimit),
    audit: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Bool('The audit log.', true)),
          file: Type.Optional(Type.Union([Str('A separate file for audit lines (default: the service log).'), Type.Null()])),
          bufferSize: Type.Optional(Int(1, 100000, 'Recent events kept for GET /v1/admin/audit.', 500)),
        },
        closed,
      ),
    ),
    metrics: Type.Optional(
      Type.Object({ requireApiKey: Type.Optional(Bool('GET /metrics only with an API key with the metrics or admin scope.', false)) }, closed),
    ),
    log: Type.Optional(
      Type.Object({ level: Type.Optional(Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'Log level.', 'info')) }, closed),
    ),
    demo: Type.Optional(Bool('The embedded demo config.', false)),
  },
  { ...closed, title: 'usersig service configuration' },
)

/** What a config file holds, before defaults and secrets are resolved. */
export type ConfigInput = Static<typeof ConfigSchema>

/** The JSON Schema document shipped as usersig.config.schema.json (for editors: `"$schema": "./node_modules/@usersig/server/usersig.config.schema.json"`). */
export function configJsonSchema(): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(ConfigSchema)) }
}
