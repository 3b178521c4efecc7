/**
 * Helpers for the standing adversarial suite (attack-*.test.ts): a service on a real 127.0.0.1 port with its own log
 * lines kept apart (to count them), and a raw HTTP/1.1 client for requests fetch refuses to send (non-latin1 header
 * bytes, repeated identity headers).
 */
import { after } from 'node:test'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { createApp, createLogger, type CreateAppOptions } from '../src/index.js'
import { checkLogsAtEnd, config, LOGS } from './helpers.js'

export interface Served {
  app: FastifyInstance
  url: string
  /** This service's log lines, parsed (also kept in LOGS for the no-secret check). */
  logs: Record<string, any>[]
  /** Audit events of this service, oldest first. */
  audit(): Record<string, any>[]
}

export async function serve(patch: (c: Record<string, any>) => void = () => {}, options: Partial<CreateAppOptions> = {}): Promise<Served> {
  checkLogsAtEnd()
  const logs: Record<string, any>[] = []
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue
        LOGS.push(line)
        logs.push(JSON.parse(line))
      }
      cb()
    },
  })
  const app = await createApp({ config: config(patch), logger: createLogger({ level: 'trace', destination }), staticDir: null, ...options })
  await app.listen({ host: '127.0.0.1', port: 0 })
  after(() => app.close())
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  return { app, url, logs, audit: () => logs.filter((l) => l.audit).map((l) => l.audit) }
}

export interface Answer {
  status: number
  headers: Headers
  body: any
}

/** A request over the real port; remembers nothing (callers register secrets themselves). */
export async function call(base: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST')
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  })
  const text = await res.text()
  let body: any = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON (metrics)
  }
  return { status: res.status, headers: res.headers, body }
}

/** Sends raw bytes as one HTTP/1.1 request (Connection: close) and parses the answer. */
export function rawRequest(base: string, head: Buffer | string, body = ''): Promise<RawAnswer> {
  return rawExchange(base, Buffer.concat([typeof head === 'string' ? Buffer.from(head, 'latin1') : head, Buffer.from(`content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)]))
}

export interface RawAnswer {
  status: number
  body: any
  text: string
}

/**
 * Writes `bytes` as they are (an unfinished request stays unfinished: the socket is kept open) and parses whatever
 * the server sent by the time it ended the connection.
 */
export function rawExchange(base: string, bytes: Buffer | string): Promise<RawAnswer> {
  const { port } = new URL(base)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (d) => chunks.push(d))
    socket.on('error', reject)
    socket.on('end', () => {
      socket.end()
      const text = Buffer.concat(chunks).toString('utf8')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)
      const payload = text.slice(text.indexOf('\r\n\r\n') + 4)
      let parsed: any = payload
      try {
        parsed = JSON.parse(payload)
      } catch {
        // not JSON
      }
      resolve({ status, body: parsed, text })
    })
    socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes)
  })
}
