/**
 * The configuration vocabulary the service's config file and `createHandler` share, as TypeBox schema pieces: `apps`
 * (key, UserID policy, `userSig`/`privateMapKey` lifetime bounds), `auth.jwt`, `policy.privateMapKey`, `rateLimit`, `cors`. The
 * issuer's own config (IssuerConfigSchema) and the service's (packages/server/src/config/schema.ts) are made of them, so
 * a field means the same in both. Checked by TypeBox's `Errors` (check.ts), which generates no code: Workers allow that.
 * The explicit types on the exports are what `isolatedDeclarations` asks for; the compiler holds each to its value.
 */
import {
  Any,
  Array as ArrayOf,
  Boolean as Bool_,
  Function as FunctionOf,
  Integer,
  Literal,
  Null,
  Number as Num,
  Object as ObjectOf,
  Optional,
  Record as RecordOf,
  String as Text,
  Union,
  type Static,
  type TAny,
  type TArray,
  type TBoolean,
  type TFunction,
  type TInteger,
  type TLiteral,
  type TNull,
  type TNumber,
  type ObjectOptions,
  type TObject,
  type TOptional,
  type TRecord,
  type TString,
  type TUnion,
} from '@sinclair/typebox'
import { DURATION_PATTERN } from 'usersig'

// The one duration grammar is the core's (parseDuration): every duration field, expiresIn over HTTP and the CLI read it.
export { DURATION_PATTERN }

/** How the duration grammar reads in a field's description and in its errors. */
export const DURATION_WORDS = 'seconds, or a whole number with a unit ms, s, m, h, d or w such as "500ms", "90s", "30m", "12h", "7d", "2w" (no fraction)'
/** How a lifetime reads in a field's description and in its errors: the duration grammar, in whole seconds. */
export const LIFETIME_WORDS = 'whole seconds up to 50 years, or a whole number with a unit s, m, h, d or w such as "90s", "30m", "12h", "7d", "2w" (no fraction)'

/** A duration: seconds, or a string of the duration grammar. */
export type TDuration = TUnion<[TNumber, TString]>
/** A lifetime: whole seconds, or a string of the duration grammar (that comes to whole seconds). */
export type TLifetime = TUnion<[TInteger, TString]>
/** An integer in a range, or its digits (YAML and environment variables give strings). */
export type TInt = TUnion<[TInteger, TString]>
/** A boolean, or "true"/"false". */
export type TBool = TUnion<[TBoolean, TLiteral<'true'>, TLiteral<'false'>]>
/** A list of strings, or one comma-separated string. */
export type TStrList = TUnion<[TArray<TString>, TString]>
/** One of a few strings. */
export type TEnum<T extends string> = TUnion<TLiteral<T>[]>
/** A secret's three spellings: inline (`name`), by file (`nameFile`) or by variable (`nameEnv`). */
export type TSecretFields<N extends string> = { [K in N | `${N}File` | `${N}Env`]: TOptional<TString> }

const withDefault = (dflt: unknown): { default?: unknown } => (dflt === undefined ? {} : { default: dflt })

/** A duration field (a string longer than 32 characters is no duration: the core's parser stops there too). */
export function Duration(description: string, dflt?: string | number): TDuration {
  return Union([Num({ minimum: 0 }), Text({ pattern: DURATION_PATTERN, maxLength: 32 })], {
    description: `${description} A duration: ${DURATION_WORDS}.`,
    ...withDefault(dflt),
  })
}

/** A lifetime field: the duration grammar in whole seconds, as `expiresIn` is read everywhere (parseExpiresIn). */
export function Lifetime(description: string, dflt?: string): TLifetime {
  return Union([Integer({ minimum: 1 }), Text({ pattern: DURATION_PATTERN, maxLength: 32 })], {
    description: `${description} A lifetime: ${LIFETIME_WORDS}.`,
    ...withDefault(dflt),
  })
}

/** An integer field; digit strings are accepted and range-checked by `intOf` against the same bounds. */
export function Int(minimum: number, maximum: number, description: string, dflt?: number): TInt {
  return Union([Integer({ minimum, maximum }), Text({ pattern: '^\\d+$' })], {
    description: `${description} An integer ${minimum}..${maximum}.`,
    ...withDefault(dflt),
  })
}

/** A boolean field. */
export function Bool(description: string, dflt: boolean): TBool {
  return Union([Bool_(), Literal('true'), Literal('false')], { description, default: dflt })
}

