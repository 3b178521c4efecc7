/**
 * The console page: hash-routed tabs (#/debugger, #/generate, #/admin), a language switch, and the views.
 * Loaded as a classic script so the built folder works from file:// as well as from any static host.
 */
import { h, replace } from './dom.js'
import { detectLang, isLang, LANGS, setLang, t, type Lang } from './i18n.js'
import { initialState, type Route, type State } from './state.js'
import type { View, ViewCtx } from './view.js'
import { adminView, ADMIN_KEY_SESSION } from './views/admin.js'
import { debuggerView } from './views/debugger.js'
import { generateView } from './views/generate.js'

const LANG_STORAGE = 'usersig.console.lang'
const ROUTES: readonly Route[] = ['debugger', 'generate', 'admin']

function storedLang(): Lang | undefined {
  try {
    const v = localStorage.getItem(LANG_STORAGE)
    return isLang(v) ? v : undefined
  } catch {
    return undefined
  }
}

function routeFromHash(): Route {
  const m = /^#\/?([a-z]+)/.exec(location.hash)
  const r = m?.[1]
  return r && (ROUTES as readonly string[]).includes(r) ? (r as Route) : 'debugger'
}

function defaultBaseUrl(): string {
  return location.protocol === 'http:' || location.protocol === 'https:' ? location.origin : ''
}

export function start(root: HTMLElement): void {
  const lang = storedLang() ?? detectLang(navigator.languages?.length ? navigator.languages : [navigator.language])
  setLang(lang)
  const state: State = initialState(lang, defaultBaseUrl())
  state.route = routeFromHash()
  try {
    const key = sessionStorage.getItem(ADMIN_KEY_SESSION)
    if (key) {
      state.admin.apiKey = key
      state.admin.remember = true
    }
  } catch {
    // sessionStorage disabled: the admin key is asked for each time.
  }

  let view: View | null = null
  const main = h('main', { id: 'main', tabindex: -1 })
  const nav = h('nav', { 'aria-label': 'tabs' })
  const header = h('header', { class: 'top' })
  const footer = h('footer', { class: 'foot' })

  const ctx: ViewCtx = {
    state,
    navigate(route) {
      if (routeFromHash() === route) showRoute(route, true)
      else location.hash = `#/${route}`
    },
  }

  function renderChrome(): void {
    document.documentElement.lang = state.lang
    document.title = t('app.title')
    const select = h('select', { id: 'lang-select' },
      LANGS.map((l) => h('option', { value: l, selected: l === state.lang }, l === 'en' ? 'English' : '简体中文')))
    select.addEventListener('change', () => {
      const next = select.value
      if (!isLang(next)) return
      state.lang = next
      setLang(next)
      try { localStorage.setItem(LANG_STORAGE, next) } catch { /* not persisted */ }
      renderChrome()
      showRoute(state.route, false)
      document.getElementById('lang-select')?.focus()
    })
    replace(nav, h('ul', { class: 'tabs' }, ROUTES.map((r) => h('li', null,
      h('a', { href: `#/${r}`, id: `tab-${r}`, 'aria-current': r === state.route ? 'page' : undefined }, t(`nav.${r}`))))))
    nav.setAttribute('aria-label', t('nav.label'))
    replace(header,
      h('a', { class: 'skip', href: '#main', onclick: (ev: Event) => { ev.preventDefault(); main.focus() } }, t('app.skip')),
      h('div', { class: 'brand' }, h('h1', null, t('app.title')), h('p', { class: 'tagline' }, t('app.tagline'))),
      h('div', { class: 'lang' }, h('label', { for: 'lang-select' }, t('app.language')), select),
      nav)
    replace(footer, h('p', null, t('app.footer')))
  }

  function showRoute(route: Route, focus: boolean): void {
    view?.dispose()
    state.route = route
    for (const r of ROUTES) {
      const a = document.getElementById(`tab-${r}`)
      if (r === route) a?.setAttribute('aria-current', 'page')
      else a?.removeAttribute('aria-current')
    }
    view = route === 'generate' ? generateView(ctx) : route === 'admin' ? adminView(ctx) : debuggerView(ctx)
    replace(main, view.el)
    main.dataset['route'] = route
    if (focus) view.heading.focus()
  }

  window.addEventListener('hashchange', () => showRoute(routeFromHash(), true))

  renderChrome()
  replace(root, header, main, footer)
  delete root.dataset['shell']
  showRoute(state.route, false)
  root.dataset['ready'] = 'true'
  // For the first-paint measurements: when the page became usable (the shell was painted before this).
  performance.mark?.('console-ready')
}

const root = document.getElementById('app')
if (root) start(root)
