/**
 * Where key material comes from: never a flag value (it would land in shell history and `ps`), only
 * `USERSIG_SECRET_KEY`, `--key-file PATH`, `--key-stdin`, and for legacy ECDSA keys `--private-key-file` /
 * `--public-key-file`. Messages here name the source, never the key or a line of the file, and name the option rather
 * than the path it was given: a secret pasted where a path belongs (`--key-file "$KEY"`) must not come back in a message.
 */
import { readFile } from 'node:fs/promises'
import { ioError, usageError } from './errors.js'
import { readAll } from './io.js'
import { looksLikeKey, quoteValue } from './quote.js'
import { checkToolSecretKey, type LegacyPublicKeyObject } from 'usersig'

export const SECRET_ENV = 'USERSIG_SECRET_KEY'
const MAX_KEY_BYTES = 64 * 1024

export interface KeyFlags {
  keyFile?: string
  keyStdin?: boolean
  keyId?: string
  privateKeyFile?: string
  publicKeyFile?: string
}

/** The id of a key given alone (not as an `id=secret` line). */
export const LONE_KEY_ID = 'default'

export interface NamedKey {
  /** The id from an `id=secret` line, or LONE_KEY_ID for a key given alone. */
  id: string
  secretKey: string
}

export interface SecretKeys {
  keys: NamedKey[]
  /** Where they came from, for messages: `USERSIG_SECRET_KEY`, `the --key-file file` or `stdin` (never a path). */
  source: string
}

/** Turns an fs error into one line that says which file and why. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  switch (code) {
    case 'ENOENT':
      return 'no such file'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EISDIR':
      return 'it is a directory'
    default:
      return code ?? 'read failed'
  }
}

/** The file option a path came from, named in messages instead of the path. */
export type FileOption = '--key-file' | '--private-key-file' | '--public-key-file'

export async function readTextFile(path: string, option: FileOption, hint: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw ioError(`cannot read the file given to ${option}: ${describeFsError(err)}`, hint)
  }
}

/**
 * Parses key text: one key alone, or one `id=secret` per line (blank lines and `#` comments ignored).
 * Surrounding whitespace is trimmed: a key copied from the console often carries a trailing space or newline.
 */
export function parseKeyText(text: string, source: string): NamedKey[] {
  if (text.includes('-----BEGIN')) {
    throw ioError(
      `${source} holds a PEM key, not a v2 secret key`,
      'PEM keys are legacy ECDSA keys: pass them with --private-key-file or --public-key-file',
    )
  }
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => ({ text: l.trim(), number: i + 1 }))
    .filter((l) => l.text !== '' && !l.text.startsWith('#'))
  if (lines.length === 0) throw ioError(`${source} is empty`, 'put the secret key from the console in it')
  const first = lines[0]
  // One line that is not a usable `id=secret` is a key alone: a base64-shaped key ends in "=" padding, or holds "+"/"/".
  if (lines.length === 1 && first !== undefined && idLine(first.text) === null) return [{ id: LONE_KEY_ID, secretKey: first.text }]
  const keys: NamedKey[] = []
  for (const line of lines) {
    const key = idLine(line.text)
    if (key === null) {
      throw ioError(
        `${source}, line ${line.number}: expected "id=secret"`,
        'use one key alone, or one id=secret per line (ids: letters, digits, _ . : @ -)',
      )
    }
    if (keys.some((k) => k.id === key.id)) throw ioError(`${source}: key id ${quoteValue(key.id)} appears twice`, 'give every key its own id')
    keys.push(key)
  }
  return keys
}

/** An `id=secret` line, or null when the text is not one (no "=", an id outside the id alphabet, or no secret). */
function idLine(text: string): NamedKey | null {
  const eq = text.indexOf('=')
  if (eq === -1) return null
  const id = text.slice(0, eq).trim()
  const secretKey = text.slice(eq + 1).trim()
  return /^[\w.:@-]{1,64}$/.test(id) && secretKey !== '' ? { id, secretKey } : null
}

