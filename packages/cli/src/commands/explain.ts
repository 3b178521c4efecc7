/**
 * `usersig explain`: predict what Tencent will answer for this sig, offline: the likely error code, why, and the fix.
 * Every input is optional; the more it is given (SDKAppID, UserID, key, room), the more it can check.
 */
import { explainUserSig, normalizeSdkAppId, type DecodedUserSig } from 'usersig'
import { checkBatchFlags, runBatch } from '../batch.js'
import { EXIT, type ExitCode, usageError } from '../errors.js'
import { c, write, writeJson } from '../format.js'
import { readToken } from '../io.js'
import { loadPem, loadSecretKeys, type KeyFlags } from '../keys.js'
import { parseInteger, parseNow, parseSdkAppId } from '../options.js'
import { decodedJson, decodedTable, type DecodedJson } from '../token.js'

export interface ExplainOptions extends KeyFlags {
  sdkappid?: string
  userid?: string
  roomId?: string
  strRoomId?: string
  now?: string
  json?: boolean
  batch?: boolean
}

export interface ExplainJson {
  ok: boolean
  verdict: 'valid' | 'invalid' | 'unknown'
  tencentCode: number | null
  summary: string
  findings: Array<{ code: string; severity: 'error' | 'warning' | 'info'; message: string; fix: string; tencentCode: number | null }>
  decoded: DecodedJson | null
}

export async function explain(token: string | undefined, opts: ExplainOptions): Promise<ExitCode> {
  const now = parseNow(opts.now)
  const input: Record<string, unknown> = { now }
  if (opts.sdkappid !== undefined) input['sdkAppId'] = parseSdkAppId(opts.sdkappid, normalizeSdkAppId)
  if (opts.userid !== undefined) input['userId'] = opts.userid
  if (opts.roomId !== undefined) input['roomId'] = parseInteger('--room-id', opts.roomId, 0, Number.MAX_SAFE_INTEGER)
  if (opts.strRoomId !== undefined) input['strRoomId'] = opts.strRoomId
  if (opts.batch) checkBatchFlags(token, opts.keyStdin)
  if (opts.publicKeyFile !== undefined) {
    if (opts.keyFile !== undefined || opts.keyStdin) {
      throw usageError('--public-key-file and a v2 secret key both given', 'explain with one: the legacy public key or the v2 secret key')
    }
    input['publicKey'] = await loadPem(opts.publicKeyFile, 'public key file')
  } else {
    const secrets = await loadSecretKeys(opts)
    const [only] = secrets?.keys ?? []
    if (secrets !== null && secrets.keys.length === 1 && only !== undefined) input['secretKey'] = only.secretKey
    else if (secrets !== null) input['secretKeys'] = secrets.keys
  }

  const run = (t: string): ExplainJson => toJson(explainUserSig(t, input as Parameters<typeof explainUserSig>[1]), now)

  if (opts.batch) return runBatch(run)
  const r = explainUserSig(await readToken(token), input as Parameters<typeof explainUserSig>[1])
  const result = toJson(r, now)
  if (opts.json) writeJson(result)
  else write(explainText(result, r.decoded ?? null, now, input))
  return result.ok ? EXIT.ok : EXIT.invalid
}

function toJson(r: ReturnType<typeof explainUserSig>, now: number): ExplainJson {
  const findings = r.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, fix: f.fix, tencentCode: f.tencentCode ?? null }))
  return {
    ok: r.verdict !== 'invalid' && !findings.some((f) => f.severity === 'error'),
    verdict: r.verdict,
    tencentCode: r.tencentCode ?? null,
    summary: r.summary,
    findings,
    decoded: r.decoded === undefined ? null : decodedJson(r.decoded, now),
  }
}

function explainText(r: ExplainJson, decoded: DecodedUserSig | null, now: number, input: Record<string, unknown>): string {
  const verdict =
    r.verdict === 'valid' ? c().green('✓ valid') : r.verdict === 'invalid' ? c().red('✗ invalid') : c().yellow('? unknown')
  const code = r.tencentCode === null ? '' : ` ${c().dim(`(Tencent ${r.tencentCode})`)}`
  const lines = [`${verdict}${code}: ${r.summary}`]
  const mark = { error: c().red('error  '), warning: c().yellow('warning'), info: c().cyan('info   ') }
  for (const f of r.findings) {
    const tc = f.tencentCode === null ? '' : ` ${c().dim(`(${f.tencentCode})`)}`
    lines.push(`  ${mark[f.severity]} ${c().bold(f.code)}${tc}: ${f.message}`)
    if (f.fix) lines.push(`          ${c().dim('fix:')} ${f.fix}`)
  }
  if (r.verdict === 'unknown' && !('secretKey' in input || 'secretKeys' in input || 'publicKey' in input)) {
    lines.push(c().dim('  (no key given: the signature was not checked; set USERSIG_SECRET_KEY or pass --key-file)'))
  }
  if (decoded !== null) lines.push('', decodedTable(decoded, now))
  return lines.join('\n')
}

