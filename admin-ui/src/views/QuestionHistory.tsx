import { useState } from "preact/hooks";
import { request } from "../api";
import { Button, Select } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { Heading, LoadError, Loading, NotFound } from "../components/Screen";
import { SummaryList } from "../components/SummaryList";
import { Cell, Table } from "../components/Table";
import { DIFF_KEY, Diff, NoDifferences } from "../components/Diff";
import { QuestionTag, Tag } from "../components/Tag";
import { When } from "../components/When";
import {
  QuestionDiffDocument,
  QuestionHistoryDocument,
  RestoreRevisionDocument,
  type RevisionFieldsFragment,
} from "../generated/graphql";
import { hasErrors, localErrors, useSubmit } from "../forms";
import { formatDateTimeSeconds } from "../format";
import { actionWords, whoDid } from "../history";
import { useLocation, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";

const PAGE_SIZE = 50;

export function QuestionHistory({ id }: { id: string }) {
  const { query } = useLocation();
  const after = query.get("after");
  const fromId = query.get("from") ?? "";
  const toId = query.get("to") ?? "";
  const history = useQuery(() => request(QuestionHistoryDocument, { id, first: PAGE_SIZE, after }), [id, after]);
  const diff = useQuery(
    () => (fromId && toId ? request(QuestionDiffDocument, { id, from: fromId, to: toId }) : Promise.resolve(null)),
    [id, fromId, toId],
  );
  const revisions = history.data?.question?.revisions.nodes ?? [];
  const [from, setFrom] = useState(fromId || revisions[1]?.id || "");
  const [to, setTo] = useState(toId || revisions[0]?.id || "");
  // Someone saved since the list was loaded: show their version, so that
  // the next restore starts from it.
  const form = useSubmit({ thing: "question", reload: history.reload });
  const { errors } = form;

  const question = history.data?.question;
  const missing = history.data !== null && !question;
  useScreen(
    history.error || missing ? "Page not found" : question ? "Versions of this question" : null,
    hasErrors(errors),
  );

  if (history.error) return <LoadError error={history.error} />;
  if (missing) return <NotFound />;
  if (!question) return <Loading />;

  // The defaults need the list, which arrives after the first render.
  const fromValue = from || revisions[1]?.id || "";
  const toValue = to || revisions[0]?.id || "";
  const editorHref = href(`/questions/${encodeURIComponent(question.id)}`);
  const historyPath = `/questions/${encodeURIComponent(question.id)}/history`;
  const choices = [
    { value: "", text: "Choose a version" },
    ...revisions.map((r) => ({
      value: r.id,
      text: `Version ${r.version}${r.live ? " (live)" : ""}, ${actionWords(r.action)}, ${formatDateTimeSeconds(r.createdAt)}, ${whoDid(r)}`,
    })),
  ];

  function compare(event: Event) {
    event.preventDefault();
    const problems: Array<[string, string]> = [];
    if (!fromValue) problems.push(["from", "Choose the earlier version to compare"]);
    if (!toValue) problems.push(["to", "Choose the later version to compare"]);
    if (problems.length > 0) return form.show(localErrors(problems));
    form.clear();
    navigate(href(historyPath, { after, from: fromValue, to: toValue }));
  }

  const restore = (revision: RevisionFieldsFragment) =>
    void form.submit(async () => {
      await request(RestoreRevisionDocument, {
        questionId: question.id,
        version: question.version,
        revisionId: revision.id,
      });
      navigate(editorHref, { flash: `Version ${revision.version} restored as a new draft` });
    });

  const shownDiff = diff.data?.question?.diff;
  const fromRevision = revisions.find((r) => r.id === fromId);
  const toRevision = revisions.find((r) => r.id === toId);

  return (
    <>
      <a href={editorHref} class="govuk-back-link">
        Back to the question
      </a>
      <FormMessages form={form} />
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <Heading caption={question.question}>Versions of this question</Heading>
          <SummaryList
            rows={[
              {
                key: "Status",
                value: <QuestionTag status={question.status} hasUnpublishedChanges={question.hasUnpublishedChanges} />,
              },
              { key: "Current version", value: question.version },
            ]}
          />
          {question.hasUnpublishedChanges && (
            <p class="govuk-body">
              <a class="govuk-link" href={href(`/questions/${encodeURIComponent(question.id)}/changes`)}>
                What has changed since it was published
              </a>
            </p>
          )}

          {revisions.length >= 2 && (
            <form method="get" action={href(historyPath)} noValidate onSubmit={compare}>
              <h2 class="govuk-heading-m">Compare two versions</h2>
              <Select id="from" label="Earlier version" choices={choices} value={fromValue} onChange={setFrom} error={errors.fields.from} />
              <Select id="to" label="Later version" choices={choices} value={toValue} onChange={setTo} error={errors.fields.to} />
              <Button variant="secondary">Compare</Button>
            </form>
          )}

          {diff.error && <p class="govuk-body govuk-error-message">{diff.error.message}</p>}
          {shownDiff && (
            <section aria-labelledby="diff-title" id="diff">
              <h2 class="govuk-heading-m" id="diff-title">
                Changes from version {fromRevision?.version ?? "?"} to version {toRevision?.version ?? "?"}
              </h2>
              {shownDiff.identical ? (
                <NoDifferences />
              ) : (
                <>
                  <p class="govuk-body-s">{DIFF_KEY}</p>
                  <h3 class="govuk-heading-s">Question</h3>
                  <Diff segments={shownDiff.question} label="Changes to the question" />
                  <h3 class="govuk-heading-s">Answer</h3>
                  <Diff segments={shownDiff.answer} label="Changes to the answer" />
                </>
              )}
            </section>
          )}
        </div>
      </div>

      <div class="qanda-table-scroll" tabIndex={0} role="region" aria-label="Versions">
        <Table
          id="revisions"
          caption={`Every saved version, newest first (${question.revisions.totalCount})`}
          captionClass="govuk-table__caption--m"
          columns={["Version", "What happened", "Who", "When", "Note", { text: "Actions", hidden: true }]}
        >
          {revisions.map((revision) => (
            <tr class="govuk-table__row" key={revision.id} data-revision-id={revision.id}>
              <Cell>
                {revision.version}
                {revision.live && (
                  <>
                    {" "}
                    <Tag text="Live" colour="green" />
                    <span class="govuk-visually-hidden">: the version readers see</span>
                  </>
                )}
              </Cell>
              <Cell extraClass="qanda-action">{actionWords(revision.action)}</Cell>
              <Cell>{whoDid(revision)}</Cell>
              <Cell>
                <When at={revision.createdAt} />
              </Cell>
              <Cell>{revision.note ?? ""}</Cell>
              <Cell>
                {revision.version !== question.version && (
                  <Button
                    type="button"
                    variant="secondary"
                    extraClass="govuk-!-margin-bottom-0"
                    onClick={() => restore(revision)}
                  >
                    Restore this version<span class="govuk-visually-hidden"> ({revision.version})</span>
                  </Button>
                )}
              </Cell>
            </tr>
          ))}
        </Table>
      </div>
      {(after || question.revisions.pageInfo.hasNextPage) && (
        <nav class="govuk-pagination" aria-label="Pages of versions">
          <ul class="govuk-pagination__list">
            {after && (
              <li class="govuk-pagination__item">
                <a class="govuk-link govuk-pagination__link" href={href(historyPath)}>
                  Newest versions
                </a>
              </li>
            )}
            {question.revisions.pageInfo.hasNextPage && question.revisions.pageInfo.endCursor && (
              <li class="govuk-pagination__item">
                <a
                  class="govuk-link govuk-pagination__link"
                  href={href(historyPath, { after: question.revisions.pageInfo.endCursor })}
                >
                  Next page
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </>
  );
}
