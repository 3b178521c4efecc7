/**
 * What `scan` looks for in one file's text. A finding carries the key's fingerprint, never the key: the secret is
 * hashed here and dropped.
 *
 * - `secret-key-with-sdkappid`: a 64-hex literal near an SDKAppID (the GenerateTestUserSig pattern). "Near" is within a
 *   few lines, or in a minified bundle within ~400 characters on the same line.
 * - `secret-key`: a 64-hex literal assigned to a name like secretKey / SDKSecretKey / SECRETKEY, with no SDKAppID near.
 * - `legacy-private-key`: an ECDSA private key PEM (`BEGIN EC PRIVATE KEY`, or `BEGIN PRIVATE KEY` holding an EC key).
 * - `private-key`: a `BEGIN PRIVATE KEY` block whose algorithm could not be read (kept: a private key in a source tree
 *   is worth a look either way). RSA and other non-EC PKCS#8 keys are not reported.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { keyFingerprint } from 'usersig'

export type FindingKind = 'secret-key-with-sdkappid' | 'secret-key' | 'legacy-private-key' | 'private-key'

export interface Finding {
  line: number
  column: number
  kind: FindingKind
  /** 8-hex fingerprint: of the secret key, or of the public key that belongs to a private key. */
  keyId: string
  /** The SDKAppID found next to a secret, when there is one (it is an id, not a secret). */
  sdkAppId: number | null
  message: string
}

/** Lines up and down that still count as "near" for an SDKAppID on another line. */
const NEAR_LINES = 6
/**
 * The same for a hex literal assigned to a secret-like name: GenerateTestUserSig files put some 20 lines of comments
 * between `SDKAPPID = …` and `SECRETKEY = '…'`.
 */
const NEAR_LINES_NAMED = 40
/** Characters either way on the same line (minified bundles). */
const NEAR_CHARS = 400
const IGNORE = 'usersig-scan-ignore'

const HEX64 = /(?<![0-9A-Za-z_$])[0-9a-fA-F]{64}(?![0-9A-Za-z_$])/g
/** An optional type annotation between a name and `=`: `let SECRETKEY: String = "…"` (Swift, Kotlin, TypeScript). */
const TYPE = String.raw`(?:\s*:\s*[A-Za-z][\w.<>?]*)?`
/** `name = '`, `name: "`, `"name": "`, `name := "`, `NAME=` (env files), `NAME = @"` (Objective-C). Group 1 is the name. */
const ASSIGNED = new RegExp(String.raw`([A-Za-z_$][\w$]*)['"]?${TYPE}\s*(?::=|=|:)\s*@?['"\x60]?$`)
const SECRET_NAME = /secret|sdk_?key|usersig_?key/i
/** A named SDKAppID: `SDKAPPID = 1400000000`, `sdkAppId: 1400000000`, `"SDKAppID":"1400000000"`, `TRTC_SDK_APPID=…`. */
const NAMED_SDKAPPID = new RegExp(String.raw`sdk_?app_?id[\w$]*['"]?${TYPE}\s*(?::=|=|:)\s*['"]?([1-9]\d{6,9})(?!\d)`, 'gi')
/** A bare SDKAppID-shaped number (14…, 16…, 20… and ten digits), counted only on the same line near the secret. */
const BARE_SDKAPPID = /(?<![\w$.])(?:14|16|20)\d{8}(?![\w$.])/g
/** Words that make a bare number in a minified bundle read as an SDKAppID. */
const CONTEXT_WORDS = /sdk_?app_?id|secret|usersig|tlssig|gensig/i

/**
 * Fingerprints of the sample keys published in Tencent's official repositories (the tls-sig-api-v2 README key and the
 * v1 test key pairs; for key pairs, the public key's). Still reported, with a note: they are public, not leaked.
 */
const PUBLISHED_SAMPLES = new Set(['0345c13c', '038aadea', 'b6df748c', '0332fe7b', '740ea907', '0dfcc184'])
const SAMPLE_NOTE = " (this is a sample key published in Tencent's official repositories: not a leak, but mark it usersig-scan-ignore)"
/** The smallest DER an EC private key can have; anything shorter is a template or a test string, not a key. */
const MIN_KEY_DER = 32

const EC_OID = Buffer.from([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01])
const PEM_BEGIN = /-----BEGIN (EC PRIVATE KEY|PRIVATE KEY)-----/g

interface Spot {
  offset: number
  line: number
  value: number
}

class Lines {
  private readonly starts: number[] = [0]
  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1)
  }
  /** 0-based line index of an offset. */
  index(offset: number): number {
    let lo = 0
    let hi = this.starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((this.starts[mid] ?? 0) <= offset) lo = mid
      else hi = mid - 1
    }
    return lo
  }
  start(index: number): number {
    return this.starts[index] ?? 0
  }
  /** The text of a line (without its newline). */
  lineText(index: number): string {
    const end = this.starts[index + 1]
    return this.text.slice(this.start(index), end === undefined ? undefined : end - 1)
  }
}

