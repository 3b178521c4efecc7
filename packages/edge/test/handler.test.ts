// createHandler in-process with hostile requests: bodies that never say their size, bodies that are not UTF-8, huge
// or repeated credentials, an unknown route; every answer in the envelope with the security headers.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createHandler, type AuditEvent } from '../src/index.js'
import { deploymentEnv, mintJwt } from './helpers/secrets.js'

const env = deploymentEnv()
const events: AuditEvent[] = []
const logs: string[] = []
const handler = createHandler(
  { apps: [{ sdkAppId: env['USERSIG_SDKAPPID'], secretKeyEnv: 'USERSIG_SECRET_KEY' }], auth: { jwt: { secretEnv: 'USERSIG_JWT_SECRET' } } },
  { env, audit: (e) => events.push(e), log: (_l, m) => logs.push(m), clientAddressHeader: 'cf-connecting-ip' },
)

async function envelope(res: Response, status: number, code: string): Promise<void> {
  assert.equal(res.status, status)
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
  assert.ok(res.headers.get('x-request-id'))
  assert.equal((await res.json()).error.code, code)
}

describe('createHandler against hostile requests', () => {
  it('a body streamed without Content-Length is cut at the limit, not read to its end', async () => {
    let pulled = 0
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++
        if (pulled > 10_000) return c.close()
        c.enqueue(new Uint8Array(1024).fill(0x20))
      },
    })
    const jwt = await mintJwt(env['USERSIG_JWT_SECRET']!, 'alice')
    const res = await handler(new Request('https://x.example/v1/usersig', { method: 'POST', headers: { authorization: `Bearer ${jwt}` }, body, duplex: 'half' } as RequestInit))
    await envelope(res, 413, 'PAYLOAD_TOO_LARGE')
    assert.ok(pulled < 20, `pulled ${pulled} chunks`)
    assert.equal(events.at(-1)?.reason, 'PAYLOAD_TOO_LARGE')
  })

  it('a body that is not UTF-8: 400 INVALID_JSON', async () => {
    const res = await handler(new Request('https://x.example/v1/usersig', { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }))
    await envelope(res, 400, 'INVALID_JSON')
  })

  it('a huge bearer, a bearer that is no JWT, two Authorization values: 401', async () => {
    const post = (authorization: string) => handler(new Request('https://x.example/v1/usersig', { method: 'POST', headers: { authorization } }))
    await envelope(await post(`Bearer ${'a'.repeat(20000)}`), 401, 'UNAUTHENTICATED')
    await envelope(await post('Bearer a.b'), 401, 'UNAUTHENTICATED')
    const jwt = await mintJwt(env['USERSIG_JWT_SECRET']!, 'alice')
    await envelope(await post(`Bearer ${jwt}, Bearer ${jwt}`), 401, 'UNAUTHENTICATED')
  })

  it('the client address comes from the platform header, bounded', async () => {
    await handler(new Request('https://x.example/v1/usersig', { method: 'POST', headers: { 'cf-connecting-ip': '9'.repeat(5000) } }))
    assert.equal(events.at(-1)?.clientIp?.length, 64)
  })

  it('unknown routes and methods: 404 in the envelope; HEAD /healthz has no body', async () => {
    await envelope(await handler(new Request('https://x.example/v1/usersig?userId=alice')), 404, 'NOT_FOUND')
    await envelope(await handler(new Request('https://x.example/v1/admin/apps')), 404, 'NOT_FOUND')
    await envelope(await handler(new Request('https://x.example/v1/usersig', { method: 'OPTIONS' })), 404, 'NOT_FOUND')
    const head = await handler(new Request('https://x.example/healthz', { method: 'HEAD' }))
    assert.equal(head.status, 200)
    assert.equal(await head.text(), '')
  })

  it('nothing was logged as a service event, and no audit event holds a secret', () => {
    assert.deepEqual(logs, [])
    const text = JSON.stringify(events)
    for (const s of [env['USERSIG_SECRET_KEY']!, env['USERSIG_JWT_SECRET']!]) assert.equal(text.includes(s), false)
  })
})
