/**
 * AWS Lambda function URLs (and API Gateway HTTP APIs, payload format 2.0): the event becomes a `Request`, the
 * handler's `Response` becomes the result object Lambda expects.
 *
 * @example
 * import { createHandler } from '@usersig/edge'
 * import { lambdaHandler } from '@usersig/edge/lambda'
 * export const handler = lambdaHandler(createHandler(config, { env: process.env }))
 */
import type { Handler } from './index.js'

/** The parts of a payload-2.0 event the adapter reads. */
export interface LambdaUrlEvent {
  /** The request path (default: `requestContext.http.path`, else `/`). */
  rawPath?: string
  /** The query string without `?`. */
  rawQueryString?: string
  /** Request headers, names in lower case. */
  headers?: Record<string, string | undefined>
  /** Cookies, which payload 2.0 sends apart from the headers; joined into one `cookie` header. */
  cookies?: string[]
  /** The body: text, or base64 when `isBase64Encoded`. */
  body?: string | null
  /** Whether `body` is base64. */
  isBase64Encoded?: boolean
  /** The host name, the method, and the caller's address (`http.sourceIp`), which the per-address limit counts. */
  requestContext: { domainName?: string; http: { method: string; path?: string; sourceIp?: string } }
}

/** The result object a Lambda function URL (payload format 2.0) turns into the HTTP answer; `lambdaResult` makes it. */
export interface LambdaUrlResult {
  /** The HTTP status. */
  statusCode: number
  /** The answer's headers, names in lower case. */
  headers: Record<string, string>
  /** The body: text, or base64 when `isBase64Encoded`. */
  body: string
  /** Whether Lambda must decode `body` from base64 before sending it. */
  isBase64Encoded: boolean
}

/** An AWS Lambda function URL event as a `Request`, with the caller's address. */
export function lambdaRequest(event: LambdaUrlEvent): { request: Request; clientAddress: string } {
  const http = event.requestContext.http
  const headers = new Headers()
  for (const [k, v] of Object.entries(event.headers ?? {})) if (typeof v === 'string') headers.set(k, v)
  if (event.cookies?.length) headers.set('cookie', event.cookies.join('; '))
  const host = event.requestContext.domainName ?? headers.get('host') ?? 'lambda.invalid'
  const path = event.rawPath ?? http.path ?? '/'
  const url = `https://${host}${path}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`
  const method = http.method.toUpperCase()
  const hasBody = method !== 'GET' && method !== 'HEAD' && typeof event.body === 'string'
  const body = hasBody ? (event.isBase64Encoded ? (Uint8Array.from(atob(event.body!), (c) => c.charCodeAt(0)) as BodyInit) : event.body!) : null
  return { request: new Request(url, { method, headers, body }), clientAddress: http.sourceIp ?? '' }
}


/** A `Response` as the result a Lambda function URL expects. */
export async function lambdaResult(response: Response): Promise<LambdaUrlResult> {
  const headers: Record<string, string> = {}
  response.headers.forEach((v, k) => {
    headers[k] = v
  })
  return { statusCode: response.status, headers, body: await response.text(), isBase64Encoded: false }
}

/** Wraps a fetch-style handler as an AWS Lambda function URL handler. */
export function lambdaHandler(handler: Handler): (event: LambdaUrlEvent) => Promise<LambdaUrlResult> {
  return async (event) => {
    const { request, clientAddress } = lambdaRequest(event)
    return lambdaResult(await handler(request, { clientAddress }))
  }
}