/** A list-of-strings field. */
export function StrList(description: string, dflt?: string[]): TStrList {
  return Union([ArrayOf(Text({ minLength: 1 })), Text()], { description: `${description} A list, or one comma-separated string.`, ...withDefault(dflt) })
}

/** A non-empty string field. */
export function Str(description: string, dflt?: string): TString {
  return Text({ minLength: 1, description, ...withDefault(dflt) })
}

/** One of `values`. */
export function Enum<T extends string>(values: readonly T[], description: string, dflt?: T): TEnum<T> {
  return Union(values.map((v) => Literal(v)), { description, ...withDefault(dflt) }) as TEnum<T>
}

/** A secret given inline (`name`), by file (`nameFile`, relative to the config file) or by variable (`nameEnv`): one of them. */
export function secretFields<N extends string>(name: N, what: string): TSecretFields<N> {
  return {
    [name]: Optional(Str(`${what}, inline (prefer ${name}File or ${name}Env).`)),
    [`${name}File`]: Optional(Str(`A file holding ${what} (relative to the config file).`)),
    [`${name}Env`]: Optional(Str(`The environment variable holding ${what}.`)),
  } as TSecretFields<N>
}

/**
 * An object schema that refuses fields it does not know (a typo is an error, not a silently ignored setting), held to its declared TypeBox type `T`: `isolatedDeclarations`
 * makes every exported schema spell its type, and here a field the value has but the type lacks is a compile error
 * (excess property check), as is a field the type has but the value lacks. `T` comes from the annotated constant or
 * return type; nested objects name theirs.
 */
export function closedObject<T extends TObject>(properties: T['properties'], options: ObjectOptions = {}): T {
  return ObjectOf(properties, { ...options, additionalProperties: false }) as unknown as T
}


/**
 * The bounds of one kind of token's `expiresIn`. `defaultTtl`, `minTtl` and `maxTtl` are the deprecated names of the
 * three (accepted with a warning naming the new key; both names at once are a config error).
 */
export type TExpiresInPolicy = TObject<{
  defaultExpiresIn: TOptional<TLifetime>
  minExpiresIn: TOptional<TLifetime>
  maxExpiresIn: TOptional<TLifetime>
  defaultTtl: TOptional<TLifetime>
  minTtl: TOptional<TLifetime>
  maxTtl: TOptional<TLifetime>
}>

/** The deprecated name of each bound of an ExpiresInPolicy. */
export const DEPRECATED_EXPIRES_IN_KEYS: { readonly defaultExpiresIn: 'defaultTtl'; readonly minExpiresIn: 'minTtl'; readonly maxExpiresIn: 'maxTtl' } = {
  defaultExpiresIn: 'defaultTtl',
  minExpiresIn: 'minTtl',
  maxExpiresIn: 'maxTtl',
}

/** The bounds of one kind of token's `expiresIn`, with their defaults. */
export function ExpiresInPolicyField(what: string, d: { defaultExpiresIn: string; minExpiresIn: string; maxExpiresIn: string }): TExpiresInPolicy {
  const deprecated = (name: string) => Optional(Lifetime(`Deprecated: the old name of ${name}.`))
  return closedObject(
    {
      defaultExpiresIn: Optional(Lifetime(`${what} expiresIn when the request names none.`, d.defaultExpiresIn)),
      minExpiresIn: Optional(Lifetime(`A shorter requested expiresIn is raised to this.`, d.minExpiresIn)),
      maxExpiresIn: Optional(Lifetime(`A longer requested expiresIn is lowered to this.`, d.maxExpiresIn)),
      defaultTtl: deprecated('defaultExpiresIn'),
      minTtl: deprecated('minExpiresIn'),
      maxTtl: deprecated('maxExpiresIn'),
    },
    { description: `The bounds of a ${what}'s expiresIn.` },
  )
}

/** `apps[]`: one SDKAppID and its key. */
export type TApp = TObject<
  { sdkAppId: TInt; name: TOptional<TString>; userIdPolicy: TOptional<TEnum<'im' | 'strict' | 'any'>>; allowUnusualKey: TOptional<TBool>; allowUnusualUserId: TOptional<TBool>; userSig: TOptional<TExpiresInPolicy>; privateMapKey: TOptional<TExpiresInPolicy> } & TSecretFields<'secretKey'> &
    TSecretFields<'privateKey'>
