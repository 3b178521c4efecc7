/**
 * The web console at `/`: static files from a directory (packages/console/dist by default) when it has an
 * index.html, else a small page that links the API description. No directory listing, no path escapes.
 *
 * Text files go out compressed when the browser accepts it (brotli, else gzip): the copy the console's build wrote
 * beside the file (`app.js.br`, `app.js.gz`) when it is at least as new as the file, else compressed here once and
 * kept in a small in-memory cache keyed by path, size and modification time.
 */
import { readFile, stat } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { extname, join, resolve, sep } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
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

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

/** Compressing pays for text; images and fonts are compressed already. */
const COMPRESSIBLE = /^(text\/|application\/json|image\/svg)/
/** Smaller bodies fit in one packet either way. */
const MIN_COMPRESS_BYTES = 1024
/** Larger files go out as they are rather than being compressed on every request. */
const MAX_COMPRESS_BYTES = 4 * 1024 * 1024
/** The cache of bodies compressed here holds at most this many bytes. */
const CACHE_MAX_BYTES = 16 * 1024 * 1024

type Encoding = 'br' | 'gzip'

/**
 * The encoding to send, from an Accept-Encoding header: br, else gzip, each unless refused with q=0. Bounded and
 * linear: the header is cut at 1 KiB and split once.
 */
export function pickEncoding(header: string | string[] | undefined): Encoding | null {
  const value = (Array.isArray(header) ? header.join(',') : header ?? '').slice(0, 1024).toLowerCase()
  const accepted = new Map<string, number>()
  for (const part of value.split(',')) {
    const [name, ...params] = part.trim().split(';')
    if (!name) continue
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined)
    accepted.set(name.trim(), q === undefined ? 1 : Number(q))
  }
  const ok = (name: string): boolean => {
    const q = accepted.get(name) ?? accepted.get('*')
    return q !== undefined && q > 0
  }
  if (ok('br')) return 'br'
  if (ok('gzip')) return 'gzip'
  return null
}

/** Compressed bodies made here (when the build left no copy), newest last; the oldest goes first when full. */
const compressedCache = new Map<string, Buffer>()
let cachedBytes = 0

async function compressedBody(path: string, size: number, mtimeMs: number, encoding: Encoding): Promise<Buffer> {
  const pre = `${path}.${encoding === 'br' ? 'br' : 'gz'}`
  try {
    const info = await stat(pre)
    if (info.isFile() && info.mtimeMs >= mtimeMs) return await readFile(pre)
  } catch {
    // No precompressed copy: compress here.
  }
  const key = `${encoding}\0${path}\0${size}\0${mtimeMs}`
  const hit = compressedCache.get(key)
  if (hit) return hit
  const raw = await readFile(path)
  const body = encoding === 'br'
    ? await brotli(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
    : await gzipAsync(raw, { level: 9 })
  // Two requests may have compressed the same file at once: keep the first, count it once.
  const raced = compressedCache.get(key)
  if (raced) return raced
  compressedCache.set(key, body)
  cachedBytes += body.length
  for (const [k, v] of compressedCache) {
    if (cachedBytes <= CACHE_MAX_BYTES) break
    compressedCache.delete(k)
    cachedBytes -= v.length
  }
  return body
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

  async function send(req: FastifyRequest, reply: FastifyReply, rel: string): Promise<FastifyReply> {
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
    if (COMPRESSIBLE.test(type) && info.size >= MIN_COMPRESS_BYTES && info.size <= MAX_COMPRESS_BYTES) {
      reply.header('vary', 'accept-encoding')
      const encoding = pickEncoding(req.headers['accept-encoding'])
      if (encoding) {
        reply.header('content-encoding', encoding)
        return reply.send(await compressedBody(path, info.size, info.mtimeMs, encoding))
      }
    }
    return reply.send(await readFile(path))
  }

  app.get('/', async (req, reply) => {
    if (!root) {
      htmlHeaders(reply)
      return reply.type('text/html; charset=utf-8').send(FALLBACK)
    }
    return send(req, reply, 'index.html')
  })

  if (root) {
    app.get<{ Params: { '*': string } }>('/*', async (req, reply) => {
      const rel = req.params['*']
      if (rel.split('/').some((p) => p === '..' || p.startsWith('.'))) throw new HttpError('NOT_FOUND', 'not found')
      return send(req, reply, rel)
    })
  }
}
