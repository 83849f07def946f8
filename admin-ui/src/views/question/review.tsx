// The question editor's Review section: its own query, so that review
// steps (which do not change the question's version) show at once.

import { request } from "../../api";
import { ReviewSection } from "../../components/ReviewSection";
import { QuestionReviewDocument, SendBackDocument, SubmitForReviewDocument } from "../../generated/graphql";
import { useQuery } from "../../hooks";
import { can, useMe } from "../../session";

export function QuestionReview({ id, version }: { id: string; version: number }) {
  const me = useMe();
  // Again whenever the editor saves: the item may have become reviewable.
  const state = useQuery(() => request(QuestionReviewDocument, { id }), [id, version]);
  const q = state.data?.question;
  if (!q) return null;
  return (
    <ReviewSection
      thing="question"
      review={q.review}
      pending={q.status === "DRAFT" || q.hasUnpublishedChanges}
      mayEdit={can(me, "editContent") && q.status !== "ARCHIVED"}
      mayPublish={can(me, "publish")}
      reload={state.reload}
      actions={{
        submit: (message) => request(SubmitForReviewDocument, { id, version: q.version, message }),
        sendBack: (comment) => request(SendBackDocument, { id, version: q.version, comment }),
      }}
    />
  );
}
