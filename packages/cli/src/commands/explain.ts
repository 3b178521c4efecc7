/**
 * `usersig explain`: predict what Tencent will answer for this sig, offline: the likely error code, why, and the fix.
 * Every input is optional; the more it is given (SDKAppID, UserID, key, room), the more it can check.
 */
import { decodedToJson, explainUserSig, type DecodedUserSigJson, normalizeSdkAppId, type DecodedUserSig, type Explanation, type ExplainOptions as CoreExplainOptions } from 'usersig'
import { checkBatchFlags, runBatch } from '../batch.js'
import { EXIT, type ExitCode, usageError } from '../errors.js'
import { c, write, writeJson } from '../format.js'
import { checkStdinUse, readToken } from '../io.js'
import { checkingKeys, LONE_KEY_ID, loadPublicKey, loadSecretKeys, type KeyFlags } from '../keys.js'
import { parseInteger, parseNow, parseSdkAppId } from '../options.js'
import { decodedTable } from '../token.js'

export interface ExplainOptions extends KeyFlags {
  sdkAppId?: string
  userId?: string
  roomId?: string
  strRoomId?: string
  now?: string
  clockTolerance: string
  json?: boolean
  batch?: boolean
}

export interface ExplainJson {
  ok: boolean
  verdict: 'valid' | 'invalid' | 'unknown'
  tencentCode: number | null
  summary: string
  keyId: string | null
  findings: Array<{ code: string; severity: 'error' | 'warning' | 'info'; message: string; fix: string; tencentCode: number | null }>
  decoded: DecodedUserSigJson | null
}

export async function explain(token: string | undefined, opts: ExplainOptions): Promise<ExitCode> {
  const now = parseNow(opts.now)
  const input: CoreExplainOptions = { now, repair: true, clockTolerance: parseInteger('--clock-tolerance', opts.clockTolerance, 0, 365 * 86400) }
  if (opts.sdkAppId !== undefined) input.sdkAppId = parseSdkAppId(opts.sdkAppId, normalizeSdkAppId)
  if (opts.userId !== undefined) input.userId = opts.userId
  if (opts.roomId !== undefined) input.roomId = parseInteger('--room-id', opts.roomId, 0, Number.MAX_SAFE_INTEGER)
  if (opts.strRoomId !== undefined) input.strRoomId = opts.strRoomId
  if (opts.batch) checkBatchFlags(token, opts.keyStdin)
  else checkStdinUse(token, opts.keyStdin)
  if (opts.publicKeyFile !== undefined) {
    if (opts.keyFile !== undefined || opts.keyStdin) {
      throw usageError('--public-key-file and a v2 secret key both given', 'explain with one: the legacy public key or the v2 secret key')
    }
    input.publicKey = await loadPublicKey(opts.publicKeyFile)
  } else {
    const secrets = await loadSecretKeys(opts)
    if (secrets === null && opts.keyId !== undefined) throw usageError('--key-id without keys', 'pass a key file with id=secret lines: --key-file PATH')
    const [only] = secrets?.keys ?? []
    if (secrets !== null && opts.keyId !== undefined) {
      const { keys, others } = checkingKeys(secrets, opts.keyId)
      input.secretKeys = keys
      if (others.length > 0) input.otherKeys = others
    } else if (secrets !== null && secrets.keys.length === 1 && only !== undefined && only.id === LONE_KEY_ID) input.secretKey = only.secretKey
    else if (secrets !== null) input.secretKeys = secrets.keys
  }

  const run = (t: string): ExplainJson => toJson(explainUserSig(t, input), now)

  if (opts.batch) return runBatch(run)
  const r = explainUserSig(await readToken(token), input)
  const result = toJson(r, now)
  if (opts.json) writeJson(result)
  else write(explainText(result, r.decoded ?? null, now))
  return result.ok ? EXIT.ok : EXIT.invalid
}

function toJson(r: Explanation, now: number): ExplainJson {
  const findings = r.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, fix: f.fix, tencentCode: f.tencentCode ?? null }))
  return {
    ok: r.verdict !== 'invalid' && !findings.some((f) => f.severity === 'error'),
    verdict: r.verdict,
    tencentCode: r.tencentCode ?? null,
    summary: r.summary,
    keyId: r.keyId ?? null,
    findings,
    decoded: r.decoded === undefined ? null : decodedToJson(r.decoded),
  }
}

function explainText(r: ExplainJson, decoded: DecodedUserSig | null, now: number): string {
  // The core's summary already names the verdict and the Tencent code; the mark makes it scannable.
  const mark = r.verdict === 'valid' ? c().green('✓') : r.verdict === 'invalid' ? c().red('✗') : c().yellow('?')
  const lines = [`${mark} ${r.summary}`]
  const label = { error: c().red('error  '), warning: c().yellow('warning'), info: c().cyan('info   ') }
  for (const f of r.findings) {
    const tc = f.tencentCode === null ? '' : ` ${c().dim(`(${f.tencentCode})`)}`
    lines.push(`  ${label[f.severity]} ${c().bold(f.code)}${tc}: ${f.message}`)
    if (f.fix && f.severity !== 'info') lines.push(`          ${c().dim('fix:')} ${f.fix}`)
  }
  if (decoded !== null) lines.push('', decodedTable(decoded, now))
  return lines.join('\n')
}
