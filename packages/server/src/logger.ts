/**
 * pino with `redact` as a second line of defence: the service never passes a header, key or UserSig to the logger,
 * and if a future change did, these paths would still come out as "[redacted]".
 */
import { pino, type DestinationStream, type Logger } from 'pino'

export const REDACT_PATHS = [
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

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const opts = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    base: { service: 'usersig' },
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
