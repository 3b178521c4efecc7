import type { Route, State } from './state.js'

export interface ViewCtx {
  state: State
  navigate(route: Route): void
}

export interface View {
  el: HTMLElement
  /** Where focus goes after navigating to the view (its heading). */
  heading: HTMLElement
  /** Stops timers and polling. */
  dispose(): void
}
