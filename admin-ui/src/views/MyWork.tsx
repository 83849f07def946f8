// "Your work": the signed-in person's drafts, what they sent for review
// and what came back to them, with the reviewer's comment.

import { request } from "../api";
import { Heading, Loaded } from "../components/Screen";
import { When } from "../components/When";
import { MyWorkDocument, type MyWorkQuery } from "../generated/graphql";
import { useQuery, useScreen } from "../hooks";
import { href } from "../router";

type Reviewed = MyWorkQuery["myWork"]["sent"][number];

export function MyWork() {
  const work = useQuery(() => request(MyWorkDocument), []);
  useScreen(work.data ? "Your work" : null);
  return (
    <Loaded state={work} select={(data) => data.myWork}>
      {(mine) => (
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-two-thirds">
            <Heading>Your work</Heading>
            <h2 class="govuk-heading-m">Sent back to you ({mine.returned.length})</h2>
            {mine.returned.length === 0 && <p class="govuk-body">Nothing has been sent back to you.</p>}
            <ul class="govuk-list" id="sent-back">
              {mine.returned.map((r) => (
                <li key={r.id} class="govuk-!-margin-bottom-4">
                  <ItemLink review={r} />
                  <p class="govuk-body govuk-!-margin-bottom-1">
                    {r.returnedBy?.displayName ?? "A publisher"} {r.returnedAt && <When at={r.returnedAt} />}
                  </p>
                  <p class="govuk-body qanda-pre-wrap">“{r.comment}”</p>
                </li>
              ))}
            </ul>
            <h2 class="govuk-heading-m">Waiting for review ({mine.sent.length})</h2>
            {mine.sent.length === 0 && <p class="govuk-body">You have nothing waiting for review.</p>}
            <ul class="govuk-list" id="sent">
              {mine.sent.map((r) => (
                <li key={r.id}>
                  <ItemLink review={r} /> sent <When at={r.sentAt} />
                </li>
              ))}
            </ul>
            <h2 class="govuk-heading-m">Your drafts and unpublished changes ({mine.drafts.length})</h2>
            {mine.drafts.length === 0 && <p class="govuk-body">You have no unpublished changes.</p>}
            <ul class="govuk-list" id="drafts">
              {mine.drafts.map((q) => (
                <li key={q.id}>
                  <a class="govuk-link" href={href(`/questions/${encodeURIComponent(q.id)}`)}>
                    {q.question}
                  </a>{" "}
                  <span class="govuk-hint govuk-!-display-inline">({q.category.title})</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </Loaded>
  );
}

function ItemLink({ review }: { review: Reviewed }) {
  if (review.question) {
    return (
      <a class="govuk-link" href={href(`/questions/${encodeURIComponent(review.question.id)}`)}>
        {review.question.question}
      </a>
    );
  }
  return (
    <a class="govuk-link" href={href(`/pages/${encodeURIComponent(review.page?.slug ?? "")}`)}>
      The page “{review.page?.title}”
    </a>
  );
}
