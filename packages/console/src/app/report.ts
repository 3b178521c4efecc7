/**
 * The redacted report: what a support ticket needs (decoded fields, times, verdict, findings, key fingerprint) and
 * nothing that lets anyone use the token: no signature, no raw userbuf bytes, no token, no key.
 */
import { decodedToJson, type DecodedUserSig } from './core.js'

const REDACTED = '[redacted]'

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
    note: 'The signature, the userbuf bytes, the token and the key are not included.',
    tokenLength: input.tokenLength,
  }
  if (d) {
    // The core's one JSON shape, with the signature and the userbuf bytes replaced (also inside the raw fields).
    const j = decodedToJson(d)
    report['decoded'] = {
      ...j,
      signature: REDACTED,
      userBuf: j.userBuf === null ? null : REDACTED,
      fields: Object.fromEntries(Object.entries(j.fields).map(([k, v]) => [k, k === 'TLS.sig' || k === 'TLS.userbuf' ? REDACTED : v])),
    }
    report['times'] = { issuedAt: iso(d.issuedAt), expiresAt: iso(d.expiresAt), secondsLeft: d.expiresAt - input.now }
  }
  if (input.decodeError) report['decodeError'] = { code: input.decodeError.code, message: input.decodeError.message }
  if (input.expected) report['expected'] = input.expected
  if (input.verdict) report['verdict'] = input.verdict
  if (input.findings) {
    report['findings'] = input.findings.map((f) => ({ code: f.code, severity: f.severity, tencentCode: f.tencentCode, message: f.message }))
  }
  return report
}
