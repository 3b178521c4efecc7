/**
 * The redacted report: what a support ticket needs (decoded fields, times, verdict, findings, key fingerprint) and
 * nothing that lets anyone use the token: no signature, no raw userbuf bytes, no token, no key.
 */
import type { DecodedUserSig } from './core.js'

export interface ReportFinding {
  code: string
  severity: string
  message: string
  tencentCode?: number | undefined
}

export interface ReportInput {
  decoded: DecodedUserSig | null
  decodeError?: { code?: string | undefined; message: string } | undefined
  expected?: { sdkAppId?: number | undefined; userId?: string | undefined } | undefined
  verdict?: { verdict: string; reason?: string | undefined; tencentCode?: number | undefined; summary?: string | undefined; keyId?: string | undefined } | undefined
  findings?: readonly ReportFinding[] | undefined
  now: number
  tokenLength: number
}

const iso = (s: number): string | null => {
  const d = new Date(s * 1000)
  return Number.isFinite(d.getTime()) ? d.toISOString() : null
}

export function redactedReport(input: ReportInput): Record<string, unknown> {
  const d = input.decoded
  const report: Record<string, unknown> = {
    report: 'usersig redacted report',
    generatedAt: iso(input.now),
    note: 'The signature, the token and the key are not included.',
    tokenLength: input.tokenLength,
  }
  if (d) {
    const pmk = d.privateMapKey
    report['decoded'] = {
      version: d.version,
      identifier: d.identifier,
      sdkAppId: d.sdkAppId,
      time: d.time,
      issuedAt: iso(d.time),
      expire: d.expire,
      expiresAt: iso(d.expiresAt),
      secondsLeft: d.expiresAt - input.now,
      hasUserBuf: d.userBuf !== null,
      userBufLength: d.userBuf ? d.userBuf.length : 0,
      signature: '[redacted]',
      privateMapKey: pmk
        ? {
            version: pmk.version,
            account: pmk.account,
            sdkAppId: pmk.sdkAppId,
            roomId: pmk.roomId,
            strRoomId: pmk.strRoomId,
            expiresAt: iso(pmk.expiresAt),
            privileges: pmk.privileges,
            privilegeNames: pmk.privilegeNames,
            accountType: pmk.accountType,
          }
        : null,
      fieldNames: Object.keys(d.fields),
      warnings: d.warnings.map((w) => w.code),
    }
  }
  if (input.decodeError) report['decodeError'] = { code: input.decodeError.code, message: input.decodeError.message }
  if (input.expected) report['expected'] = input.expected
  if (input.verdict) report['verdict'] = input.verdict
  if (input.findings) {
    report['findings'] = input.findings.map((f) => ({ code: f.code, severity: f.severity, tencentCode: f.tencentCode, message: f.message }))
  }
  return report
}