>

/** The largest SDKAppID. */
const SDKAPPID_MAX = 4294967295

/** `apps[]`: one SDKAppID, its key (HMAC or legacy ECDSA), UserID policy and expiresIn bounds. */
export const AppSchema: TApp = closedObject(
  {
    sdkAppId: Int(1, SDKAPPID_MAX, 'The SDKAppID from the console.'),
    name: Optional(Str('A label for logs, metrics and the console (default: the SDKAppID).')),
    ...secretFields('secretKey', 'the HMAC secret key'),
    ...secretFields('privateKey', 'a legacy ECDSA private key (PEM)'),
    userIdPolicy: Optional(Enum(['im', 'strict', 'any'], 'Which userIds are accepted.', 'im')),
    allowUnusualKey: Optional(Bool('Accept a secretKey that is not shaped like a console SDKSecretKey (64 hex digits).', false)),
    allowUnusualUserId: Optional(Bool('Issue for a caller whose userId has leading or trailing whitespace, or is only whitespace (refused by default: a client that logs in with it trimmed gets 70013).', false)),
    userSig: Optional(ExpiresInPolicyField('UserSig', { defaultExpiresIn: '1d', minExpiresIn: '5m', maxExpiresIn: '7d' })),
    privateMapKey: Optional(ExpiresInPolicyField('PrivateMapKey', { defaultExpiresIn: '5m', minExpiresIn: '1m', maxExpiresIn: '1d' })),
  },
  { description: 'One SDKAppID and its key: secretKey (HMAC) or privateKey (legacy ECDSA).' },
)

/** `defaultSdkAppId`. */
export const DefaultSdkAppIdSchema: TInt = Int(1, SDKAPPID_MAX, 'The app used when a request names none (default: the first app).')

/** The fields of `auth.jwt` both adapters read (each adds where its keys may come from). */
export type TJwtFields = TSecretFields<'secret'> & {
  jwksFile: TOptional<TString>
  jwksUrl: TOptional<TString>
  issuer: TOptional<TStrList>
  audience: TOptional<TStrList>
  algorithms: TOptional<TStrList>
  userIdClaim: TOptional<TString>
  rolesClaim: TOptional<TString>
  clockTolerance: TOptional<TDuration>
  requireExp: TOptional<TBool>
  maxTokenAge: TOptional<TUnion<[TNumber, TString, TLiteral<false>, TLiteral<'off'>]>>
  jwksCacheMaxAge: TOptional<TDuration>
  jwksCooldown: TOptional<TDuration>
  jwksTimeout: TOptional<TDuration>
}

/** The fields of `auth.jwt` both adapters read; each adds its own key sources (`jwks` inline at the edge, `cacheTtl` in the service). */
export const jwtFields: TJwtFields = {
  ...secretFields('secret', 'the HS256 shared secret (at least 32 bytes)'),
  jwksFile: Optional(Str('A JWK Set file.')),
  jwksUrl: Optional(Str('The identity provider JWKS URL (https, http only for loopback).')),
  issuer: Optional(StrList('Accepted `iss` values.')),
  audience: Optional(StrList('Accepted `aud` values (required with a JWKS).')),
  algorithms: Optional(StrList('Accepted algorithms (default HS256 with a secret, RS256 and ES256 with a JWKS).')),
  userIdClaim: Optional(Str('The claim holding the userId (dotted paths work).', 'sub')),
  rolesClaim: Optional(Str('The claim holding the roles (dotted paths work).', 'roles')),
  clockTolerance: Optional(Duration('Tolerance for exp, nbf and iat.', '5s')),
  requireExp: Optional(Bool('Refuse tokens without exp.', true)),
  maxTokenAge: Optional(
    Union([Num({ minimum: 0 }), Text({ pattern: DURATION_PATTERN, maxLength: 32 }), Literal(false), Literal('off')], {
      description: `The longest a token may live (iat then required); "off" or false for no limit. A duration: ${DURATION_WORDS}.`,
      default: '1d',
    }),
  ),
  jwksCacheMaxAge: Optional(Duration('How long a fetched JWKS is used.', '10m')),
  jwksCooldown: Optional(Duration('Minimum time between two JWKS fetches.', '30s')),
  jwksTimeout: Optional(Duration('Timeout of a JWKS fetch.', '5s')),
}

