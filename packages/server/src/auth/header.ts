/**
 * A userId set by a reverse proxy that already authenticated the caller (e.g. `X-User-Id` from oauth2-proxy).
 * Accepted only when the TCP peer is one of the configured proxies: from anyone else the header is a forgery.
 */
import { BlockList, isIP } from 'node:net'
import { HttpError } from '../errors.js'
import type { TrustedHeaderConfig } from '../config/types.js'
import { header, toRoles, type AuthRequest, type Authenticator, type Identity } from './types.js'

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
      const userId = header(req, c.header)
      if (userId === undefined) return null
      if (!trusted(req.remoteAddress)) {
        throw new HttpError('UNAUTHENTICATED', `the ${c.header} header is only accepted from the configured proxies`)
      }
      if (userId === '') throw new HttpError('UNAUTHENTICATED', `the ${c.header} header is empty`)
      return { userId, roles: c.rolesHeader ? toRoles(header(req, c.rolesHeader)) : [], method: 'header' }
    },
  }
}
