import type { PageStatus, QuestionStatus, WebhookDeliveryStatus } from "../generated/graphql";

const QUESTION_TAGS: Record<QuestionStatus, [text: string, colour: string]> = {
  DRAFT: ["Draft", "govuk-tag--grey"],
  PUBLISHED: ["Published", "govuk-tag--green"],
  ARCHIVED: ["Archived", "govuk-tag--red"],
};

/** The status of a question; yellow when its working copy is ahead of what the public sees. */
export function QuestionTag({
  status,
  hasUnpublishedChanges,
}: {
  status: QuestionStatus;
  hasUnpublishedChanges: boolean;
}) {
  const changed = status === "PUBLISHED" && hasUnpublishedChanges;
  const [text, colour] = changed
    ? ["Published with unpublished changes", "govuk-tag--yellow"]
    : QUESTION_TAGS[status];
  return (
    <strong
      class={`govuk-tag ${colour}`}
      data-status={status}
      data-unpublished-changes={changed ? "true" : undefined}
    >
      {text}
    </strong>
  );
}

const PAGE_TAGS: Record<PageStatus, [text: string, colour: string]> = {
  DRAFT: ["Draft", "govuk-tag--grey"],
  LIVE: ["Live", "govuk-tag--green"],
  RETIRED: ["Retired", "govuk-tag--red"],
};

export function PageTag({ status }: { status: PageStatus }) {
  const [text, colour] = PAGE_TAGS[status];
  return (
    <strong class={`govuk-tag ${colour}`} data-status={status}>
      {text}
    </strong>
  );
}

/** Any other short label, e.g. "Archived" on a category or "Disabled" on a user. */
export function Tag({ text, colour }: { text: string; colour: "grey" | "green" | "red" | "yellow" | "blue" }) {
  return <strong class={colour === "blue" ? "govuk-tag" : `govuk-tag govuk-tag--${colour}`}>{text}</strong>;
}

const DELIVERY_TAGS: Record<WebhookDeliveryStatus, [text: string, colour: string]> = {
  // GOV.UK's default tag colour is blue.
  PENDING: ["Pending", ""],
  DELIVERED: ["Delivered", "govuk-tag--green"],
  FAILED: ["Failed", "govuk-tag--red"],
};

/** Where a webhook delivery stands. */
export function DeliveryTag({ status }: { status: WebhookDeliveryStatus }) {
  const [text, colour] = DELIVERY_TAGS[status];
  return (
    <strong class={colour ? `govuk-tag ${colour}` : "govuk-tag"} data-status={status}>
      {text}
    </strong>
  );
}
