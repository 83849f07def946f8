// What happened in a revision, in words for people.

import type { RevisionAction, RevisionItemType } from "./generated/graphql";

const WORDS: Record<RevisionAction, string> = {
  CREATED: "Created",
  SAVED: "Saved",
  PUBLISHED: "Published",
  PUBLISHED_ON_SCHEDULE: "Published on schedule",
  UNPUBLISHED: "Unpublished",
  ARCHIVED: "Archived",
  EXPIRED: "Archived on schedule (its removal time came)",
  RESTORED: "Restored from the archive",
  VERSION_RESTORED: "Earlier version restored",
  SENT_FOR_REVIEW: "Sent for review",
  SENT_BACK: "Sent back",
  MOVED: "Moved",
  SCHEDULED: "Publish or removal time set",
  STATUS_CHANGED: "Status changed",
  RETIRED: "Retired",
  RETIREMENT_SCHEDULED: "Retirement scheduled",
  RETIREMENT_CANCELLED: "Retirement cancelled",
  REINSTATED: "Reinstated",
  IMPORTED: "Imported",
  CHANGED: "Changed",
};

export function actionWords(action: RevisionAction): string {
  return WORDS[action];
}

/** Who did it: a person, the schedule, or the system (imports, the command line). */
export function whoDid(revision: { action: RevisionAction; author?: { displayName: string } | null }): string {
  if (revision.author) return revision.author.displayName;
  if (revision.action === "PUBLISHED_ON_SCHEDULE" || revision.action === "EXPIRED") return "On schedule";
  return "System";
}

export function itemWords(itemType: RevisionItemType): string {
  return itemType === "PAGE" ? "Page" : itemType === "CATEGORY" ? "Category" : "Question";
}
