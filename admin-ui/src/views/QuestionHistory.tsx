import { useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, Select } from "../components/Fields";
import { Heading, LoadError, Loading } from "../components/Screen";
import { QuestionTag } from "../components/Tag";
import {
  QuestionDiffDocument,
  QuestionHistoryDocument,
  RestoreRevisionDocument,
  type DiffKind,
  type RevisionFieldsFragment,
} from "../generated/graphql";
import { errorsFrom, hasErrors, localErrors, NO_ERRORS, type FormErrors } from "../forms";
import { formatDateTime } from "../format";
import { useLocation, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";

const PAGE_SIZE = 50;

/** Added words in <ins>, removed ones in <del>, the rest as they were. */
function Diff({ segments, label }: { segments: Array<{ kind: DiffKind; text: string }>; label: string }) {
  return (
    <div class="qanda-diff" role="group" aria-label={label}>
      {segments.map((segment, index) =>
        segment.kind === "ADDED" ? (
          <ins key={index}>{segment.text}</ins>
        ) : segment.kind === "REMOVED" ? (
          <del key={index}>{segment.text}</del>
        ) : (
          <span key={index}>{segment.text}</span>
        ),
      )}
    </div>
  );
}

function authorName(revision: RevisionFieldsFragment): string {
  return revision.author?.displayName ?? "System";
}

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
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);

  const question = history.data?.question;
  const missing = history.data !== null && !question;
  useScreen(
    history.error || missing ? "Page not found" : question ? "Versions of this question" : null,
    hasErrors(errors),
  );

  if (history.error) return <LoadError error={history.error} />;
  if (missing) return <LoadError error={new ApiError("NOT_FOUND", "No such question.")} />;
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
      text: `Version ${r.version}, ${formatDateTime(r.createdAt)}, ${authorName(r)}`,
    })),
  ];

  function compare(event: Event) {
    event.preventDefault();
    const problems: Array<[string, string]> = [];
    if (!fromValue) problems.push(["from", "Choose the earlier version to compare"]);
    if (!toValue) problems.push(["to", "Choose the later version to compare"]);
    if (fromValue && fromValue === toValue) problems.push(["to", "Choose two different versions"]);
    if (problems.length > 0) {
      setErrors(localErrors(problems));
      setAttempt((n) => n + 1);
      return;
    }
    setErrors(NO_ERRORS);
    navigate(href(historyPath, { after, from: fromValue, to: toValue }));
  }

  async function restore(revision: RevisionFieldsFragment) {
    if (busy || !question) return;
    setBusy(true);
    try {
      await request(RestoreRevisionDocument, {
        questionId: question.id,
        version: question.version,
        revisionId: revision.id,
      });
      navigate(editorHref, { flash: `Version ${revision.version} restored as a new draft` });
    } catch (error) {
      setErrors(errorsFrom(error, {}));
      setAttempt((n) => n + 1);
      // Someone saved since the list was loaded: show their version, so
      // the next restore starts from it.
      if (error instanceof ApiError && error.code === "CONFLICT") await history.reload();
    } finally {
      setBusy(false);
    }
  }

  const shownDiff = diff.data?.question?.diff;
  const fromRevision = revisions.find((r) => r.id === fromId);
  const toRevision = revisions.find((r) => r.id === toId);

  return (
    <>
      <a href={editorHref} class="govuk-back-link">
        Back to the question
      </a>
      <ErrorSummary key={attempt} items={errors.items} />
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <Heading caption={question.question}>Versions of this question</Heading>
          <dl class="govuk-summary-list">
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">Status</dt>
              <dd class="govuk-summary-list__value">
                <QuestionTag status={question.status} hasUnpublishedChanges={question.hasUnpublishedChanges} />
              </dd>
            </div>
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">Current version</dt>
              <dd class="govuk-summary-list__value">{question.version}</dd>
            </div>
          </dl>

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
              <p class="govuk-body-s">
                Added words are underlined on green; removed words are struck through on red.
              </p>
              <h3 class="govuk-heading-s">Question</h3>
              <Diff segments={shownDiff.question} label="Changes to the question" />
              <h3 class="govuk-heading-s">Answer</h3>
              <Diff segments={shownDiff.answer} label="Changes to the answer" />
            </section>
          )}
        </div>
      </div>

      <table class="govuk-table" id="revisions">
        <caption class="govuk-table__caption govuk-table__caption--m">
          Every saved version, newest first ({question.revisions.totalCount})
        </caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">
              Version
            </th>
            <th scope="col" class="govuk-table__header">
              Saved by
            </th>
            <th scope="col" class="govuk-table__header">
              When
            </th>
            <th scope="col" class="govuk-table__header">
              Note
            </th>
            <th scope="col" class="govuk-table__header">
              <span class="govuk-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {revisions.map((revision) => (
            <tr class="govuk-table__row" key={revision.id} data-revision-id={revision.id}>
              <td class="govuk-table__cell">{revision.version}</td>
              <td class="govuk-table__cell">{authorName(revision)}</td>
              <td class="govuk-table__cell">{formatDateTime(revision.createdAt)}</td>
              <td class="govuk-table__cell">{revision.note ?? ""}</td>
              <td class="govuk-table__cell">
                {revision.version !== question.version && (
                  <Button
                    type="button"
                    variant="secondary"
                    extraClass="govuk-!-margin-bottom-0"
                    onClick={() => void restore(revision)}
                  >
                    Restore this version<span class="govuk-visually-hidden"> ({revision.version})</span>
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
