/** How a decoded token is shown in a terminal; its JSON shape is the core's `decodedToJson`. */
import type { DecodedUserSig } from 'usersig'
import { c, formatDuration, formatRemaining, formatTime, table } from './format.js'

/** How long until a token expires, in seconds (negative once expired): the CLI's clock-dependent addition to the core's JSON shape. */
export const remainingJson = (d: DecodedUserSig, now: number): { remaining: number; expired: boolean } => ({
  remaining: d.expiresAt - now,
  expired: d.expiresAt <= now,
})

const remainingText = (expiresAt: number, now: number): string =>
  expiresAt > now ? c().green(formatRemaining(expiresAt, now)) : c().red(formatRemaining(expiresAt, now))

export const privilegesText = (bits: number, names: string[]): string =>
  `${bits} ${c().dim('=')} ${names.length > 0 ? names.join(', ') : c().dim('(none)')}`

/** The readable table `decode` prints (and `explain` under its findings). */
export function decodedTable(d: DecodedUserSig, now: number): string {
  const sigBytes = Math.floor((d.signature.replace(/=+$/, '').length * 3) / 4)
  const lines = [
    table([
      ['format', d.version === 'v2' ? 'v2 (HMAC-SHA256)' : 'v1 (legacy ECDSA-SHA256)'],
      ['SDKAppID', String(d.sdkAppId)],
      ['UserID', JSON.stringify(d.userId)],
      ['issued', formatTime(d.issuedAt)],
      ['expires', formatTime(d.expiresAt)],
      ['expires in', `${formatDuration(d.expiresIn)} ${c().dim(`(${d.version === 'v2' ? 'TLS.expire' : 'TLS.expire_after'} ${d.expiresIn} s)`)}`],
      ['remaining', remainingText(d.expiresAt, now)],
      ['signature', `${d.signature} ${c().dim(`(${sigBytes} bytes)`)}`],
      ['userbuf', d.userBuf === null ? c().dim('none') : `${d.userBuf.length} bytes${d.privateMapKey ? ' (PrivateMapKey)' : ''}`],
    ]),
  ]
  const pmk = d.privateMapKey
  if (pmk !== null) {
    lines.push(c().bold('PrivateMapKey'))
    lines.push(
      table(
        [
          ['version', String(pmk.version)],
          ['UserID', JSON.stringify(pmk.userId)],
          ['SDKAppID', String(pmk.sdkAppId)],
          ['room', pmk.strRoomId !== null && pmk.strRoomId !== '' ? `${JSON.stringify(pmk.strRoomId)} ${c().dim('(string room)')}` : String(pmk.roomId)],
          ['privileges', privilegesText(pmk.privileges, pmk.privilegeNames)],
          ['expires', formatTime(pmk.expiresAt)],
          ['remaining', remainingText(pmk.expiresAt, now)],
          ['accountType', String(pmk.accountType)],
        ],
        '  ',
      ),
    )
  }
  if (d.warnings.length > 0) {
    lines.push(c().bold('warnings'))
    lines.push(table(d.warnings.map((w) => [w.code, w.message] as [string, string]), '  '))
  }
  return lines.join('\n')
}
