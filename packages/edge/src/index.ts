/**
 * @usersig/edge: `createHandler(config)` returns a Web-standard `(request: Request) => Promise<Response>` that issues
 * UserSigs and PrivateMapKeys for authenticated callers, with the Node service's routes, bodies, status codes, error
 * envelope and config vocabulary. Runs wherever `Request`/`Response` do: Cloudflare Workers, Deno, Bun, Vercel's Edge
 * runtime, Node (with the adapters in `./lambda`, `./scf`, or node:http).
 *
 * @example
 * export default {
 *   fetch(request, env) {
 *     handler ??= createHandler({ apps: [{ sdkAppId: 1400000000, secretKeyEnv: 'USERSIG_SECRET_KEY' }], auth: { jwt: { secretEnv: 'JWT_SECRET' } } }, { env, clientAddressHeader: 'cf-connecting-ip' })
 *     return handler(request)
 *   },
 * }
 */
import { createPipeline, type Answer, type PipelineOptions, type RequestView } from '@usersig/issuer'
import { readBody } from './body.js'

export { configFromEnv, ConfigError, memoryStore, type RateLimitStore, type AuditEvent, type Caller, type CallerRequest } from '@usersig/issuer'

/**
 * What `createHandler` takes besides the config: the pipeline's options (`env`, `store`, `audit`, `log`, `fetch`,
 * `now`) and where the client's address comes from.
 */
export interface HandlerOptions extends PipelineOptions {
  /**
   * A header the platform itself sets to the client's address and that a client cannot forge there (Cloudflare:
   * `cf-connecting-ip`; Vercel: `x-real-ip`). Used for the per-address limit when the call gives no `clientAddress`.
   * Never name a header that reaches you unfiltered from the client.
   */
  clientAddressHeader?: string
}

/** What the platform knows about the connection (Deno's `info.remoteAddr.hostname`, Bun's `server.requestIP`). */
export interface ConnectionInfo {
  /** The client's IP address; when absent, `clientAddressHeader` is read, else the address is unknown (''). */
  clientAddress?: string
}

/**
 * The function `createHandler` returns: give it each `Request` (with what the platform knows of the connection, if
 * anything) and send back the `Response`. Refusals and failures come back as error answers in the service's JSON
 * envelope, not as exceptions. `lambdaHandler` and `scfHandler` wrap it for those platforms.
 */
export type Handler = (request: Request, info?: ConnectionInfo) => Promise<Response>

function toResponse(a: Answer, method: string): Response {
  return new Response(a.body === '' || method === 'HEAD' ? null : a.body, { status: a.status, headers: a.headers })
}

/** A fetch-style handler (`Request` → `Response`) for edge runtimes: validates `config` once, then issues per request. */
export function createHandler(config: Record<string, unknown>, options: HandlerOptions = {}): Handler {
  const pipeline = createPipeline(config, options)
  const addressHeader = options.clientAddressHeader?.toLowerCase()
  return async (request, info) => {
    let path: string
    try {
      path = new URL(request.url).pathname
    } catch {
      path = '/'
    }
    const view: RequestView = {
      method: request.method,
      path,
      headers: request.headers,
      body: '',
      // An address is short; anything longer is not one (and must not grow the limiter's keys or the audit line).
      clientAddress: (info?.clientAddress ?? (addressHeader ? (request.headers.get(addressHeader) ?? '') : '')).slice(0, 64),
    }
    try {
      if (request.method === 'POST') {
        const text = await readBody(request, pipeline.config.bodyLimit)
        if (text === null) return toResponse(pipeline.refuse(view, 'PAYLOAD_TOO_LARGE', `the body is larger than ${pipeline.config.bodyLimit} bytes`), request.method)
        if (text === undefined) return toResponse(pipeline.refuse(view, 'INVALID_JSON', 'the body is not valid UTF-8'), request.method)
        view.body = text
      }
    } catch {
      // A body stream that broke; nothing about it is echoed.
      return toResponse(pipeline.refuse(view, 'INVALID_REQUEST', 'the request body could not be read'), request.method)
    }
    return toResponse(await pipeline.handle(view), request.method)
  }
}
