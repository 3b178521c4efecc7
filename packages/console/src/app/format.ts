/** Time and duration formatting for the page, in the page's language. */
import type { Lang } from './i18n.js'
import { t } from './i18n.js'

function toDate(unixSeconds: number): Date | null {
  const d = new Date(unixSeconds * 1000)
  return Number.isFinite(d.getTime()) ? d : null
}

/** "2023-11-14 22:13:20 UTC" */
export function fmtUtc(unixSeconds: number): string {
  const d = toDate(unixSeconds)
  if (!d) return t('time.outOfRange')
  return d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC')
}

/** The same instant in the browser's time zone, with the zone name. */
export function fmtLocal(unixSeconds: number, lang: Lang): string {
  const d = toDate(unixSeconds)
  if (!d) return t('time.outOfRange')
  if (lang === 'zh-CN') {
    // As Chinese is written: 2023年11月15日 06:13:20（GMT+8）, not the numeric 2023/11/15 of toLocaleString.
    const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {}
    const parts = new Intl.DateTimeFormat('zh-CN', {
      year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
    }).formatToParts(d)
    for (const part of parts) p[part.type] = part.value
    return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}:${p.second}（${p.timeZoneName}）`
  }
  return d.toLocaleString(lang, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    hour12: false, timeZoneName: 'short',
  })
}

/** "1d 2h 3m 4s" (or the Chinese units); seconds are dropped above a day so the text stays short. */
export function fmtDuration(totalSeconds: number): string {
  let s = Math.max(0, Math.floor(Math.abs(totalSeconds)))
  const years = Math.floor(s / (365 * 86400))
  s -= years * 365 * 86400
  const days = Math.floor(s / 86400)
  s -= days * 86400
  const hours = Math.floor(s / 3600)
  s -= hours * 3600
  const minutes = Math.floor(s / 60)
  const seconds = s - minutes * 60
  const parts: string[] = []
  if (years) parts.push(t('unit.y', { n: years }))
  if (days) parts.push(t('unit.d', { n: days }))
  if (hours) parts.push(t('unit.h', { n: hours }))
  if (minutes && !years) parts.push(t('unit.m', { n: minutes }))
  if (!years && !days && (seconds || parts.length === 0)) parts.push(t('unit.s', { n: seconds }))
  return parts.join(' ')
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}

/** "valid for 3h 2m" or "expired 5m ago", for a live countdown. */
export function fmtCountdown(expiresAt: number, now: number): { text: string; expired: boolean } {
  const left = expiresAt - now
  if (left >= 0) return { text: t('countdown.left', { d: fmtDuration(left) }), expired: false }
  return { text: t('countdown.expired', { d: fmtDuration(-left) }), expired: true }
}