/** The description of `auth.jwt`. */
export const JWT_DESCRIPTION = 'JWT bearer tokens: exactly one key source (secret, jwksFile or jwksUrl).'

/** `policy.privateMapKey.rules[]`. */
export type TRule = TObject<{
  apps: TOptional<TArray<TInt>>
  roles: TOptional<TStrList>
  users: TOptional<TStrList>
  rooms: TArray<TUnion<[TInteger, TString]>>
  privileges: TUnion<[TInteger, TString, TArray<TString>]>
}>

/** `policy.privateMapKey.rules[]`: who may have which privileges in which rooms. */
export const RuleSchema: TRule = closedObject(
  {
    apps: Optional(ArrayOf(Int(1, SDKAPPID_MAX, 'An SDKAppID.'), { description: 'Only these SDKAppIDs.' })),
    roles: Optional(StrList('Any of these roles (omitted: any caller).')),
    users: Optional(StrList('Only these userIds.')),
    rooms: ArrayOf(Union([Integer({ minimum: 1, maximum: 4294967294 }), Text({ minLength: 1 })]), {
      minItems: 1,
      description: 'Room patterns: a room number 1..4294967294, or a string: exact, glob (* ? {userId}) or /regex/. At least one ("*" for any room).',
    }),
    privileges: Union([Integer({ minimum: 0, maximum: 255 }), Text(), ArrayOf(Text())], {
      description: 'A number 0..255, a preset (anchor, audience, coHost, all) or privilege names.',
    }),
  },
)

/** `policy.privateMapKey.webhook`. */
export type TWebhook = TObject<{ url: TString; timeout: TOptional<TDuration>; headers: TOptional<TRecord<TString, TString>>; headersEnv: TOptional<TRecord<TString, TString>> }>

/** `policy.privateMapKey.webhook`: the endpoint that decides, instead of rules. */
export const WebhookSchema: TWebhook = closedObject(
  {
    url: Str('The policy endpoint.'),
    timeout: Optional(Duration('Timeout of the call.', '2s')),
    headers: Optional(RecordOf(Text(), Text(), { description: 'Headers sent with each call.' })),
    headersEnv: Optional(RecordOf(Text(), Text(), { description: 'Headers whose values come from these environment variables.' })),
  },
)

/** `policy`. */
export type TPolicy = TObject<{ privateMapKey: TOptional<TPmkPolicy> }>
/** `policy.privateMapKey`. */
export type TPmkPolicy = TObject<{ rules: TOptional<TArray<TRule>>; webhook: TOptional<TUnion<[TWebhook, TNull]>> }>

/** `policy`: the PrivateMapKey rules or webhook. */
export const PolicySchema: TPolicy = closedObject(
  {
    privateMapKey: Optional(
      closedObject<TPmkPolicy>(
        {
          rules: Optional(ArrayOf(RuleSchema, { description: 'Who may have which privileges in which room (none: deny all).' })),
          webhook: Optional(Union([WebhookSchema, Null()])),
        },
      ),
    ),
  },
)

/** A rate limit: "N/window", { limit, window } or off. */
export type TLimit = TUnion<[TLiteral<false>, TLiteral<'off'>, TString, TLimitObject]>
/** A rate limit as `{ limit, window }`. */
export type TLimitObject = TObject<{ limit: TOptional<TInt>; window: TOptional<TDuration> }>

/** A rate limit with its default ("30/1m"). */
export function Limit(description: string, dflt: string): TLimit {
  return Union(
    [
      Literal(false),
      Literal('off'),
      Text({ pattern: '^\\s*\\d+\\s*/' }),
      closedObject<TLimitObject>({ limit: Optional(Int(1, 1e9, 'Requests per window.')), window: Optional(Duration('Window length.')) }),
    ],
    { description: `${description} "N/window" such as "30/1m", { limit, window } or false.`, default: dflt },
  )
}

/** The fields of `rateLimit` both adapters read. */
export type TRateLimitFields = { enabled: TOptional<TBool>; algorithm: TOptional<TEnum<'fixed' | 'sliding'>>; perUser: TOptional<TLimit>; perIp: TOptional<TLimit> }

