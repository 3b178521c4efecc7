/**
 * pino with `redact` as a second line of defence: the service never passes a header, key or UserSig to the logger,
 * and if a future change did, these paths would still come out as "[redacted]".
 */
import { pino, type DestinationStream, type Logger } from 'pino'

/** Log paths pino replaces with "[redacted]": keys, tokens, credentials and authorization headers. */
export const REDACT_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'authorization',
  'cookie',
  'secretKey',
  'privateKey',
  'userSig',
  'token',
  'key',
  '*.authorization',
  '*.cookie',
  '*.secretKey',
  '*.privateKey',
  '*.userSig',
  '*.token',
  '*.key',
]

/**
 * Errors are logged by name, code, message and stack only. pino's default copies every enumerable property, and
 * some errors carry request bytes (Node's parser errors hold the raw packet, headers and all).
 */
function errSerializer(e: unknown): unknown {
  if (!(e instanceof Error)) return e
  const { code } = e as { code?: unknown }
  return { type: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}), stack: e.stack }
}

/** The service's pino logger, with `REDACT_PATHS` redacted. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const opts = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    base: { service: 'usersig' },
    serializers: { err: errSerializer },
  }
  return options.destination ? pino(opts, options.destination) : pino(opts)
}

/**
 * The audit file's logger: one JSON object per line, `{"level":30,"audit":{…},"msg":"audit"}`. No redaction pass:
 * an AuditEvent has no field that can hold a credential (see audit.ts), and this logger is handed nothing else.
 */
export function createAuditLogger(destination: DestinationStream): Logger {
  return pino({ level: 'info', base: null, timestamp: false }, destination)
}
