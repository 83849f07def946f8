// A date and time typed into GOV.UK date inputs (day, month, year) with a
// time box ("HH:MM", 24-hour clock), in the browser's time zone; sent to the
// API as UTC. Used by the question editor's schedule and a page's scheduled
// retirement (the inputs themselves are components/DateTimeInput.tsx).

import type { FormErrors } from "./forms";

export type Part = "day" | "month" | "year" | "time";
export const PARTS: readonly Part[] = ["day", "month", "year", "time"];
export type When = Record<Part, string>;

export const EMPTY_WHEN: When = { day: "", month: "", year: "", time: "" };

function twoDigits(n: number): string {
  return n.toString().padStart(2, "0");
}

/** An API time (UTC ISO string) as the inputs show it. */
export function whenOf(iso: string | null | undefined): When {
  const date = iso ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) return EMPTY_WHEN;
  return {
    day: String(date.getDate()),
    month: String(date.getMonth() + 1),
    year: String(date.getFullYear()),
    time: `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`,
  };
}

export function sameWhen(a: When, b: When): boolean {
  return PARTS.every((part) => a[part].trim() === b[part].trim());
}

export function isEmptyWhen(when: When): boolean {
  return PARTS.every((part) => when[part].trim() === "");
}

/** "a day", "a month and year", "a day, month and time" */
function partList(parts: Part[]): string {
  const names = parts.map(String);
  const last = names.pop();
  return `a ${names.length > 0 ? `${names.join(", ")} and ${last}` : last}`;
}

export type Parsed = { iso: string | null } | { message: string; parts: Part[] };

/**
 * A date-and-time group → a UTC ISO string, null when left empty, or what is
 * wrong with it (the message starts with `legend`, GOV.UK's way).
 */
export function parseWhen(legend: string, when: When): Parsed {
  const value = { day: when.day.trim(), month: when.month.trim(), year: when.year.trim(), time: when.time.trim() };
  const missing = PARTS.filter((part) => value[part] === "");
  if (missing.length === PARTS.length) return { iso: null };
  if (missing.length > 0) return { message: `${legend} must include ${partList(missing)}`, parts: missing };

  const notDate: Part[] = [];
  if (!/^\d{1,2}$/.test(value.day)) notDate.push("day");
  if (!/^\d{1,2}$/.test(value.month)) notDate.push("month");
  if (!/^\d{4}$/.test(value.year)) notDate.push("year");
  const day = Number(value.day);
  const month = Number(value.month);
  const year = Number(value.year);
  if (notDate.length === 0) {
    // Day 0 of the next month is the last day of this one.
    const daysInMonth = new Date(year, month, 0).getDate();
    if (month < 1 || month > 12) notDate.push("month");
    else if (day < 1 || day > daysInMonth) notDate.push("day");
  }
  if (notDate.length > 0) return { message: `${legend} must be a real date`, parts: notDate };

  const time = /^(\d{1,2})[:.]?(\d{2})$/.exec(value.time);
  const hours = time ? Number(time[1]) : NaN;
  const minutes = time ? Number(time[2]) : NaN;
  if (!(hours >= 0 && hours <= 23 && minutes >= 0 && minutes <= 59)) {
    return { message: `${legend} must be a real time, like 09:00 or 17:30`, parts: ["time"] };
  }

  const date = new Date(0);
  date.setFullYear(year, month - 1, day);
  date.setHours(hours, minutes, 0, 0);
  if (date.getHours() !== hours || date.getMinutes() !== minutes) {
    // Skipped when the clocks go forward.
    return { message: `${legend} must be a time that exists: the clocks change then`, parts: ["time"] };
  }
  return { iso: date.toISOString() };
}

/** The input a problem with a date group links to: its first part at fault. */
export function problemInput(id: string, parts: Part[]): string {
  return `${id}-${parts[0] ?? "day"}`;
}

/** The message for a date group, whichever of its inputs it was filed under. */
export function groupError(errors: FormErrors, id: string): string | undefined {
  return PARTS.map((part) => errors.fields[`${id}-${part}`]).find(Boolean);
}

/** The browser's time zone, like "Europe/London"; "" if it cannot say. */
export function timeZoneName(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}
