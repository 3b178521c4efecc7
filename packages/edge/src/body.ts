/** Reading a request body within a size bound, whatever the platform streams. */

/**
 * The body as UTF-8 text; null when it is longer than `limit` bytes (by its Content-Length, or while reading: never
 * more than `limit` bytes are read); undefined when it is not UTF-8.
 */
export async function readBody(request: Request, limit: number): Promise<string | null | undefined> {
  const declared = request.headers.get('content-length')
  if (declared !== null && (!/^\d{1,15}$/.test(declared) || Number(declared) > limit)) return null
  if (request.body === null) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
  const all = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    all.set(c, at)
    at += c.byteLength
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(all)
  } catch {
    return undefined
  }
}
