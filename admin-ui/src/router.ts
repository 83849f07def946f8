// Client-side routes under /admin with the History API. Links stay real
// <a href> elements (keyboard, middle-click and "open in new tab" work); a
// click on one is turned into a pushState here instead of a page load.

export const BASE = "/admin";

export interface Location {
  /** The path under /admin, always starting with "/": "/", "/pages/x" … */
  path: string;
  query: URLSearchParams;
  /** Goes up by one on every navigation, even to the same URL. */
  key: number;
}

type Listener = (location: Location) => void;

const listeners = new Set<Listener>();
let key = 0;
let current: Location = read();
let flash: string | null = null;
let leaveGuard: (() => boolean) | null = null;

function read(): Location {
  const { pathname, search } = window.location;
  let path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  if (path === "") path = "/";
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  return { path, query: new URLSearchParams(search), key };
}

function emit(): void {
  key += 1;
  current = read();
  for (const listener of listeners) listener(current);
}

export function currentLocation(): Location {
  return current;
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** "/pages/x" → "/admin/pages/x" (an href for a link or for navigate). */
export function href(path: string, query?: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined && value !== "") params.set(name, value);
  }
  const search = params.toString();
  return `${BASE}${path === "/" ? "/" : path}${search ? `?${search}` : ""}`;
}

const LEAVE_MESSAGE = "You have unsaved changes. If you leave this page, they will be lost.";

/** While set and returning true, leaving the current screen asks first. */
export function setLeaveGuard(guard: (() => boolean) | null): void {
  leaveGuard = guard;
}

function mayLeave(): boolean {
  if (leaveGuard === null || !leaveGuard()) return true;
  if (window.confirm(LEAVE_MESSAGE)) {
    leaveGuard = null;
    return true;
  }
  return false;
}

export interface NavigateOptions {
  replace?: boolean;
  /** A success message for the next screen to show once. */
  flash?: string;
  /** Skip the unsaved-changes question (after saving, or after a delete). */
  force?: boolean;
}

/** Goes to a full href under /admin, e.g. href("/pages/x"). */
export function navigate(to: string, options: NavigateOptions = {}): boolean {
  if (!options.force && !mayLeave()) return false;
  if (options.force) leaveGuard = null;
  flash = options.flash ?? null;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  emit();
  return true;
}

/** The message handed over by the last navigate({ flash }), once. */
export function takeFlash(): string | null {
  const message = flash;
  flash = null;
  return message;
}

function onClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const target = event.target;
  if (!(target instanceof Element)) return;
  const anchor = target.closest("a");
  if (anchor === null || !anchor.hasAttribute("href")) return;
  if (anchor.target !== "" && anchor.target !== "_self") return;
  if (anchor.hasAttribute("download") || anchor.dataset.reload !== undefined) return;
  const url = new URL(anchor.href, window.location.href);
  if (url.origin !== window.location.origin) return;
  if (url.pathname !== BASE && !url.pathname.startsWith(`${BASE}/`)) return;
  // In-page links (skip link, error summary) keep their usual behaviour.
  if (url.hash !== "" && url.pathname === window.location.pathname && url.search === window.location.search) {
    return;
  }
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

let shownUrl = window.location.href;

function onPopState(): void {
  if (!mayLeave()) {
    // The browser has already moved; put the screen's URL back.
    window.history.pushState(null, "", shownUrl);
    return;
  }
  emit();
}

function onBeforeUnload(event: BeforeUnloadEvent): void {
  if (leaveGuard?.()) {
    event.preventDefault();
    // Older browsers need returnValue set to show the prompt.
    event.returnValue = LEAVE_MESSAGE;
  }
}

export function startRouter(): void {
  document.addEventListener("click", onClick);
  window.addEventListener("popstate", onPopState);
  window.addEventListener("beforeunload", onBeforeUnload);
  subscribe(() => {
    shownUrl = window.location.href;
  });
}

/** Matches "/questions/:id" against "/questions/42" → { id: "42" }. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i] ?? "";
    const g = got[i] ?? "";
    if (w.startsWith(":")) {
      if (g === "") return null;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}
