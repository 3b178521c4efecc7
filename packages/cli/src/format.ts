/** Terminal output: colour only when stdout is a terminal and NO_COLOR is unset, aligned tables, times, JSON. */
import pc from 'picocolors'

export const isTTY = (): boolean => process.stdout.isTTY === true

/** https://no-color.org: any non-empty NO_COLOR turns colour off. */
export function colorEnabled(): boolean {
  const noColor = process.env['NO_COLOR']
  return isTTY() && (noColor === undefined || noColor === '')
}

let colors: ReturnType<typeof pc.createColors> | undefined
export function c(): ReturnType<typeof pc.createColors> {
  colors ??= pc.createColors(colorEnabled())
  return colors
}

export function write(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n')
}

/** The JSON of single results: two-space indent, keys in the documented order. */
export function writeJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n')
}

/** One compact JSON document per line (`--batch`). */
export function writeJsonLine(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n')
}

/** Visible width, ignoring colour escapes. */
const width = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length

/** Rows of label/value, labels padded to one column. A null value skips the row. */
export function table(rows: Array<[string, string | null | undefined]>, indent = ''): string {
  const kept = rows.filter((r): r is [string, string] => r[1] !== null && r[1] !== undefined)
  const w = Math.max(0, ...kept.map(([l]) => width(l)))
  return kept.map(([l, v]) => `${indent}${c().dim(l)}${' '.repeat(w - width(l) + 2)}${v}`).join('\n')
}

/** Columns of cells, each column padded to its widest cell. */
export function grid(rows: string[][]): string {
  const widths: number[] = []
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))))
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell)))).join('  '))
    .join('\n')
}

const pad = (n: number, len = 2): string => String(n).padStart(len, '0')

/** `2023-11-14 22:13:20 UTC` */
export function formatUtc(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000)
  if (Number.isNaN(d.getTime())) return `${unixSeconds} (out of range)`
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
}

/** `2023-11-15 06:13:20 +08:00` in the local time zone (TZ). */
export function formatLocal(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000)
  if (Number.isNaN(d.getTime())) return `${unixSeconds} (out of range)`
  const off = -d.getTimezoneOffset()
  const sign = off < 0 ? '-' : '+'
  const abs = Math.abs(off)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** A duration in its largest unit and the next one when not zero: `6d 23h`, `3h 5m`, `45s`, `7d`. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.trunc(seconds))
  const units: Array<[string, number]> = [
    ['y', 365 * 86400],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ]
  const i = units.findIndex(([, size]) => s >= size)
  const big = units[i]
  if (big === undefined) return '0s'
  const first = Math.floor(s / big[1])
  const next = units[i + 1]
  const second = next === undefined ? 0 : Math.floor((s % big[1]) / next[1])
  return second > 0 && next !== undefined ? `${first}${big[0]} ${second}${next[0]}` : `${first}${big[0]}`
}

/** `expires in 6d 23h` / `expired 3h ago`. */
export function formatRemaining(expiresAt: number, now: number): string {
  const left = expiresAt - now
  return left > 0 ? `${formatDuration(left)} left` : left === 0 ? 'expires now' : `expired ${formatDuration(left)} ago`
}

/** Both clocks on one line: `2023-11-14 22:13:20 UTC  (local 2023-11-15 06:13:20 +08:00)`. */
export function formatTime(unixSeconds: number): string {
  return `${formatUtc(unixSeconds)}  ${c().dim(`(local ${formatLocal(unixSeconds)})`)}`
}
