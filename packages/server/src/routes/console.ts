/**
 * The web console at `/`: static files from a directory (packages/console/dist by default) when it has an
 * index.html, else a small page that links the API description. No directory listing, no path escapes.
 */
import { readFile, stat } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { extname, join, resolve, sep } from 'node:path'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { HttpError } from '../errors.js'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
}

export const HTML_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

function htmlHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', HTML_CSP)
  reply.header('cross-origin-opener-policy', 'same-origin')
}

const FALLBACK = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>usersig service</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>usersig issuing service</h1>
<p>The web console is not built here (build packages/console, or set server.consoleDir).</p>
<ul>
<li><a href="/openapi.json">/openapi.json</a>: the API description</li>
<li><a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a>, <a href="/metrics">/metrics</a></li>
</ul>
<p>Get a UserSig: <code>POST /v1/usersig</code> with your credentials; the userId is always yours.</p>
</body></html>
`

export function consoleRoutes(app: FastifyInstance, dir: string | null): void {
  const root = dir && existsSync(join(dir, 'index.html')) ? resolve(dir) : null

  async function send(reply: FastifyReply, rel: string): Promise<FastifyReply> {
    const path = resolve(root!, '.' + sep + rel)
    if (path !== root && !path.startsWith(root + sep)) throw new HttpError('NOT_FOUND', 'not found')
    let info
    try {
      info = await stat(path)
    } catch {
      throw new HttpError('NOT_FOUND', 'not found')
    }
    if (!info.isFile()) throw new HttpError('NOT_FOUND', 'not found')
    const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
    if (type.startsWith('text/html')) htmlHeaders(reply)
    reply.header('cache-control', rel === 'index.html' ? 'no-cache' : 'public, max-age=300')
    reply.type(type)
    return reply.send(await readFile(path))
  }

  app.get('/', async (_req, reply) => {
    if (!root) {
      htmlHeaders(reply)
      return reply.type('text/html; charset=utf-8').send(FALLBACK)
    }
    return send(reply, 'index.html')
  })

  if (root) {
    app.get<{ Params: { '*': string } }>('/*', async (req, reply) => {
      const rel = req.params['*']
      if (rel.split('/').some((p) => p === '..' || p.startsWith('.'))) throw new HttpError('NOT_FOUND', 'not found')
      return send(reply, rel)
    })
  }
}
