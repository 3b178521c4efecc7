/** The OpenAPI 3.1 description served at /openapi.json, built from the same schemas fastify validates with. */
import { ERROR_STATUS } from './errors.js'
import { adminUsersigBody, errorSchema, explainBody, issued, issuedPmk, pmkBody, usersigBody, verifyBody } from './routes/schemas.js'

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } })
const err = (description: string) => ({ description, ...json({ $ref: '#/components/schemas/Error' }) })

function errors(...codes: number[]): Record<string, unknown> {
  const names: Record<number, string[]> = {}
  for (const [code, status] of Object.entries(ERROR_STATUS)) (names[status] ??= []).push(code)
  return Object.fromEntries(codes.map((c) => [String(c), err((names[c] ?? []).join(', '))]))
}

const userSecurity = [{ bearerJwt: [] }, { trustedHeader: [] }, { session: [] }]
const adminSecurity = [{ apiKey: [] }, { apiKeyBearer: [] }]

let doc: Record<string, unknown> | undefined

/** The OpenAPI 3 document of the HTTP API (built once, from the route schemas). */
export function openApiDocument(): Record<string, unknown> {
  doc ??= {
    openapi: '3.1.0',
    info: {
      title: 'usersig issuing service',
      version: '0.1.0',
      description:
        'Issues Tencent Cloud UserSigs and PrivateMapKeys to authenticated callers. The userId is always the ' +
        'authenticated identity, never a request field. Errors are `{ "error": { "code", "message" } }`.',
    },
    paths: {
      '/v1/usersig': {
        post: {
          summary: 'A UserSig for the authenticated caller',
          security: userSecurity,
          requestBody: { required: true, ...json(usersigBody) },
          responses: { 200: { description: 'Issued', ...json(issued) }, ...errors(400, 401, 403, 404, 429, 503) },
        },
      },
      '/v1/private-map-key': {
        post: {
          summary: 'A PrivateMapKey for the authenticated caller, with the privileges the policy grants (requested ∩ allowed)',
          security: userSecurity,
          requestBody: { required: true, ...json(pmkBody) },
          responses: { 200: { description: 'Issued', ...json(issuedPmk) }, ...errors(400, 401, 403, 404, 429, 503) },
        },
      },
      '/v1/admin/usersig': {
        post: {
          summary: 'A UserSig for a named userId, for backends in other languages (scope "issue")',
          security: adminSecurity,
          requestBody: { required: true, ...json(adminUsersigBody) },
          responses: { 200: { description: 'Issued', ...json(issued) }, ...errors(400, 401, 404, 429, 503) },
        },
      },
      '/v1/verify': {
        post: {
          summary: 'Verify a UserSig with the configured key (scope "verify")',
          security: adminSecurity,
          requestBody: { required: true, ...json(verifyBody) },
          responses: { 200: { description: 'The verification result: ok, or the reason and predicted Tencent code', ...json({ type: 'object' }) }, ...errors(400, 401, 404, 429, 503) },
        },
      },
      '/v1/explain': {
        post: {
          summary: 'Explain a UserSig: verdict, predicted Tencent code, findings with fixes (scope "verify")',
          security: adminSecurity,
          requestBody: { required: true, ...json(explainBody) },
          responses: { 200: { description: 'The explanation', ...json({ type: 'object' }) }, ...errors(400, 401, 404, 429, 503) },
        },
      },
      '/v1/admin/apps': {
        get: { summary: 'Configured apps with key fingerprints (scope "admin")', security: adminSecurity, responses: { 200: { description: 'Apps', ...json({ type: 'object' }) }, ...errors(401, 429, 503) } },
      },
      '/v1/admin/audit': {
        get: {
          summary: 'Recent audit events, newest first (scope "admin")',
          security: adminSecurity,
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100000 } }],
          responses: { 200: { description: 'Events', ...json({ type: 'object' }) }, ...errors(400, 401, 429, 503) },
        },
      },
      '/healthz': { get: { summary: 'Alive', responses: { 200: { description: 'Alive' } } } },
      '/readyz': { get: { summary: 'Ready (config loaded, store reachable, not shutting down)', responses: { 200: { description: 'Ready or degraded' }, 503: { description: 'Not ready' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics (with metrics.requireApiKey: an API key with the metrics or admin scope)', responses: { 200: { description: 'Prometheus text format' }, 401: { description: 'no API key, an unknown one, or one without the metrics scope (when required; one answer for all three)' }, 429: { description: 'too many failed key checks from this address' } } } },
      '/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
    },
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        bearerJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        trustedHeader: { type: 'apiKey', in: 'header', name: 'X-User-Id', description: 'Set by a configured reverse proxy only' },
        session: { type: 'apiKey', in: 'cookie', name: 'session', description: 'Forward auth: checked by your own endpoint' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        apiKeyBearer: { type: 'http', scheme: 'bearer', description: 'An API key as a bearer token' },
      },
    },
  }
  return doc
}
