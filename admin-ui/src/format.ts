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
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const hours = date.getHours();
  const minutes = date.getMinutes().toString().padStart(2, "0");
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const suffix = hours < 12 ? "am" : "pm";
  const time = minutes === "00" && hour12 === 12 && suffix === "pm" ? "midday" : `${hour12}:${minutes}${suffix}`;
  return `${date.getDate()} ${MONTHS[date.getMonth()] ?? ""} ${date.getFullYear()} at ${time}`;
}

/** "1 question", "3 questions". */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
