/**
 * Tencent Cloud SCF behind API Gateway (integration response on): the API Gateway event becomes a `Request`, the
 * handler's `Response` becomes the `{ isBase64Encoded, statusCode, headers, body }` object API Gateway expects.
 *
 * @example
 * import { createHandler } from '@usersig/edge'
 * import { scfHandler } from '@usersig/edge/scf'
 * export const main_handler = scfHandler(createHandler(config, { env: process.env }))
 */
import type { Handler } from './index.js'

/** The parts of an API Gateway trigger event the adapter reads. */
export interface ScfApiGatewayEvent {
  /** The HTTP method. */
  httpMethod: string
  /** The request path. */
  path: string
  /** Request headers. */
  headers?: Record<string, string | undefined>
  /** The query parameters; a repeated one as a list. */
  queryString?: Record<string, string | string[] | undefined>
  /** The body: text, or base64 when `isBase64Encoded`. */
  body?: string | null
  /** Whether `body` is base64. */
  isBase64Encoded?: boolean
  /** The caller's address (`sourceIp`), which the per-address limit counts. */
  requestContext?: { sourceIp?: string; path?: string; httpMethod?: string }
}

/** The result object that API Gateway (integration response on) turns into the HTTP answer; made by `scfResult`. */
export interface ScfApiGatewayResult {
  /** Whether API Gateway must decode `body` from base64 before sending it. */
  isBase64Encoded: boolean
  /** The HTTP status. */
  statusCode: number
  /** The answer's headers, names in lower case. */
  headers: Record<string, string>
  /** The body: text, or base64 when `isBase64Encoded`. */
  body: string
}

/** A Tencent Cloud SCF API gateway event as a `Request`, with the caller's address. */
export function scfRequest(event: ScfApiGatewayEvent): { request: Request; clientAddress: string } {
  const headers = new Headers()
  for (const [k, v] of Object.entries(event.headers ?? {})) if (typeof v === 'string') headers.set(k, v)
  const query = new URLSearchParams()
  for (const [k, v] of Object.entries(event.queryString ?? {})) {
    for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) query.append(k, x)
  }
  const qs = query.toString()
  const url = `https://${headers.get('host') ?? 'scf.invalid'}${event.path.startsWith('/') ? event.path : `/${event.path}`}${qs ? `?${qs}` : ''}`
  const method = event.httpMethod.toUpperCase()
  const hasBody = method !== 'GET' && method !== 'HEAD' && typeof event.body === 'string'
  let body: BodyInit | null = null
  if (hasBody) body = event.isBase64Encoded ? (Uint8Array.from(atob(event.body!), (c) => c.charCodeAt(0)) as BodyInit) : event.body!
  return { request: new Request(url, { method, headers, body }), clientAddress: event.requestContext?.sourceIp ?? '' }
}

/** A `Response` as the result the SCF API gateway expects. */
export async function scfResult(response: Response): Promise<ScfApiGatewayResult> {
  const headers: Record<string, string> = {}
  response.headers.forEach((v, k) => {
    headers[k] = v
  })
  return { isBase64Encoded: false, statusCode: response.status, headers, body: await response.text() }
}

/** Wraps a fetch-style handler as a Tencent Cloud SCF API gateway handler. */
export function scfHandler(handler: Handler): (event: ScfApiGatewayEvent) => Promise<ScfApiGatewayResult> {
  return async (event) => {
    const { request, clientAddress } = scfRequest(event)
    return scfResult(await handler(request, { clientAddress }))
  }
}
