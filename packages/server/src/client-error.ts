/**
 * Answers for requests that never reach fastify: Node's HTTP parser refused them (400 bad syntax, 431 headers too
 * large) or the client was too slow (408, `server.headersTimeout` / `server.requestTimeout`). Node hands these to the
 * server's `clientError` event with the raw socket; this writes the same answer every other error gets: the
 * `{ error: { code, message } }` body, an `X-Request-Id` and the security headers. The parser's error object holds
 * the raw bytes it choked on (credentials included), so it is neither logged nor echoed: only its code is.
 */
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import { STATUS_CODES } from 'node:http'
import type { Logger } from 'pino'
import { errorBody, type ErrorCode, ERROR_STATUS } from './errors.js'

/** Headers every answer carries (app.ts adds them in onSend; this module writes them by hand). */
export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-site',
} as const
export const API_CSP = "default-src 'none'; frame-ancestors 'none'"

/** How long a refused client may take to read the answer before its socket is destroyed. */
const LINGER_MS = 2000

function answerFor(code: string | undefined): [ErrorCode, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return ['HEADERS_TOO_LARGE', 'the request headers are too large']
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return ['REQUEST_TIMEOUT', 'the request was not received in time']
    default:
      return ['INVALID_REQUEST', 'the request is not valid HTTP']
  }
}

/** The `clientError` listener: writes a complete HTTP answer on the raw socket, then closes it. */
export function clientErrorHandler(log: Logger): (err: NodeJS.ErrnoException, socket: Socket) => void {
  return (err, socket) => {
    // A reset or an already-closed connection has nobody left to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return
    const [code, message] = answerFor(err.code)
    const status = ERROR_STATUS[code]
    const requestId = randomUUID()
    if (log.isLevelEnabled('debug')) log.debug({ requestId, status, parserError: String(err.code ?? 'unknown').slice(0, 64) }, 'client error')
    // Nothing can be written after an answer already started (a timeout during a response): just close.
    const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true
    if (!socket.writable || started) {
      socket.destroy()
      return
    }
    const body = JSON.stringify(errorBody(code, message))
    const head = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'content-type: application/json; charset=utf-8',
      `content-length: ${Buffer.byteLength(body)}`,
      'connection: close',
      'cache-control: no-store',
      `x-request-id: ${requestId}`,
      `content-security-policy: ${API_CSP}`,
      ...Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}`),
    ]
    // end(), not destroy(): closing with unread input would reset the connection and could lose the answer.
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`)
    socket.setTimeout(LINGER_MS, () => socket.destroy())
  }
}
