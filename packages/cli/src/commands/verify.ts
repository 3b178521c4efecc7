/** `usersig verify`: check a UserSig with the key(s), for an expected SDKAppID and UserID. Exit 0 valid, 1 invalid. */
import { CODES, decodedToJson, normalizeSdkAppId, verifyUserSig, type DecodedUserSigJson, type LegacyPublicKeyObject, type Severity, type Warning } from 'usersig'
import { checkBatchFlags, runBatch } from '../batch.js'
import { EXIT, type ExitCode, usageError } from '../errors.js'
import { c, formatRemaining, formatTime, table, write, writeJson } from '../format.js'
import { LONE_KEY_ID, loadPublicKey, loadSecretKeys, NO_KEY_HINT, type KeyFlags } from '../keys.js'
import { checkStdinUse, readToken } from '../io.js'
import { parseInteger, parseNow, parseSdkAppId } from '../options.js'
import { privilegesText } from '../token.js'

export interface VerifyOptions extends KeyFlags {
  sdkAppId: string
  userId: string
  now?: string
  clockTolerance: string
  json?: boolean
  batch?: boolean
}

/** A warning with its severity from the code table (`CODES`). */
export interface VerifyWarningJson {
  code: string
  severity: Severity
  message: string
}

/**
 * `verify --json`: the verdict (the fields of the core's VerifyResult, as HTTP `/v1/verify` sends them), the decoded
 * token under `payload` in the one `decodedToJson` shape, and beside it the clock-dependent `remaining` (seconds).
 */
export type VerifyJson =
  | {
      ok: true
      keyId: string
      remaining: number
      warnings: VerifyWarningJson[]
      payload: DecodedUserSigJson
    }
  | {
      ok: false
      reason: string
      stage: string | null
      tencentCode: number
      message: string
      failures: Array<{ reason: string; message: string; tencentCode: number }>
      warnings: VerifyWarningJson[]
      /** The decoded token when it could be decoded (a token that failed after decoding), else null. */
      payload: DecodedUserSigJson | null
    }

const warningsJson = (warnings: readonly Warning[]): VerifyWarningJson[] => warnings.map((w) => ({ code: w.code, severity: CODES[w.code].severity, message: w.message }))

type KeyOption = { secretKey: string } | { secretKeys: Array<{ id: string; secretKey: string }> } | { publicKey: LegacyPublicKeyObject }

export async function verify(token: string | undefined, opts: VerifyOptions): Promise<ExitCode> {
  const sdkAppId = parseSdkAppId(opts.sdkAppId, normalizeSdkAppId)
  const now = parseNow(opts.now)
  const clockTolerance = parseInteger('--clock-tolerance', opts.clockTolerance, 0, 365 * 86400)
  if (opts.batch) checkBatchFlags(token, opts.keyStdin)
  else checkStdinUse(token, opts.keyStdin)

  let key: KeyOption
  if (opts.publicKeyFile !== undefined) {
    if (opts.keyFile !== undefined || opts.keyStdin) {
      throw usageError('--public-key-file and a v2 secret key both given', 'verify with one: the legacy public key or the v2 secret key')
    }
    key = { publicKey: await loadPublicKey(opts.publicKeyFile) }
  } else {
    const secrets = await loadSecretKeys(opts)
    if (secrets === null) throw usageError('verify needs the key', `${NO_KEY_HINT} (or --public-key-file for legacy sigs); "usersig decode" reads a sig without a key`)
    // A lone unnamed key is reported by its fingerprint; named keys (id=secret lines) by their id.
    const [only] = secrets.keys
    key = secrets.keys.length === 1 && only !== undefined && only.id === LONE_KEY_ID ? { secretKey: only.secretKey } : { secretKeys: secrets.keys }
  }

  const check = (t: string): VerifyJson => {
    const r = verifyUserSig(t, { sdkAppId, userId: opts.userId, now, clockTolerance, ...key })
    if (r.ok) return { ok: true, keyId: r.keyId, remaining: r.payload.expiresAt - now, warnings: warningsJson(r.warnings), payload: decodedToJson(r.payload) }
    return {
      ok: false,
      reason: r.reason,
      stage: r.stage ?? null,
      tencentCode: r.tencentCode,
      message: r.message,
      failures: r.failures.map((f) => ({ reason: f.reason, message: f.message, tencentCode: f.tencentCode })),
      warnings: warningsJson(r.warnings),
      payload: r.payload === undefined ? null : decodedToJson(r.payload),
    }
  }

  if (opts.batch) return runBatch(check)

  const result = check(await readToken(token))
  if (opts.json) writeJson(result)
  else write(verifyText(result, now))
  return result.ok ? EXIT.ok : EXIT.invalid
}

function verifyText(r: VerifyJson, now: number): string {
  const label = { error: c().red('error'), warning: c().yellow('warning'), info: c().cyan('info') }
  const warnings = r.warnings.map((w) => `${label[w.severity]} ${w.code}: ${w.message}`)
  if (!r.ok) {
    const stage = r.stage === null ? '' : ` at ${r.stage}`
    const others = r.failures.length > 1 ? r.failures.map((f) => `  ${c().dim('-')} ${f.reason} (${f.tencentCode}): ${f.message}`) : []
    return [`${c().red('✗ invalid')}: ${r.reason}${stage} ${c().dim(`(Tencent ${r.tencentCode})`)}`, `  ${r.message}`, ...others, ...warnings].join('\n')
  }
  const d = r.payload
  const pmk = d.privateMapKey
  return [
    `${c().green('✓ valid')} ${d.version === 'v1' ? 'legacy ' : ''}UserSig for ${JSON.stringify(d.userId)} @ ${d.sdkAppId}`,
    table(
      [
        ['key', r.keyId],
        ['issued', formatTime(d.issuedAt)],
        ['expires', formatTime(d.expiresAt)],
        ['remaining', formatRemaining(d.expiresAt, now)],
        ['room', pmk === null ? null : pmk.strRoomId ? JSON.stringify(pmk.strRoomId) : String(pmk.roomId)],
        ['privileges', pmk === null ? null : privilegesText(pmk.privileges, pmk.privilegeNames)],
      ],
      '  ',
    ),
    ...warnings,
  ].join('\n')
}
