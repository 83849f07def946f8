// "Waiting for review" (publishers): every question and page sent for
// review, oldest first, with the sender's message, whether it changed
// since, and what readers would see. Publishing and sending back happen on
// the item's own screen.

import { request } from "../api";
import { DIFF_KEY, FieldDiff } from "../components/Diff";
import { ReviewTag } from "../components/ReviewSection";
import { Heading, Loaded } from "../components/Screen";
import { When } from "../components/When";
import { ReviewQueueDocument, type ReviewQueueQuery } from "../generated/graphql";
import { useQuery, useScreen } from "../hooks";
import { href } from "../router";

type Waiting = ReviewQueueQuery["reviewQueue"][number];

export function Reviews() {
  const queue = useQuery(() => request(ReviewQueueDocument), []);
  useScreen(queue.data ? "Waiting for review" : null);
  return (
    <Loaded state={queue} select={(data) => data}>
      {(data) => (
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-two-thirds">
            <Heading>Waiting for review</Heading>
            {data.reviewQueue.length === 0 ? (
              <p class="govuk-body" id="nothing-waiting">
                Nothing is waiting for review.
              </p>
            ) : (
              <>
                <p class="govuk-body-s">{DIFF_KEY}</p>
                {data.reviewQueue.map((item) => (
                  <WaitingItem key={item.id} item={item} />
                ))}
              </>
            )}
          </div>
        </div>
      )}
    </Loaded>
  );
}

function WaitingItem({ item }: { item: Waiting }) {
  const question = item.question;
  const page = item.page;
  const title = question ? question.question : `The page “${page?.title ?? ""}”: its text, categories and order`;
  const link = question
    ? href(`/questions/${encodeURIComponent(question.id)}`)
    : href(`/pages/${encodeURIComponent(page?.slug ?? "")}/review`);
  return (
    <section class="qanda-review-item" data-review-id={item.id} aria-labelledby={`review-${item.id}`}>
      <h2 class="govuk-heading-m" id={`review-${item.id}`}>
        <a class="govuk-link" href={link}>
          {title}
        </a>
      </h2>
      <p class="govuk-body">
        <ReviewTag review={item} /> Sent by {item.sentBy?.displayName ?? "someone"} <When at={item.sentAt} />
      </p>
      {item.message && <p class="govuk-body qanda-pre-wrap">“{item.message}”</p>}
      {item.changedSinceSent && (
        <p class="govuk-body govuk-!-font-weight-bold">Changed since it was sent for review.</p>
      )}
      {question?.unpublishedDiff && (
        <div class="qanda-review-item__diff">
          <FieldDiff heading="Question" segments={question.unpublishedDiff.question} label={`Changes to the question “${question.question}”`} />
          <FieldDiff heading="Answer" segments={question.unpublishedDiff.answer} label={`Changes to the answer of “${question.question}”`} />
        </div>
      )}
      {question && !question.unpublishedDiff && <p class="govuk-body">A new question: readers have not seen it yet.</p>}
    </section>
  );
}
