// The one form layer: turns an API error into what a GOV.UK form shows (an
// error summary whose links point at the inputs, and the same message next
// to each input), and runs a form's submits: busy state, success banner,
// and what happens when someone else saved first.

import { useRef, useState } from "preact/hooks";
import { ApiError } from "./api";

export interface ErrorItem {
  text: string;
  /** "#input-id" when the message is about one input. */
  href?: string;
}

export interface FormErrors {
  items: ErrorItem[];
  /** Input id → message. */
  fields: Record<string, string>;
}

export const NO_ERRORS: FormErrors = { items: [], fields: {} };

export function hasErrors(errors: FormErrors): boolean {
  return errors.items.length > 0;
}

/** Map of API field name (as in the schema, e.g. `displayName`) → input id. */
export type FieldIds = Record<string, string>;

export function errorsFrom(error: unknown, ids: FieldIds): FormErrors {
  if (!(error instanceof ApiError)) {
    return { items: [{ text: "Something went wrong. Please try again." }], fields: {} };
  }
  if (error.code === "BAD_USER_INPUT" && error.fields.length > 0) {
    const fields: Record<string, string> = {};
    const items: ErrorItem[] = [];
    for (const problem of error.fields) {
      const id = ids[problem.field];
      if (id !== undefined && fields[id] === undefined) {
        fields[id] = problem.message;
        items.push({ text: problem.message, href: `#${id}` });
      } else if (id === undefined) {
        items.push({ text: problem.message });
      }
    }
    return { items, fields };
  }
  // RATE_LIMITED messages already say how long to wait.
  return { items: [{ text: error.message }], fields: {} };
}

/** Errors found before asking the API (e.g. a required choice not made). */
export function localErrors(problems: Array<[id: string, message: string]>): FormErrors {
  const fields: Record<string, string> = {};
  for (const [id, message] of problems) fields[id] = message;
  return { items: problems.map(([id, text]) => ({ text, href: `#${id}` })), fields };
}

/** The only place that recognises the API's "someone else saved first". */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.code === "CONFLICT";
}

/** A success message in a banner; a new `key` announces it again. */
export interface Banner {
  text: string;
  key: number;
  /** Carried over from the last screen: it leaves focus to the h1. */
  carried?: boolean;
}

export interface SubmitOptions<Theirs> {
  /** API field → input id, for errors the API puts on a field. */
  ids?: FieldIds;
  /** A success message from the last screen (the router's flash). */
  flash?: string | null;
  /** What the form changes, in words ("page", "user"), for the conflict message. */
  thing?: string;
  /**
   * Fetches (and shows) the latest copy after a conflict; null when it
   * cannot be had.
   */
  reload?: () => Promise<Theirs | null>;
  /**
   * On a conflict, keep their copy in `conflict` for a ConflictBanner
   * ("Keep my changes" or "Use their version") instead of saying that the
   * screen has been reloaded.
   */
  offerChoice?: boolean;
  /** Runs each submit after the one before instead of ignoring it while one runs. */
  queue?: boolean;
}

export interface SubmitHow {
  /** Errors other than a conflict, when they need more than `ids` (null: dealt with). */
  explain?: (error: unknown) => FormErrors | null;
  /** Override the form's `offerChoice` and `reload` for this action. */
  offerChoice?: boolean;
  reload?: () => Promise<unknown>;
}

/** What an action may return: a success message for the banner. */
type Outcome = string | void;

export interface SubmitState<Theirs> {
  errors: FormErrors;
  /** Goes up on each failure: the error summary's `key`, so a repeated failure is announced again. */
  attempt: number;
  busy: boolean;
  /** The success banner: the flash until the first submit, then the last success. */
  banner: Banner | null;
  /** Someone else's copy, while the user chooses between it and theirs. */
  conflict: Theirs | null;
  /**
   * Runs `action`; a message it returns becomes the success banner. What it
   * throws becomes the form's errors, or the conflict.
   */
  submit: (action: () => Promise<Outcome>, how?: SubmitHow) => Promise<void>;
  /** Shows errors found here or by the API; focus goes to the summary. */
  show: (errors: FormErrors) => void;
  /** Shows a success message and clears errors and any conflict. */
  succeed: (text: string) => void;
  clear: () => void;
  /** The conflict has been settled (either way). */
  settle: () => void;
}

/** One form's submits: busy state, error summary, inline messages, success banner and conflicts. */
export function useSubmit<Theirs = never>(options: SubmitOptions<Theirs> = {}): SubmitState<Theirs> {
  const { ids = {}, flash = null, thing = "item", reload, offerChoice = false, queue = false } = options;
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<Banner | null>(() =>
    flash ? { text: flash, key: 0, carried: true } : null,
  );
  const [conflict, setConflict] = useState<Theirs | null>(null);
  const running = useRef(false);
  const tail = useRef<Promise<void>>(Promise.resolve());

  const show = (next: FormErrors) => {
    setBanner(null);
    setErrors(next);
    setAttempt((n) => n + 1);
  };
  const succeed = (text: string) => {
    setErrors(NO_ERRORS);
    setConflict(null);
    setBanner({ text, key: Date.now() });
  };

  async function failed(error: unknown, how: SubmitHow) {
    const reloadTheirs = how.reload ?? reload;
    if (isConflict(error) && reloadTheirs) {
      const theirs = (await reloadTheirs().catch(() => null)) as Theirs | null;
      if (theirs !== null && (how.offerChoice ?? offerChoice)) {
        setBanner(null);
        setErrors(NO_ERRORS);
        setConflict(theirs);
        return;
      }
      show({
        items: [
          {
            text: `Someone else changed this ${thing} while you were working on it. It has been reloaded to show their changes: check it, then try again.`,
          },
        ],
        fields: {},
      });
      return;
    }
    const found = how.explain ? how.explain(error) : errorsFrom(error, ids);
    if (found) show(found);
  }

  async function run(action: () => Promise<Outcome>, how: SubmitHow) {
    setBusy(true);
    // A new attempt: the last success (or the flash) no longer applies.
    setBanner(null);
    try {
      const message = await action();
      if (typeof message === "string") succeed(message);
    } catch (error) {
      await failed(error, how);
    } finally {
      setBusy(false);
    }
  }

  function submit(action: () => Promise<Outcome>, how: SubmitHow = {}): Promise<void> {
    if (queue) {
      tail.current = tail.current.then(() => run(action, how));
      return tail.current;
    }
    if (running.current) return Promise.resolve();
    running.current = true;
    return run(action, how).finally(() => {
      running.current = false;
    });
  }

  return {
    errors,
    attempt,
    busy,
    banner,
    conflict,
    submit,
    show,
    succeed,
    clear: () => setErrors(NO_ERRORS),
    settle: () => setConflict(null),
  };
}

/**
 * The props that tie a text input to its value and its inline error:
 * `<TextInput {...field(errors, "email", email, setEmail)} label="Email address" />`.
 */
export function field(errors: FormErrors, id: string, value: string, onInput: (value: string) => void) {
  return { id, value, onInput, error: errors.fields[id] };
}
