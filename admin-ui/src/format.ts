// Dates the GOV.UK way: "27 November 2025 at 2:05pm".

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

export function formatDateTime(iso: string | null | undefined): string {
  return format(iso, false);
}

/** The same, to the second: "27 November 2025 at 2:05:09pm". */
export function formatDateTimeSeconds(iso: string | null | undefined): string {
  return format(iso, true);
}

function format(iso: string | null | undefined, withSeconds: boolean): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const hours = date.getHours();
  const minutes = date.getMinutes().toString().padStart(2, "0");
  const seconds = date.getSeconds().toString().padStart(2, "0");
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const suffix = hours < 12 ? "am" : "pm";
  const time =
    withSeconds
      ? `${hour12}:${minutes}:${seconds}${suffix}`
      : minutes === "00" && hour12 === 12 && suffix === "pm"
        ? "midday"
        : `${hour12}:${minutes}${suffix}`;
  return `${date.getDate()} ${MONTHS[date.getMonth()] ?? ""} ${date.getFullYear()} at ${time}`;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago, in words: "just now", "1 minute ago", "4 hours ago",
 * "yesterday", "3 days ago"; the date itself after a week (and for a time
 * ahead of `now`, as a clock set slightly wrong may give).
 */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "";
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.floor((now - then) / 1000);
  if (seconds < -MINUTE) return formatDateTime(iso);
  if (seconds < MINUTE) return "just now";
  if (seconds < HOUR) return `${plural(Math.floor(seconds / MINUTE), "minute", "minutes")} ago`;
  if (seconds < DAY) return `${plural(Math.floor(seconds / HOUR), "hour", "hours")} ago`;
  if (seconds < 2 * DAY) return "yesterday";
  if (seconds < 7 * DAY) return `${Math.floor(seconds / DAY)} days ago`;
  return formatDateTime(iso);
}

/** "1 question", "3 questions". */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
