/**
 * `usersig scan [PATH…]`: find UserSig secrets committed by mistake. Walks the paths (default: the current directory),
 * skipping node_modules, .git, symlinks, binary files (a NUL byte in the first 8 KiB) and files over 5 MiB.
 * Exit 1 when something is found, 0 when clean. Findings name file:line, kind and key fingerprint, never the secret.
 */
import { lstat, open, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { EXIT, type ExitCode, ioError } from '../../errors.js'
import { c, grid, write, writeJson } from '../../format.js'
import { describeFsError } from '../../keys.js'
import { detect, type Finding } from './detect.js'

export interface ScanOptions {
  json?: boolean
}

export const MAX_FILE_BYTES: number = 5 * 1024 * 1024
const SNIFF_BYTES = 8192
const SKIP_DIRS = new Set(['node_modules', '.git'])

export interface ScanJson {
  findings: Array<{ file: string } & Finding>
  files: { scanned: number; skippedBinary: number; skippedLarge: number; unreadable: number }
}

export async function scan(paths: string[], opts: ScanOptions): Promise<ExitCode> {
  const roots = paths.length > 0 ? paths : ['.']
  for (const [i, root] of roots.entries()) {
    try {
      await lstat(root)
    } catch (err) {
      // Named by position, not echoed: the argument may be a secret pasted by mistake.
      throw ioError(`cannot scan path argument ${i + 1}: ${describeFsError(err)}`, 'pass files or directories that exist')
    }
  }
  const result: ScanJson = { findings: [], files: { scanned: 0, skippedBinary: 0, skippedLarge: 0, unreadable: 0 } }
  for (const root of roots) {
    for await (const file of walk(root)) {
      const text = await readText(file, result.files)
      if (text === null) continue
      result.files.scanned++
      for (const f of detect(text)) result.findings.push({ file, ...f })
    }
  }

  if (opts.json) writeJson(result)
  else write(report(result))
  return result.findings.length > 0 ? EXIT.invalid : EXIT.ok
}

/** Files under `path` in a stable order; symlinks are not followed (no loops, no escaping the tree). */
async function* walk(path: string): AsyncGenerator<string> {
  const st = await lstat(path)
  if (st.isFile()) {
    yield path
    return
  }
  if (!st.isDirectory()) return
  let entries
  try {
    entries = await readdir(path, { withFileTypes: true })
  } catch (err) {
    process.stderr.write(`usersig scan: skipped ${path}: ${describeFsError(err)}\n`)
    return
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* walk(join(path, e.name))
    } else if (e.isFile()) {
      yield join(path, e.name)
    }
  }
}

/** The file as UTF-8 text, or null when it is too large, binary or unreadable (counted in `files`). */
async function readText(file: string, files: ScanJson['files']): Promise<string | null> {
  let handle
  try {
    handle = await open(file, 'r')
    const { size } = await handle.stat()
    if (size > MAX_FILE_BYTES) {
      files.skippedLarge++
      return null
    }
    const buf = Buffer.alloc(size)
    let read = 0
    while (read < size) {
      const { bytesRead } = await handle.read(buf, read, size - read, read)
      if (bytesRead === 0) break
      read += bytesRead
    }
    if (buf.subarray(0, Math.min(read, SNIFF_BYTES)).includes(0)) {
      files.skippedBinary++
      return null
    }
    return buf.subarray(0, read).toString('utf8')
  } catch (err) {
    files.unreadable++
    process.stderr.write(`usersig scan: skipped ${file}: ${describeFsError(err)}\n`)
    return null
  } finally {
    await handle?.close()
  }
}

const KIND_LABEL: Record<Finding['kind'], string> = {
  'secret-key-with-sdkappid': 'secret key + SDKAppID',
  'secret-key': 'secret key',
  'legacy-private-key': 'legacy private key',
  'private-key': 'private key',
}

function report(r: ScanJson): string {
  const { scanned, skippedBinary, skippedLarge, unreadable } = r.files
  const skipped = [skippedBinary && `${skippedBinary} binary`, skippedLarge && `${skippedLarge} over 5 MiB`, unreadable && `${unreadable} unreadable`].filter(Boolean)
  const summary = `${scanned} file${scanned === 1 ? '' : 's'} scanned${skipped.length > 0 ? ` (skipped ${skipped.join(', ')})` : ''}`
  if (r.findings.length === 0) return `${c().green('✓ no secrets found')}: ${summary}`
  const rows = r.findings.map((f) => [
    c().bold(`${f.file}:${f.line}`),
    c().red(KIND_LABEL[f.kind]),
    `key ${f.keyId}`,
    ...(f.sdkAppId === null ? [] : [`SDKAppID ${f.sdkAppId}`]),
  ])
  const n = r.findings.length
  return [
    grid(rows),
    '',
    `${c().red(`✗ ${n} finding${n === 1 ? '' : 's'}`)}: ${summary}`,
    c().dim('rotate each key in the console (the old one stays valid until you do), then remove it from the code and its history;'),
    c().dim('keep keys in USERSIG_SECRET_KEY or a key file; mark a deliberate test key with a "usersig-scan-ignore" comment on its line'),
  ].join('\n')
}
