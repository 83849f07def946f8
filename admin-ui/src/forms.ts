// Turns an API error into what a GOV.UK form shows: an error summary whose
// links point at the inputs, and the same message next to each input.

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
