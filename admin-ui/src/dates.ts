// A date without a time typed into GOV.UK date inputs (day, month, year):
// the audit log's "from" and "to" filters. A day is the browser's day, as
// the times the log shows are the browser's times. (A date with a time is
// datetime.ts.)

import type { FormErrors } from "./forms";

export type DatePart = "day" | "month" | "year";
export const DATE_PARTS: readonly DatePart[] = ["day", "month", "year"];
export type DateValue = Record<DatePart, string>;

export const EMPTY_DATE: DateValue = { day: "", month: "", year: "" };

function twoDigits(n: number): string {
  return n.toString().padStart(2, "0");
}

/** "2025-11-27", as a link to the log keeps it, → the inputs' values. */
export function dateOf(stored: string | null): DateValue {
  const found = /^(\d{4})-(\d{2})-(\d{2})$/.exec(stored ?? "");
  if (!found) return EMPTY_DATE;
  return { day: String(Number(found[3])), month: String(Number(found[2])), year: found[1] ?? "" };
}

/** "a day", "a month and year" */
function partList(parts: DatePart[]): string {
  const names = parts.map(String);
  const last = names.pop();
  return `a ${names.length > 0 ? `${names.join(", ")} and ${last}` : last}`;
}

export type ParsedDate = { date: string | null } | { message: string; parts: DatePart[] };

/**
 * The inputs' values → "2025-11-27", null when all are empty, or what is
 * wrong (the message starts with `name`, GOV.UK's way: "The ‘from’ date
 * must be a real date").
 */
export function parseDate(name: string, value: DateValue): ParsedDate {
  const typed = { day: value.day.trim(), month: value.month.trim(), year: value.year.trim() };
  const missing = DATE_PARTS.filter((part) => typed[part] === "");
  if (missing.length === DATE_PARTS.length) return { date: null };
  if (missing.length > 0) return { message: `${name} must include ${partList(missing)}`, parts: missing };

  const wrong: DatePart[] = [];
  if (!/^\d{1,2}$/.test(typed.day)) wrong.push("day");
  if (!/^\d{1,2}$/.test(typed.month)) wrong.push("month");
  if (!/^\d{4}$/.test(typed.year)) wrong.push("year");
  const day = Number(typed.day);
  const month = Number(typed.month);
  const year = Number(typed.year);
  if (wrong.length === 0) {
    // Day 0 of the next month is the last day of this one.
    const daysInMonth = new Date(year, month, 0).getDate();
    if (month < 1 || month > 12) wrong.push("month");
    else if (day < 1 || day > daysInMonth) wrong.push("day");
  }
  if (wrong.length > 0) return { message: `${name} must be a real date`, parts: wrong };
  return { date: `${year}-${twoDigits(month)}-${twoDigits(day)}` };
}

/** The start of the browser's day "2025-11-27" (plus `later` days), as the API's DateTime. */
export function startOfDay(date: string, later = 0): string | null {
  const found = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!found) return null;
  const start = new Date(Number(found[1]), Number(found[2]) - 1, Number(found[3]) + later);
  return Number.isNaN(start.getTime()) ? null : start.toISOString();
}

/** The input a problem with a date group links to: its first part at fault. */
export function dateProblemInput(id: string, parts: DatePart[]): string {
  return `${id}-${parts[0] ?? "day"}`;
}

/** The message for a date group, whichever of its inputs it was filed under. */
export function dateGroupError(errors: FormErrors, id: string): string | undefined {
  return DATE_PARTS.map((part) => errors.fields[`${id}-${part}`]).find(Boolean);
}
