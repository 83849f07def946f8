// The page screen's Review section: the page's own working copy (its
// text, categories and order) sent for review, or sent back.

import { request } from "../../api";
import { ReviewSection } from "../../components/ReviewSection";
import { PageReviewStateDocument, SendPageBackDocument, SubmitPageForReviewDocument } from "../../generated/graphql";
import { useQuery } from "../../hooks";
import { can, useMe } from "../../session";

export function PageReviewSection({ slug, version }: { slug: string; version: number }) {
  const me = useMe();
  const state = useQuery(() => request(PageReviewStateDocument, { slug }), [slug, version]);
  const page = state.data?.page;
  if (!page) return null;
  return (
    <ReviewSection
      thing="page"
      review={page.review}
      pending={page.hasUnpublishedChanges}
      mayEdit={can(me, "editContent")}
      mayPublish={can(me, "publish")}
      reload={state.reload}
      actions={{
        submit: (message) => request(SubmitPageForReviewDocument, { id: page.id, version: page.version, message }),
        sendBack: (comment) => request(SendPageBackDocument, { id: page.id, version: page.version, comment }),
      }}
    />
  );
}