/** The fields of `rateLimit` both adapters read; the service adds Redis, `authFailures` and `maxKeys`. */
export const rateLimitFields: TRateLimitFields = {
  enabled: Optional(Bool('Turn all limits off.', true)),
  algorithm: Optional(Enum(['fixed', 'sliding'], 'Window algorithm.', 'sliding')),
  perUser: Optional(Limit('Issuing requests per userId per app.', '30/1m')),
  perIp: Optional(Limit('Requests per client address.', '120/1m')),
}

/** `cors` (the service keeps it under `server`). */
export type TCors = TObject<{ origins: TOptional<TStrList>; credentials: TOptional<TBool> }>

/** `cors`: the browser origins allowed to call, and whether cookies go along. */
export const CorsSchema: TCors = closedObject(
  {
    origins: Optional(StrList('Origins allowed to call from a browser (no wildcard).')),
    credentials: Optional(Bool('Allow cookies cross-origin.', false)),
  },
)

/** `bodyLimit` (under `server`). */
export const BodyLimitSchema: TInt = Int(256, 1048576, 'Largest request body in bytes.', 8192)

/** What `createHandler`/`createPipeline` take: the shared vocabulary, an inline `jwks`, and `auth.caller`. */
export type TIssuerConfig = TObject<{
  $schema: TOptional<TString>
  apps: TOptional<TArray<TApp>>
  defaultSdkAppId: TOptional<TInt>
  auth: TOptional<TIssuerAuth>
  policy: TOptional<TPolicy>
  rateLimit: TOptional<TIssuerRateLimit>
  cors: TOptional<TCors>
  server: TOptional<TIssuerServer>
}>
/** `auth.jwt` for the handler: the shared fields and an inline `jwks`. */
export type TIssuerJwt = TObject<TJwtFields & { jwks: TOptional<TAny> }>
/** `auth` for the handler: a JWT, or a function the deployer supplies. */
export type TIssuerAuth = TObject<{ jwt: TOptional<TUnion<[TIssuerJwt, TNull]>>; caller: TOptional<TUnion<[TFunction<[TAny], TAny>, TNull]>> }>
/** `rateLimit` for the handler: the shared fields; the store is passed in code. */
export type TIssuerRateLimit = TObject<TRateLimitFields & { store: TOptional<TEnum<'memory'>> }>
/** `server` for the handler: only CORS and the body limit. */
export type TIssuerServer = TObject<{ cors: TOptional<TCors>; bodyLimit: TOptional<TInt> }>

/** The schema of what `createHandler`/`createPipeline` take; a field the service has and this lacks is an unknown field here. */
export const IssuerConfigSchema: TIssuerConfig = closedObject(
  {
    $schema: Optional(Text()),
    apps: Optional(ArrayOf(AppSchema)),
    defaultSdkAppId: Optional(DefaultSdkAppIdSchema),
    auth: Optional(
      closedObject<TIssuerAuth>(
        {
          jwt: Optional(Union([closedObject<TIssuerJwt>({ ...jwtFields, jwks: Optional(Any({ description: 'A JWK Set ({"keys": [...]}), inline.' })) }, { description: JWT_DESCRIPTION }), Null()])),
          caller: Optional(Union([FunctionOf([Any()], Any()), Null()], { description: 'A function (request) => { userId, roles } | null.' })),
        },
      ),
    ),
    policy: Optional(PolicySchema),
    // The store itself is passed to createPipeline; only "memory" (the default) can be named here.
    rateLimit: Optional(closedObject<TIssuerRateLimit>({ ...rateLimitFields, store: Optional(Enum(['memory'], 'Where counters live: memory (another store is passed to createPipeline).', 'memory')) })),
    cors: Optional(CorsSchema),
    // The service's file keeps CORS and the body limit under `server`; its listener settings mean nothing here.
    server: Optional(closedObject<TIssuerServer>({ cors: Optional(CorsSchema), bodyLimit: Optional(BodyLimitSchema) })),
  },
)

/** What `createHandler`/`createPipeline` take, before secrets and defaults are resolved. */
export type IssuerConfigInput = Static<TIssuerConfig>
/** One `apps[]` entry as written. */
export type AppInput = Static<TApp>
/** `auth.jwt` as written. */
export type JwtInput = Static<TObject<TJwtFields>>
/** `policy` as written. */
export type PolicyInput = Static<TPolicy>
/** `rateLimit` as written (the shared fields). */
export type RateLimitInput = Static<TObject<TRateLimitFields>>
/** `cors` as written. */
export type CorsInput = Static<TCors>
