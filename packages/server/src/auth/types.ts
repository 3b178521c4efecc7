/** What an authenticator sees of a request, and what it answers. */

export interface AuthRequest {
  headers: Record<string, string | string[] | undefined>
  /** The TCP peer (never X-Forwarded-For): what the trusted-header check compares with the proxy list. */
  remoteAddress: string
  /** Names and values as received (values as latin1, one entry per line): to see repeats and the original bytes. */
  rawHeaders?: readonly string[]
}

export type AuthMethod = 'jwt' | 'header' | 'forward' | 'demo'

/** The authenticated caller. The userId of every UserSig the service issues comes from here, never from a body. */
export interface Identity {
  userId: string
  roles: string[]
  method: AuthMethod
}

export interface Authenticator {
  readonly method: AuthMethod
  /**
   * Null when the request carries no credential of this kind (the next authenticator is tried).
   * Throws HttpError when it carries one that is wrong (no fall-through: a bad token is an answer).
   */
  authenticate(req: AuthRequest): Promise<Identity | null>
  close?(): void
}

export function header(req: AuthRequest, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** Every value of a header as received, one per header line (Node joins repeats of most headers with ", "). */
export function headerLines(req: AuthRequest, name: string): string[] {
  const raw = req.rawHeaders
  name = name.toLowerCase()
  if (raw === undefined) {
    const v = req.headers[name]
    return v === undefined ? [] : Array.isArray(v) ? v : [v]
  }
  const out: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) out.push(raw[i + 1]!)
  return out
}

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearer(req: AuthRequest): string | undefined {
  const v = header(req, 'authorization')
  if (v === undefined) return undefined
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(v)
  return m ? m[1] : undefined
}

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)
}

/** Roles from a claim or header value: a list, or a space- or comma-separated string. */
export function toRoles(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '')
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean)
  return []
}

/** A claim by exact name, else by dotted path (`realm_access.roles`). */
export function claim(payload: Record<string, unknown>, name: string): unknown {
  if (name in payload) return payload[name]
  let cur: unknown = payload
  for (const part of name.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur
}
