/**
 * `usersig keygen`: a new v2 secret key (printed), or with `--legacy` an ECDSA key pair (printed, or written to
 * `--out DIR` as private_key.txt, mode 0600, and public_key.txt).
 */
import { access, chmod, mkdir, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { generateSecretKey, keyFingerprint } from 'usersig'
import { EXIT, type ExitCode, ioError, usageError } from '../errors.js'
import { c, isTTY, write, writeJson } from '../format.js'
import { describeFsError } from '../keys.js'
import { quoteValue } from '../quote.js'

export interface KeygenOptions {
  legacy?: boolean
  curve?: string
  out?: string
  force?: boolean
  json?: boolean
}

const CURVES: Record<string, 'secp256k1' | 'P-256'> = { secp256k1: 'secp256k1', p256: 'P-256', 'p-256': 'P-256', prime256v1: 'P-256' }

export async function keygen(opts: KeygenOptions): Promise<ExitCode> {
  if (opts.curve !== undefined && !opts.legacy) throw usageError('--curve only applies to --legacy key pairs', 'add --legacy, or drop --curve')
  if (opts.force && opts.out === undefined) throw usageError('--force only applies with --out DIR')

  if (!opts.legacy) {
    const secretKey = generateSecretKey()
    const keyId = keyFingerprint(secretKey)
    if (opts.out !== undefined) {
      const file = join(opts.out, 'secret_key.txt')
      await writeFiles(opts.out, [{ path: file, text: secretKey + '\n', mode: 0o600 }], opts.force === true)
      if (opts.json) writeJson({ kind: 'secret', keyId, secretKeyFile: file })
      else write(`wrote ${file} (mode 0600), key ${keyId}`)
      return EXIT.ok
    }
    if (opts.json) writeJson({ kind: 'secret', keyId, secretKey })
    else {
      write(secretKey)
      if (isTTY()) process.stderr.write(c().dim(`key ${keyId}: keep it out of source code and client apps; usersig reads it from USERSIG_SECRET_KEY or --key-file`) + '\n')
    }
    return EXIT.ok
  }

  const curveName = (opts.curve ?? 'p256').toLowerCase()
  const curve = CURVES[curveName]
  if (curve === undefined) throw usageError(`unknown --curve ${quoteValue(opts.curve ?? '')}`, 'use secp256k1 or p256')
  const { generateLegacyKeyPair } = await import('usersig/legacy')
  const { privateKeyPem, publicKeyPem } = generateLegacyKeyPair({ curve })
  const keyId = keyFingerprint(publicKeyPem)
  const curveLabel = curve === 'P-256' ? 'p256' : 'secp256k1'
  if (opts.out !== undefined) {
    const privateKeyFile = join(opts.out, 'private_key.txt')
    const publicKeyFile = join(opts.out, 'public_key.txt')
    await writeFiles(
      opts.out,
      [
        { path: privateKeyFile, text: ensureNewline(privateKeyPem), mode: 0o600 },
        { path: publicKeyFile, text: ensureNewline(publicKeyPem), mode: 0o644 },
      ],
      opts.force === true,
    )
    if (opts.json) writeJson({ kind: 'legacy', curve: curveLabel, keyId, privateKeyFile, publicKeyFile })
    else write(`wrote ${privateKeyFile} (mode 0600) and ${publicKeyFile}, ${curveLabel} key ${keyId}`)
    return EXIT.ok
  }
  if (opts.json) writeJson({ kind: 'legacy', curve: curveLabel, keyId, privateKeyPem, publicKeyPem })
  else write(ensureNewline(privateKeyPem) + ensureNewline(publicKeyPem))
  return EXIT.ok
}

const ensureNewline = (s: string): string => (s.endsWith('\n') ? s : s + '\n')

/** Writes all files or none of the existing ones: every target is checked before the first write. */
async function writeFiles(dir: string, files: Array<{ path: string; text: string; mode: number }>, force: boolean): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 })
  } catch (err) {
    throw ioError(`cannot create the --out directory: ${describeFsError(err)}`, 'choose another --out DIR')
  }
  if (!force) {
    for (const f of files) {
      const exists = await access(f.path).then(
        () => true,
        () => false,
      )
      if (exists) throw ioError(`${basename(f.path)} already exists in the --out directory`, 'choose another --out DIR, or pass --force to overwrite it')
    }
  }
  for (const f of files) {
    try {
      // 'wx' fails if the file appeared meanwhile; with --force the mode is set again because it only applies on create.
      await writeFile(f.path, f.text, { mode: f.mode, flag: force ? 'w' : 'wx' })
      await chmod(f.path, f.mode)
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'EEXIST' ? 'it already exists' : describeFsError(err)
      throw ioError(`cannot write ${basename(f.path)} in the --out directory: ${why}`, force ? 'check the directory permissions' : 'pass --force to overwrite it')
    }
  }
}
