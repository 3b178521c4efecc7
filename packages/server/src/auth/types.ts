/** What an authenticator sees of a request, and what it answers. */
import { bearerToken } from '@usersig/issuer'

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
  return bearerToken(header(req, 'authorization'))
}

// Reading claims is the pipeline's, so a token is read the same by both adapters.
export { claim, looksLikeJwt, toRoles } from '@usersig/issuer'
