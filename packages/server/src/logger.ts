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
