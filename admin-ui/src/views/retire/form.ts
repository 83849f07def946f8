// The retirement screen's form: what it holds, when it has unsaved edits,
// and reading its timing (now, or a date and time in the future).

import type { PageSettingsFragment } from "../../generated/graphql";
import { isEmptyWhen, parseWhen, problemInput, sameWhen, whenOf, type Part, type When } from "../../datetime";

/** Retire now, or at a date and time; nothing chosen yet. */
export type Timing = "" | "now" | "later";

export interface Form {
  timing: Timing;
  /** The retirement time, for "later". */
  at: When;
  notice: string;
  replacementUrl: string;
  redirect: boolean;
}

/**
 * A page retired before (and reinstated) keeps its notice: start from it. A
 * scheduled retirement starts as "later" at its time.
 */
export function formOf(page: PageSettingsFragment): Form {
  return {
    timing: page.retireAt ? "later" : "",
    at: whenOf(page.retireAt),
    notice: page.retirementNotice ?? "",
    replacementUrl: page.replacementUrl ?? "",
    redirect: page.redirectsToReplacement,
  };
}

export function sameForm(a: Form, b: Form): boolean {
  return (
    a.timing === b.timing &&
    sameWhen(a.at, b.at) &&
    a.notice === b.notice &&
    a.replacementUrl === b.replacementUrl &&
    a.redirect === b.redirect
  );
}

export const TIMING_ID = "retire-when";
/** The date inputs: retire-at-day, retire-at-month, retire-at-year, retire-at-time. */
export const AT_ID = "retire-at";
export const AT_LEGEND = "Retirement date and time";

/** API field → input id. */
export const FIELD_IDS = {
  notice: "notice",
  replacementUrl: "replacement-url",
  redirect: "redirect",
  retireAt: `${AT_ID}-day`,
};

/** The retirement time as UTC for "later", or the problems with the form's timing. */
export function readTiming(form: Form): { retireAt: string | null } | { problems: Array<[string, string]>; parts?: Part[] } {
  if (form.timing === "") return { problems: [[TIMING_ID, "Select when the page should retire"]] };
  if (form.timing === "now") return { retireAt: null };
  if (isEmptyWhen(form.at)) {
    return { problems: [[`${AT_ID}-day`, "Enter the date and time the page should retire"]] };
  }
  const parsed = parseWhen(AT_LEGEND, form.at);
  if ("message" in parsed) return { problems: [[problemInput(AT_ID, parsed.parts), parsed.message]], parts: parsed.parts };
  if (parsed.iso === null || Date.parse(parsed.iso) <= Date.now()) {
    return {
      problems: [[`${AT_ID}-day`, "The retirement date and time must be in the future. To retire the page now, select Now"]],
    };
  }
  return { retireAt: parsed.iso };
}