export function detect(text: string): Finding[] {
  const lines = new Lines(text)
  const findings: Finding[] = []
  const ignored = (lineIndex: number): boolean => lines.lineText(lineIndex).includes(IGNORE)

  const named: Spot[] = []
  for (const m of text.matchAll(NAMED_SDKAPPID)) {
    const offset = m.index ?? 0
    named.push({ offset, line: lines.index(offset), value: Number(m[1]) })
  }

  for (const m of text.matchAll(HEX64)) {
    const offset = m.index ?? 0
    const secret = m[0]
    const line = lines.index(offset)
    if (/^(.)\1*$/.test(secret)) continue // 000…0 and similar placeholders
    const lineStart = lines.start(line)
    const before = text.slice(Math.max(lineStart, offset - 120), offset)
    const quoted = /['"`]$/.test(before)
    const assigned = ASSIGNED.exec(before)
    if (!quoted && assigned === null) continue
    if (ignored(line)) continue

    const name = assigned?.[1]
    const secretName = name !== undefined && SECRET_NAME.test(name)
    const sdkAppId = nearSdkAppId(text, named, offset, line, lineStart, secretName ? NEAR_LINES_NAMED : NEAR_LINES)
    let kind: FindingKind
    if (sdkAppId !== null) kind = 'secret-key-with-sdkappid'
    else if (secretName) kind = 'secret-key'
    else continue
    const keyId = keyFingerprint(secret)
    findings.push({
      line: line + 1,
      column: offset - lineStart + 1,
      kind,
      keyId,
      sdkAppId,
      message:
        (kind === 'secret-key-with-sdkappid'
          ? `a secret key next to SDKAppID ${sdkAppId}: anyone with this file can sign UserSigs for any user of the app`
          : `a 64-hex secret assigned to ${name}: if it is a real key, anyone with this file can sign UserSigs`) + (PUBLISHED_SAMPLES.has(keyId) ? SAMPLE_NOTE : ''),
    })
  }

  for (const m of text.matchAll(PEM_BEGIN)) {
    const offset = m.index ?? 0
    const line = lines.index(offset)
    if (ignored(line)) continue
    const label = m[1] ?? ''
    const key = readPrivateKey(text, offset + m[0].length, label)
    if (key === null || key.algorithm === 'other') continue
    findings.push({
      line: line + 1,
      column: offset - lines.start(line) + 1,
      kind: key.algorithm === 'ec' ? 'legacy-private-key' : 'private-key',
      keyId: key.keyId,
      sdkAppId: null,
      message:
        (key.algorithm === 'ec'
          ? 'an ECDSA private key (legacy UserSig signing key): anyone with this file can sign legacy UserSigs'
          : 'a private key of unknown algorithm: check whether it is a signing key that must not be committed') + (PUBLISHED_SAMPLES.has(key.keyId) ? SAMPLE_NOTE : ''),
    })
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column)
}

function nearSdkAppId(text: string, named: Spot[], offset: number, line: number, lineStart: number, nearLines: number): number | null {
  let best: Spot | null = null
  for (const s of named) {
    const near = s.line === line ? Math.abs(s.offset - offset) <= NEAR_CHARS : Math.abs(s.line - line) <= nearLines && Math.abs(s.offset - offset) <= nearLines * 200
    if (near && (best === null || Math.abs(s.offset - offset) < Math.abs(best.offset - offset))) best = s
  }
  if (best !== null) return best.value
  // Minified code renames SDKAPPID; a bare 14…/16…/20… number close by on the same line, with a telling word, counts.
  const from = Math.max(lineStart, offset - NEAR_CHARS)
  const lineEnd = text.indexOf('\n', offset)
  const window = text.slice(from, Math.min(lineEnd === -1 ? text.length : lineEnd, offset + 64 + NEAR_CHARS))
  if (!CONTEXT_WORDS.test(window)) return null
  const bare = window.match(BARE_SDKAPPID)
  return bare === null ? null : Number(bare[0])
}

interface PrivateKeyInfo {
  algorithm: 'ec' | 'other' | 'unknown'
  keyId: string
}

/**
 * Reads the PEM body that starts at `from`, tolerating the forms it takes inside source code: `\n` escapes, string
 * concatenation, indentation. The fingerprint is that of the public key (what `verify` and `keygen --legacy` show);
 * if the public key cannot be derived, that of the private key's DER. Null when the block holds no key material (a
 * template such as `-----BEGIN EC PRIVATE KEY-----\n${body}` or a test string).
 */
function readPrivateKey(text: string, from: number, label: string): PrivateKeyInfo | null {
  const endMarker = `-----END ${label}-----`
  const end = text.indexOf(endMarker, from)
  if (end === -1 || end - from > 8192) return null
  const body = text
    .slice(from, end)
    .replace(/['"`]\s*\+\s*['"`]/g, '') // "…" + "…"
    .replace(/\\[nr]/g, '') // \n escapes
    .replace(/^\s*(?:\*|\/\/|#)/gm, '') // comment prefixes
    .replace(/[\s'"`]/g, '')
  // Anything but base64 left over means code that builds or matches a PEM, not a key.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null
  const der = Buffer.from(body, 'base64')
  if (der.length < MIN_KEY_DER) return null
  const b64 = der.toString('base64')
  const pem = `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' })
    const spki = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString()
    return { algorithm: key.asymmetricKeyType === 'ec' ? 'ec' : 'other', keyId: keyFingerprint(spki) }
  } catch {
    // Not parseable (odd curve, damaged or partial): judge by the label and the EC OID, fingerprint the DER.
    const algorithm = label === 'EC PRIVATE KEY' || der.includes(EC_OID) ? 'ec' : 'unknown'
    let keyId: string
    try {
      keyId = keyFingerprint(pem)
    } catch {
      keyId = keyFingerprint(b64 || label)
    }
    return { algorithm, keyId }
  }
}
