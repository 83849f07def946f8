// Small hooks shared by the screens: the current location, loading data,
// screen titles and focus, and the unsaved-changes guard.

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api";
import { currentLocation, setLeaveGuard, subscribe, type Location } from "./router";

export function useLocation(): Location {
  const [location, setLocation] = useState(currentLocation());
  useEffect(() => subscribe(setLocation), []);
  return location;
}

export interface QueryState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => Promise<T | null>;
  setData: (data: T) => void;
}

/** Loads once per change of `deps`; `reload` fetches again (after a change). */
export function useQuery<T>(load: () => Promise<T>, deps: unknown[]): QueryState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async (): Promise<T | null> => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const result = await loadRef.current();
      if (ticket === latest.current) {
        setData(result);
        setError(null);
      }
      return result;
    } catch (caught) {
      if (ticket === latest.current) {
        setError(caught instanceof ApiError ? caught : new ApiError("INTERNAL", String(caught)));
      }
      return null;
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, deps);

  return { data, error, loading, reload, setData };
}

let focusedKey = 0;

/**
 * Names the screen in document.title ("Error: " first while its form shows
 * errors) and, once per navigation, moves focus to its h1 so that screen
 * reader and keyboard users start at the new content. Pass `null` while the
 * screen is still loading.
 */
export function useScreen(title: string | null, withErrors = false): void {
  const { key } = useLocation();
  // Layout effects: the title and focus change with the render that shows
  // the screen (or its errors), not a frame later.
  useLayoutEffect(() => {
    if (title === null) return;
    document.title = `${withErrors ? "Error: " : ""}${title} – qanda`;
  }, [title, withErrors]);
  useLayoutEffect(() => {
    if (title === null || focusedKey === key) return;
    focusedKey = key;
    // The first screen after a full page load keeps the browser's focus.
    if (key === 0) return;
    const heading = document.querySelector<HTMLElement>("main h1");
    heading?.focus();
  }, [title, key]);
}

/** Asks before leaving (in-app or closing the tab) while `dirty` is true. */
export function useLeaveGuard(dirty: boolean): void {
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  useEffect(() => {
    setLeaveGuard(() => dirtyRef.current);
    return () => setLeaveGuard(null);
  }, []);
}

/** Runs `effect` `delay` ms after `value` last changed. */
export function useDebouncedEffect<T>(value: T, delay: number, effect: (value: T) => void): void {
  const effectRef = useRef(effect);
  effectRef.current = effect;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = window.setTimeout(() => effectRef.current(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
}

/**
 * State that event handlers can read at once through `ref`, even before the
 * re-render: actions queued behind another (a click on Publish while a save
 * is on its way) then see the save's result, not the state of their render.
 */
export function useSyncedState<T>(initial: T | (() => T)): [T, { readonly current: T }, (value: T) => void] {
  const [value, setValue] = useState(initial);
  const ref = useRef(value);
  const set = useCallback((next: T) => {
    ref.current = next;
    setValue(next);
  }, []);
  return [value, ref, set];
}
