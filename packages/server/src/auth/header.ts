/**
 * A userId set by a reverse proxy that already authenticated the caller (e.g. `X-User-Id` from oauth2-proxy).
 * Accepted only when the TCP peer is one of the configured proxies: from anyone else the header is a forgery.
 * The value is read as the UTF-8 the proxy sent (Node hands header bytes over as latin1), and refused when it is not
 * valid UTF-8, holds a control character, or comes in more than one header line (Node would join them: "alice, bob").
 */
import { BlockList, isIP } from 'node:net'
import { HttpError } from '../errors.js'
import type { TrustedHeaderConfig } from '../config/types.js'
import { headerLines, toRoles, type AuthRequest, type Authenticator, type Identity } from './types.js'

const utf8 = new TextDecoder('utf-8', { fatal: true })
// C0 and C1 controls, DEL, and the line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** One header's value as UTF-8, or undefined when absent; throws when repeated, not UTF-8, or with a control character. */
function utf8Header(req: AuthRequest, name: string): string | undefined {
  const lines = headerLines(req, name)
  if (lines.length === 0) return undefined
  if (lines.length > 1) throw new HttpError('UNAUTHENTICATED', `the ${name} header was sent more than once`)
  const raw = lines[0]!
  // Header bytes arrive as latin1 characters; a character above 0xff means the value never was bytes (in-process).
  let value = raw
  if (/[\x80-\xff]/.test(raw) && !/[^\x00-\xff]/.test(raw)) {
    try {
      value = utf8.decode(Buffer.from(raw, 'latin1'))
    } catch {
      throw new HttpError('UNAUTHENTICATED', `the ${name} header is not valid UTF-8`)
    }
  }
  if (CONTROL.test(value)) throw new HttpError('UNAUTHENTICATED', `the ${name} header holds a control character`)
  return value
}

export function addressList(entries: string[]): (address: string) => boolean {
  const list = new BlockList()
  for (const e of entries) {
    const [addr, bits] = e.split('/') as [string, string | undefined]
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4'
    if (bits === undefined) list.addAddress(addr, type)
    else list.addSubnet(addr, Number(bits), type)
  }
  return (address: string) => {
    // An IPv4 peer on a dual-stack socket shows up as ::ffff:a.b.c.d.
    const a = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address
    const fam = isIP(a)
    return fam !== 0 && list.check(a, fam === 6 ? 'ipv6' : 'ipv4')
  }
}

export function trustedHeaderAuthenticator(c: TrustedHeaderConfig): Authenticator {
  const trusted = addressList(c.proxies)
  return {
    method: 'header',
    async authenticate(req: AuthRequest): Promise<Identity | null> {
      if (headerLines(req, c.header).length === 0) return null
      if (!trusted(req.remoteAddress)) {
        throw new HttpError('UNAUTHENTICATED', `the ${c.header} header is only accepted from the configured proxies`)
      }
      const userId = utf8Header(req, c.header)!
      if (userId === '') throw new HttpError('UNAUTHENTICATED', `the ${c.header} header is empty`)
      return { userId, roles: c.rolesHeader ? toRoles(utf8Header(req, c.rolesHeader)) : [], method: 'header' }
    },
  }
}
