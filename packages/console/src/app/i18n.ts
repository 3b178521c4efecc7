/** Message tables per language and the lookup. Every string the page shows comes from here. */
import { en } from './messages/en.js'
import { zhCN } from './messages/zh-CN.js'

export type Lang = 'en' | 'zh-CN'
export type MessageKey = keyof typeof en
export type Messages = Record<MessageKey, string>
/** A language's table: every UI key, plus optional translations of core codes (`err.*`, `finding.*`, `warn.*`…). */
export type Table = Messages & Partial<Record<string, string>>

export const LANGS: readonly Lang[] = ['en', 'zh-CN']
const tables: Record<Lang, Table> = { en, 'zh-CN': zhCN }

let current: Lang = 'en'

export function setLang(lang: Lang): void {
  current = lang
}

export function getLang(): Lang {
  return current
}

/** Picks the page language from the browser's preference list: any Chinese variant gives zh-CN, otherwise English. */
export function detectLang(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const l = tag.toLowerCase()
    if (l.startsWith('zh')) return 'zh-CN'
    if (l.startsWith('en')) return 'en'
  }
  return 'en'
}

export function isLang(v: unknown): v is Lang {
  return v === 'en' || v === 'zh-CN'
}

/** Looks up a message and fills `{name}` placeholders. */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  const s = tables[current][key] ?? en[key]
  return fill(s, vars)
}

function fill(s: string, vars?: Record<string, string | number>): string {
  return vars ? s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : s
}

/**
 * Looks up an optional message by a dynamic key, such as a core error or finding code, in the current language only;
 * returns undefined when that table has none, so the caller falls back to the core's own (English) text.
 */
export function tMaybe(key: string, vars?: Record<string, string | number>): string | undefined {
  const s = tables[current][key]
  return s === undefined ? undefined : fill(s, vars)
}
