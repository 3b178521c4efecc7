// The AWS Lambda (function URL) and Tencent Cloud SCF (API Gateway) templates, run in Node the way the platforms
// call them: the exported handler gets a platform event (made from the sample events in events/, which follow the
// documented shapes) and returns the platform's result object. Everything they log is kept and scanned.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { conformance, type Exchange, type Send } from './helpers/conformance.js'
import { TEMPLATES } from './helpers/paths.js'
import { deploymentEnv, mintJwt } from './helpers/secrets.js'

const env = deploymentEnv()
let logged = ''

// The platform's log is the function's console.
const original = { log: console.log, info: console.info, warn: console.warn, error: console.error }
before(() => {
  Object.assign(process.env, env)
  for (const k of ['log', 'info', 'warn', 'error'] as const) console[k] = (...a: unknown[]) => void (logged += a.map(String).join(' ') + '\n')
})
after(() => Object.assign(console, original))

function sample(name: string): any {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'events', name), 'utf8'))
}

type Result = { statusCode: number; headers: Record<string, string>; body: string }

function exchange(r: Result): Exchange {
  return { status: r.statusCode, headers: new Headers(r.headers), text: r.body }
}

async function lambda(): Promise<(e: unknown) => Promise<Result>> {
  return (await import(join(TEMPLATES, 'lambda', 'index.mjs'))).handler
}
async function scf(): Promise<(e: unknown) => Promise<Result>> {
  return (await import(join(TEMPLATES, 'scf', 'index.mjs'))).main_handler
}

const lambdaSend: Send = async (method, path, headers = {}, body) => {
  const e = sample('lambda-function-url.json')
  e.rawPath = path
  e.requestContext.http.method = method
  e.requestContext.http.path = path
  Object.assign(e.headers, Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])))
  if (body === undefined) delete e.body
  else e.body = body
  return exchange(await (await lambda())(e))
}

const scfSend: Send = async (method, path, headers = {}, body) => {
  const e = sample('scf-api-gateway.json')
  e.path = path
  e.httpMethod = method
  Object.assign(e.headers, Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])))
  if (body === undefined) delete e.body
  else e.body = body
  return exchange(await (await scf())(e))
}

describe('template: AWS Lambda function URL (Node, sample events)', () => {
  conformance({ send: lambdaSend, env, logs: () => logged })

  it('a base64-encoded body, the source address from requestContext', async () => {
    const e = sample('lambda-function-url.json')
    e.headers.authorization = `Bearer ${await mintJwt(env['USERSIG_JWT_SECRET']!, 'alice')}`
    e.headers['content-type'] = 'application/json'
    e.body = Buffer.from(JSON.stringify({ expiresIn: 600 })).toString('base64')
    e.isBase64Encoded = true
    const r = await (await lambda())(e)
    assert.equal(r.statusCode, 200, r.body)
    assert.equal(JSON.parse(r.body).expiresAt - JSON.parse(r.body).issuedAt, 600)
    assert.match(logged, /"clientIp":"203\.0\.113\.7"/)
  })
})

describe('template: Tencent Cloud SCF behind API Gateway (Node, sample events)', () => {
  conformance({ send: scfSend, env, logs: () => logged })

  it('the old GET ?userId= endpoint shape gets nothing', async () => {
    const e = sample('scf-api-gateway.json')
    e.httpMethod = 'GET'
    e.queryString = { userId: 'alice' }
    const r = await (await scf())(e)
    assert.equal(r.statusCode, 404)
    assert.equal(JSON.parse(r.body).error.code, 'NOT_FOUND')
  })
})
