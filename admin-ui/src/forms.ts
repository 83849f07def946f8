// Turns an API error into what a GOV.UK form shows: an error summary whose
// links point at the inputs, and the same message next to each input.

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

export interface SubmitState {
  errors: FormErrors;
  /** Goes up on each failure: the error summary's `key`, so a repeated failure is announced again. */
  attempt: number;
  busy: boolean;
  /**
   * Runs `action` unless another is running; what it throws becomes the
   * form's errors (by `ids`, or by `explain` when given; null from `explain`:
   * it has been dealt with, e.g. a conflict banner).
   */
  submit: (action: () => Promise<void>, explain?: Explain) => Promise<void>;
  /** Shows errors found here or by the API; focus goes to the summary. */
  show: (errors: FormErrors) => void;
  clear: () => void;
}

type Explain = (error: unknown) => FormErrors | null | Promise<FormErrors | null>;

/** One form's submit: busy state, error summary and inline messages. */
export function useSubmit(ids: FieldIds): SubmitState {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const show = (next: FormErrors) => {
    setErrors(next);
    setAttempt((n) => n + 1);
  };
  async function submit(action: () => Promise<void>, explain?: Explain) {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await action();
    } catch (error) {
      const found = explain ? await explain(error) : errorsFrom(error, ids);
      if (found) show(found);
    } finally {
      running.current = false;
      setBusy(false);
    }
  }
  return { errors, attempt, busy, submit, show, clear: () => setErrors(NO_ERRORS) };
}

/**
 * The props that tie a text input to its value and its inline error:
 * `<TextInput {...field(errors, "email", email, setEmail)} label="Email address" />`.
 */
export function field(errors: FormErrors, id: string, value: string, onInput: (value: string) => void) {
  return { id, value, onInput, error: errors.fields[id] };
}
