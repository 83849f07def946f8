// What has changed on a page since it was published: the page's own text
// against its text when it last went live, and each question whose working
// copy is ahead of what readers see.

import { request } from "../api";
import { DIFF_KEY, FieldDiff, NoDifferences } from "../components/Diff";
import { Heading, Loaded } from "../components/Screen";
import { PageChangesDocument, type PageChangesQuery } from "../generated/graphql";
import { useQuery, useScreen } from "../hooks";
import { href } from "../router";

type Shown = NonNullable<PageChangesQuery["page"]>;

export function PageChanges({ slug }: { slug: string }) {
  const changes = useQuery(() => request(PageChangesDocument, { slug }), [slug]);
  useScreen(changes.data?.page ? "What has changed since it was published" : null);
  return (
    <Loaded state={changes} select={(data) => data.page}>
      {(page) => <ChangesScreen page={page} />}
    </Loaded>
  );
}

function ChangesScreen({ page }: { page: Shown }) {
  const pagePath = `/pages/${encodeURIComponent(page.slug)}`;
  const text = page.unpublishedDiff;
  const changedQuestions = page.categories.flatMap((category) =>
    category.questions
      .filter((q) => q.hasUnpublishedChanges && q.unpublishedDiff && !q.unpublishedDiff.identical)
      .map((q) => ({ category, question: q, diff: q.unpublishedDiff! })),
  );
  const nothing = (!text || text.identical) && changedQuestions.length === 0;
  return (
    <>
      <a href={href(pagePath)} class="govuk-back-link">
        Back to the page
      </a>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <Heading caption={page.title}>What has changed since it was published</Heading>
          {nothing && <NoDifferences>No differences: readers see the page as it is now.</NoDifferences>}
          {!nothing && <p class="govuk-body-s">{DIFF_KEY}</p>}

          {text && !text.identical && (
            <section aria-labelledby="page-text-title" id="page-text">
              <h2 class="govuk-heading-m" id="page-text-title">
                The page’s text
              </h2>
              <FieldDiff heading="Title" segments={text.title} label="Changes to the title" />
              <FieldDiff heading="Introduction" segments={text.intro} label="Changes to the introduction" />
              <FieldDiff heading="Footer" segments={text.footer} label="Changes to the footer" />
            </section>
          )}
          {!text && (
            <p class="govuk-body" id="never-live">
              This page has not been live yet, so there is nothing to compare its text with.
            </p>
          )}

          {changedQuestions.length > 0 && (
            <section aria-labelledby="questions-title" id="changed-questions">
              <h2 class="govuk-heading-m" id="questions-title">
                Questions with unpublished changes ({changedQuestions.length})
              </h2>
              {changedQuestions.map(({ category, question, diff }) => (
                <div key={question.id} data-question-id={question.id} class="govuk-!-margin-bottom-6">
                  <h3 class="govuk-heading-s">
                    <a class="govuk-link" href={href(`/questions/${encodeURIComponent(question.id)}`)}>
                      {question.question}
                    </a>
                    <span class="govuk-caption-m">{category.title}</span>
                  </h3>
                  <FieldDiff heading="Question" segments={diff.question} label={`Changes to the question “${question.question}”`} level={4} />
                  <FieldDiff heading="Answer" segments={diff.answer} label={`Changes to the answer of “${question.question}”`} level={4} />
                </div>
              ))}
            </section>
          )}
        </div>
      </div>
    </>
  );
}