/** The v2 secret key(s), or null when no source is configured. */
export async function loadSecretKeys(flags: KeyFlags): Promise<SecretKeys | null> {
  if (flags.keyFile !== undefined && flags.keyStdin) {
    throw usageError('--key-file and --key-stdin both given', 'choose one source for the secret key')
  }
  if (flags.keyFile !== undefined) {
    const source = 'the --key-file file'
    const text = await readTextFile(flags.keyFile, '--key-file', 'check the path and its permissions (chmod 600 is enough)')
    return { keys: parseKeyText(text, source), source }
  }
  if (flags.keyStdin) {
    const text = await readAll(process.stdin, MAX_KEY_BYTES, 'the key on stdin')
    return { keys: parseKeyText(text, 'the key on stdin'), source: 'stdin' }
  }
  const env = process.env[SECRET_ENV]
  if (env !== undefined && env.trim() !== '') return { keys: parseKeyText(env, SECRET_ENV), source: SECRET_ENV }
  return null
}

export const NO_KEY_HINT: string = `set ${SECRET_ENV}, or pass --key-file PATH or --key-stdin`

/** Exactly one key to sign with: the only one, or the one `--key-id` names. */
/** The signing key, refused when it cannot be a console SDKSecretKey unless `--allow-unusual-key` (issue 15 §3). */
export function pickSigningKey(secrets: SecretKeys, keyId: string | undefined, allowUnusualKey = false): NamedKey {
  const key = pickKey(secrets, keyId)
  checkToolSecretKey(key.secretKey, { allowUnusualKey })
  return key
}

/**
 * `--key-id` for checking: that key alone checks, and the rest of the file is only tried to name the key that signed a
 * token it does not verify (SIGNED_BY_OTHER_KEY). Without `--key-id` every key of the file checks.
 */
export function checkingKeys(secrets: SecretKeys, keyId: string): { keys: NamedKey[]; others: NamedKey[] } {
  const key = pickKey(secrets, keyId)
  return { keys: [key], others: secrets.keys.filter((k) => k !== key) }
}

function pickKey(secrets: SecretKeys, keyId: string | undefined): NamedKey {
  if (keyId !== undefined) {
    const key = secrets.keys.find((k) => k.id === keyId)
    if (key === undefined) {
      throw usageError(
        `no key with id ${quoteValue(keyId)} in ${secrets.source}`,
        // An id is shown like any value from the user (an id=secret line written the wrong way round puts the key first);
        // at most ten of them.
        `ids there: ${secrets.keys.slice(0, 10).map((k) => (looksLikeKey(k.id) ? '(an id that looks like a key)' : k.id)).join(', ')}${secrets.keys.length > 10 ? `, and ${secrets.keys.length - 10} more` : ''}`,
      )
    }
    return key
  }
  const [only, ...rest] = secrets.keys
  if (only === undefined || rest.length > 0) {
    throw usageError(`${secrets.source} holds ${secrets.keys.length} keys`, 'choose the one to sign with: --key-id ID')
  }
  return only
}

export async function loadPem(path: string, option: '--private-key-file' | '--public-key-file'): Promise<string> {
  const text = await readTextFile(path, option, 'check the path and its permissions')
  if (!text.includes('-----BEGIN')) {
    throw ioError(
      `the file given to ${option} is not PEM`,
      'legacy keys are PEM files that start with -----BEGIN; a v2 secret key goes in --key-file',
    )
  }
  return text.trim() + '\n'
}

/**
 * A legacy public key file, checked up front: a key that does not parse is a configuration error (exit 3), reported
 * before any token is looked at, whatever version the token turns out to be.
 */
export async function loadPublicKey(path: string): Promise<LegacyPublicKeyObject> {
  const pem = await loadPem(path, '--public-key-file')
  const { legacyPublicKey } = await import('usersig/legacy')
  try {
    return legacyPublicKey(pem)
  } catch (err) {
    const e = err as { message?: string; hint?: string }
    throw ioError(`the file given to --public-key-file: ${e.message ?? 'not a usable key'}`, e.hint ?? 'use the public_key file the Tencent console issued for the app')
  }
}
