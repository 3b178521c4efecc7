/** How a decoded token is shown: the documented JSON shape and the terminal table. */
import type { DecodedUserSig } from 'usersig'
import { c, formatDuration, formatRemaining, formatTime, hex, table } from './format.js'

export interface PrivateMapKeyJson {
  version: number
  account: string
  sdkAppId: number
  roomId: number
  strRoomId: string | null
  expiresAt: number
  remaining: number
  privileges: number
  privilegeNames: string[]
  accountType: number
}

export interface DecodedJson {
  version: 'v2' | 'v1'
  sdkAppId: number
  userId: string
  issuedAt: number
  lifetime: number
  expiresAt: number
  remaining: number
  expired: boolean
  signature: string
  userBuf: string | null
  privateMapKey: PrivateMapKeyJson | null
  warnings: Array<{ code: string; message: string }>
}

/** The JSON form of a decoded token; times are unix seconds, `remaining` is negative once expired. */
export function decodedJson(d: DecodedUserSig, now: number): DecodedJson {
  const pmk = d.privateMapKey
  return {
    version: d.version,
    sdkAppId: d.sdkAppId,
    userId: d.identifier,
    issuedAt: d.time,
    lifetime: d.expire,
    expiresAt: d.expiresAt,
    remaining: d.expiresAt - now,
    expired: d.expiresAt <= now,
    signature: d.signature,
    userBuf: d.userBuf === null ? null : hex(d.userBuf),
    privateMapKey:
      pmk === null
        ? null
        : {
            version: pmk.version,
            account: pmk.account,
            sdkAppId: pmk.sdkAppId,
            roomId: pmk.roomId,
            strRoomId: pmk.strRoomId,
            expiresAt: pmk.expiresAt,
            remaining: pmk.expiresAt - now,
            privileges: pmk.privileges,
            privilegeNames: pmk.privilegeNames,
            accountType: pmk.accountType,
          },
    warnings: d.warnings.map((w) => ({ code: w.code, message: w.message })),
  }
}

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
      ['UserID', JSON.stringify(d.identifier)],
      ['issued', formatTime(d.time)],
      ['expires', formatTime(d.expiresAt)],
      ['lifetime', `${formatDuration(d.expire)} ${c().dim(`(TLS.expire ${d.expire} s)`)}`],
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
          ['account', JSON.stringify(pmk.account)],
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
