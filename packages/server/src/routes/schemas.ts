/**
 * JSON schemas of the request bodies and answers: fastify validates with them (unknown fields rejected, no type
 * coercion) and /openapi.json is built from the same objects.
 */
import type { FastifySchemaValidationError } from 'fastify'
import { HttpError, type ErrorCode } from '../errors.js'

/** The documented code for a field that fails its schema; other fields get INVALID_REQUEST. */
const FIELD_CODES: Record<string, ErrorCode> = {
  '/roomId': 'INVALID_ROOM_ID',
  '/strRoomId': 'INVALID_STR_ROOM_ID',
  '/privileges': 'INVALID_PRIVILEGES',
  '/expiresIn': 'INVALID_EXPIRES_IN',
  '/sdkAppId': 'INVALID_SDKAPPID',
  '/userId': 'INVALID_USERID',
}

/**
 * Route option `schemaErrorFormatter`: a failed body or query check as the HttpError to answer with. The issuing and
 * operator routes take it with `attachValidation`, so they judge the body only once their gate knows the caller.
 */
export function schemaError(errors: FastifySchemaValidationError[], dataVar: string): HttpError {
  const first = errors[0]
  const extra = first?.keyword === 'additionalProperties' ? first.params['additionalProperty'] : undefined
  if (extra === 'userId') {
    return new HttpError('USERID_IN_BODY', 'the userId comes from your credentials, never from the request: remove "userId" from the body')
  }
  if (typeof extra === 'string') return new HttpError('INVALID_REQUEST', `unknown field "${extra.slice(0, 64)}" in ${dataVar}`)
  const path = first?.instancePath ?? ''
  // An anyOf (privileges) reports its branches under the field's own path.
  const field = Object.keys(FIELD_CODES).find((f) => path === f || path.startsWith(`${f}/`))
  const where = path === '' ? dataVar : `${dataVar}${path.replaceAll('/', '.')}`
  return new HttpError(field ? FIELD_CODES[field]! : 'INVALID_REQUEST', `${where} ${first?.message ?? 'is not valid'}`)
}

/** A JSON Schema of an object (a body, a query, an answer), as fastify validates it and /openapi.json shows it. */
export interface ObjectSchema {
  readonly type: 'object'
  readonly additionalProperties?: boolean
  readonly required?: readonly string[]
  readonly properties: { readonly [field: string]: unknown }
}

// No type here: the one SDKAppID rule (the core's normalizeSdkAppId, through @usersig/issuer's requestedSdkAppId) judges
// the value in the handler, so the service and the edge handler answer a bad one alike (400 INVALID_SDKAPPID).
const sdkAppId = { description: 'The app (SDKAppID): an integer 1..4294967295, or its decimal digits as a string; the default app when omitted.' } as const
// No type here: the issuing steps (@usersig/issuer's body reader, then the core's one duration grammar, parseExpiresIn)
// judge the value in the handler, so the service, the edge handler, the library and the config answer alike.
const expiresIn = {
  description: 'Requested lifetime: whole seconds, or a whole number with a unit s, m, h, d or w ("90s", "30m", "12h", "7d", "2w"); no fraction. Clamped to the app\'s minExpiresIn..maxExpiresIn.',
} as const
const allowUnusualLifetime = {
  type: 'boolean',
  description: 'true: an expiresIn that looks like milliseconds of a common lifetime (86400000) is meant as seconds; without it, such a value is refused with a hint. Still clamped to the app\'s policy.',
} as const
const roomId = { type: 'integer', minimum: 1, maximum: 4294967294, description: 'Numeric TRTC room.' } as const
const strRoomId = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9 !#$%&()+\\-:;<=.>?@\\[\\]^_{}|~,]+$',
  description: 'String TRTC room (1..64 characters of the TRTC charset).',
} as const
const privileges = {
  anyOf: [
    { type: 'integer', minimum: 0, maximum: 255 },
    { type: 'string', minLength: 1, maxLength: 200 },
    { type: 'array', maxItems: 8, items: { type: 'string', minLength: 1, maxLength: 32 } },
  ],
  description: 'Requested privileges: bits 0..255, a preset (anchor, audience, coHost, all), names ["enter","recvAudio"] or "enter,recvAudio".',
} as const
const token = { type: 'string', minLength: 1, maxLength: 8192, description: 'A UserSig or PrivateMapKey.' } as const
const userId = { type: 'string', minLength: 1, maxLength: 1024 } as const
const now = { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Unix seconds to evaluate at (default: now).' } as const

export const usersigBody: ObjectSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { sdkAppId, expiresIn, allowUnusualLifetime },
} as const

export const pmkBody: ObjectSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { sdkAppId, roomId, strRoomId, privileges, expiresIn, allowUnusualLifetime },
} as const

export const adminUsersigBody: ObjectSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['userId'],
  properties: {
    sdkAppId,
    userId: { ...userId, description: 'Whom to sign for (checked against the app\'s userIdPolicy; no leading or trailing whitespace unless allowUnusualUserId).' },
    expiresIn,
    allowUnusualUserId: { type: 'boolean', description: 'The UserID\'s leading or trailing whitespace (or a UserID of only whitespace) is intended.' },
    allowUnusualLifetime: { type: 'boolean', description: 'A lifetime that looks like milliseconds of a common one (86400000) is intended; still clamped to the app\'s policy.' },
  },
} as const

export const verifyBody: ObjectSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'userId'],
  properties: {
    token,
    userId: { ...userId, description: 'The UserID the client sends with the token.' },
    sdkAppId: { ...sdkAppId, description: 'The app to verify for; by default the app the token names, else the default app.' },
    now,
    clockTolerance: { type: 'integer', minimum: 0, maximum: 86400 },
  },
} as const

export const explainBody: ObjectSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['token'],
  properties: { token, userId, sdkAppId, roomId, strRoomId, now },
} as const

export const auditQuery: ObjectSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'string', pattern: '^[1-9][0-9]{0,5}$', description: 'How many events (default 100).' } },
} as const

const issuedRequired = ['sdkAppId', 'userId', 'userSig', 'issuedAt', 'expiresAt', 'refreshAt', 'serverTime'] as const
const issuedProperties = {
    sdkAppId: { type: 'integer' },
    userId: { type: 'string' },
    userSig: { type: 'string' },
    issuedAt: { type: 'integer', description: 'Unix seconds (TLS.time).' },
    expiresAt: { type: 'integer', description: 'Unix seconds after which Tencent rejects it.' },
    refreshAt: { type: 'integer', description: 'Unix seconds (server clock) after which a client should fetch a new one.' },
    serverTime: { type: 'integer', description: 'The server clock at answer time, to correct client clock skew.' },
  } as const

export const issued: ObjectSchema = {
  type: 'object',
  required: issuedRequired,
  properties: issuedProperties,
} as const

export const issuedPmk: ObjectSchema = {
  type: 'object',
  required: [...issuedRequired, 'privateMapKey', 'privileges', 'privilegeNames'],
  properties: {
    ...issuedProperties,
    privateMapKey: { type: 'string', description: 'The PrivateMapKey: pass it as privateMapKey when entering the room.' },
    userSig: { type: 'string', deprecated: true, description: 'Deprecated: the same PrivateMapKey under its old name; read privateMapKey. Removed in the next release.' },
    privileges: { type: 'integer', description: 'Granted privilege bits (requested ∩ allowed).' },
    privilegeNames: { type: 'array', items: { type: 'string' } },
    roomId: { type: 'integer' },
    strRoomId: { type: 'string' },
  },
} as const

export const errorSchema: ObjectSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const
