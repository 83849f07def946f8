// Review on an item's screen (a question or a page): where it stands, the
// sender's message and the reviewer's comment; editors send it for review,
// publishers send it back with a comment (they publish it with the
// screen's own publish button).

import { useState } from "preact/hooks";
import type { ReviewFieldsFragment } from "../generated/graphql";
import { field, localErrors, useSubmit } from "../forms";
import { Button, Textarea } from "./Fields";
import { FormMessages } from "./FormMessages";
import { When } from "./When";

export interface ReviewActions {
  /** Sends the item for review with an optional message. */
  submit: (message: string | null) => Promise<unknown>;
  /** Sends it back with a comment (publishers). */
  sendBack: (comment: string) => Promise<unknown>;
}

/** The "In review" tag, on any screen that lists the item. */
export function ReviewTag({ review }: { review: Pick<ReviewFieldsFragment, "state"> | null | undefined }) {
  if (!review) return null;
  return review.state === "IN_REVIEW" ? (
    <strong class="govuk-tag govuk-tag--blue" data-review="in-review">
      In review
    </strong>
  ) : (
    <strong class="govuk-tag govuk-tag--orange" data-review="sent-back">
      Sent back
    </strong>
  );
}

export function ReviewSection({
  thing,
  review,
  pending,
  mayEdit,
  mayPublish,
  actions,
  reload,
}: {
  /** "question" or "page", in sentences. */
  thing: string;
  review: ReviewFieldsFragment | null | undefined;
  /** True when the item has something readers do not see yet. */
  pending: boolean;
  mayEdit: boolean;
  mayPublish: boolean;
  actions: ReviewActions;
  reload: () => Promise<unknown>;
}) {
  const [text, setText] = useState("");
  const form = useSubmit({ ids: { message: "review-message", comment: "review-comment" } });
  const inReview = review?.state === "IN_REVIEW";
  const mayReturn = inReview && mayPublish;
  const maySend = mayEdit && pending && !inReview;
  if (!review && !maySend) return null;

  function send(event: Event) {
    event.preventDefault();
    void form.submit(async () => {
      if (mayReturn) {
        if (text.trim() === "") {
          form.show(localErrors([["review-comment", "Enter a comment that says what needs to change"]]));
          return;
        }
        await actions.sendBack(text);
        setText("");
        await reload();
        return `Sent back with your comment`;
      }
      await actions.submit(text.trim() === "" ? null : text);
      setText("");
      await reload();
      return `Sent for review: publishers can see it under “Waiting for review”`;
    });
  }

  return (
    <section aria-labelledby="review-heading" id="review" class="govuk-!-margin-top-6">
      <h2 class="govuk-heading-m" id="review-heading">
        Review
      </h2>
      <FormMessages form={form} />
      {review && (
        <div class="govuk-inset-text">
          <p class="govuk-body">
            <ReviewTag review={review} />
          </p>
          <p class="govuk-body">
            Sent by {review.sentBy?.displayName ?? "someone"} <When at={review.sentAt} />
          </p>
          {review.message && <p class="govuk-body qanda-pre-wrap">“{review.message}”</p>}
          {inReview && review.changedSinceSent && (
            <p class="govuk-body govuk-!-font-weight-bold" id="changed-since-sent">
              This {thing} was changed after it was sent for review.
            </p>
          )}
          {review.state === "SENT_BACK" && (
            <>
              <h3 class="govuk-heading-s govuk-!-margin-bottom-1">
                Sent back by {review.returnedBy?.displayName ?? "a publisher"}
              </h3>
              {review.returnedAt && <When at={review.returnedAt} />}
              <p class="govuk-body qanda-pre-wrap" id="review-comment-text">
                {review.comment}
              </p>
            </>
          )}
        </div>
      )}
      {(maySend || mayReturn) && (
        <form method="post" noValidate onSubmit={send}>
          {mayReturn ? (
            <Textarea
              {...field(form.errors, "review-comment", text, setText)}
              label="Comment for the editor"
              labelClass="govuk-label--s"
              hint="Say what needs to change before it can be published."
              rows={3}
            />
          ) : (
            <Textarea
              {...field(form.errors, "review-message", text, setText)}
              label="Message for the reviewer (optional)"
              labelClass="govuk-label--s"
              hint="For example, what changed and why."
              rows={3}
            />
          )}
          <Button variant="secondary" id={mayReturn ? "send-back" : "send-for-review"} disabled={form.busy}>
            {mayReturn ? "Send back" : review?.state === "SENT_BACK" ? "Send for review again" : "Send for review"}
          </Button>
        </form>
      )}
    </section>
  );
}
