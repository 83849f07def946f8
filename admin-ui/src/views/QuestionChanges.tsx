// What has changed since it was published: the working copy against the
// text readers see, word by word.

import { request } from "../api";
import { DIFF_KEY, FieldDiff, NoDifferences } from "../components/Diff";
import { Heading, Loaded } from "../components/Screen";
import { QuestionTag } from "../components/Tag";
import { QuestionChangesDocument, type QuestionChangesQuery } from "../generated/graphql";
import { useQuery, useScreen } from "../hooks";
import { href } from "../router";

type Shown = NonNullable<QuestionChangesQuery["question"]>;

export function QuestionChanges({ id }: { id: string }) {
  const changes = useQuery(() => request(QuestionChangesDocument, { id }), [id]);
  const question = changes.data?.question;
  useScreen(question ? "What has changed since it was published" : null);
  return (
    <Loaded state={changes} select={(data) => data.question}>
      {(shown) => <ChangesScreen question={shown} />}
    </Loaded>
  );
}

function ChangesScreen({ question }: { question: Shown }) {
  const editorHref = href(`/questions/${encodeURIComponent(question.id)}`);
  const diff = question.unpublishedDiff;
  return (
    <>
      <a href={editorHref} class="govuk-back-link">
        Back to the question
      </a>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <Heading caption={question.question}>What has changed since it was published</Heading>
          <p class="govuk-body">
            <QuestionTag status={question.status} hasUnpublishedChanges={question.hasUnpublishedChanges} />
          </p>
          {!diff ? (
            <p class="govuk-body" id="never-published">
              Readers do not see this question: it has not been published, or it was unpublished or archived.
            </p>
          ) : diff.identical ? (
            <NoDifferences>No differences: readers see the text as it is now.</NoDifferences>
          ) : (
            <section aria-labelledby="diff-title" id="diff">
              <h2 class="govuk-heading-m" id="diff-title">
                The working copy compared with what readers see
              </h2>
              <p class="govuk-body-s">{DIFF_KEY}</p>
              <FieldDiff heading="Question" segments={diff.question} label="Changes to the question" />
              <FieldDiff heading="Answer" segments={diff.answer} label="Changes to the answer" />
            </section>
          )}
          <p class="govuk-body">
            <a class="govuk-link" href={href(`/questions/${encodeURIComponent(question.id)}/history`)}>
              Every version of this question
            </a>
          </p>
        </div>
      </div>
    </>
  );
}
