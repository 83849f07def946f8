import { useState } from "preact/hooks";
import { request } from "../api";
import { useConfirm } from "../components/ConfirmPanel";
import { ConflictBanner } from "../components/ConflictBanner";
import { Button, Select, TextInput } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { QuestionFields } from "../components/QuestionFields";
import { Heading, Loaded } from "../components/Screen";
import { QuestionTag } from "../components/Tag";
import { OutlineDocument, QuestionWithScheduleDocument, type OutlineQuery } from "../generated/graphql";
import { hasErrors } from "../forms";
import { formatDateTime } from "../format";
import { useLeaveGuard, useQuery, useScreen } from "../hooks";
import { pagePath } from "../outline";
import { href, takeFlash } from "../router";
import { QuestionConfirm, type QuestionAction } from "./question/confirm";
import { QuestionReview } from "./question/review";
import { describeSchedule, ScheduleSection, type LoadedQuestion, type Question } from "./question/schedule";
import { useQuestionEditor } from "./question/useQuestionEditor";

export function QuestionEditor({ id }: { id: string }) {
  const [flash] = useState(takeFlash);
  const loaded = useQuery(
    () => Promise.all([request(QuestionWithScheduleDocument, { id }), request(OutlineDocument)]),
    [id],
  );
  return (
    <Loaded state={loaded} select={([{ question }, outline]) => question && { question, outline }}>
      {({ question, outline }) => <Editor initial={question} initialOutline={outline} flash={flash} />}
    </Loaded>
  );
}

function Editor({
  initial,
  initialOutline,
  flash,
}: {
  initial: LoadedQuestion;
  initialOutline: OutlineQuery;
  flash: string | null;
}) {
  const editor = useQuestionEditor(initial, initialOutline, flash);
  const { q, place, form, errors, conflict, schedule, actions } = editor;
  const confirm = useConfirm<QuestionAction>();
  const [moveTo, setMoveTo] = useState("");
  const can = q.viewerCan;
  useLeaveGuard(editor.dirty || editor.scheduleDirty);
  useScreen("Edit question", hasErrors(errors.errors));

  const otherCategories = place ? place.page.categories.filter((c) => c.id !== q.category.id) : [];
  const backHref = href(place ? pagePath(place.page) : "/");

  return (
    <>
      <a href={backHref} class="govuk-back-link">
        {place ? `Back to ${place.page.title}` : "All pages"}
      </a>
      <FormMessages form={errors} />
      {conflict && (
        <ConflictBanner
          thing="question"
          version={conflict.theirs.version}
          onKeepMine={actions.keepMine}
          onTakeTheirs={actions.takeTheirs}
        >
          <div class="govuk-inset-text" id="their-version">
            <h3 class="govuk-heading-s govuk-!-margin-bottom-1">Question</h3>
            <p class="govuk-body qanda-pre-wrap">{conflict.theirs.question}</p>
            <h3 class="govuk-heading-s govuk-!-margin-bottom-1">Answer</h3>
            <div class="qanda-preview" dangerouslySetInnerHTML={{ __html: conflict.theirs.answerHtml }} />
            {conflict.retry && (
              <>
                <h3 class="govuk-heading-s govuk-!-margin-bottom-1">Schedule</h3>
                <p class="govuk-body">{describeSchedule(conflict.theirs)}</p>
              </>
            )}
          </div>
        </ConflictBanner>
      )}

      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <Heading caption={place ? `${place.page.title}: ${q.category.title}` : q.category.title}>
            Edit question
          </Heading>
          <QuestionSummary q={q} />
          <form
            method="post"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              actions.save();
            }}
          >
            <QuestionFields
              value={form}
              onInput={editor.setField}
              errors={errors.errors}
              slugHint="Changing it breaks links to the old address."
              previewKey={editor.previewKey}
              initialHtml={q.answerHtml}
            />
            <TextInput
              id="note"
              label="Note about this change (optional)"
              hint="Why you made it; kept with the version history."
              value={form.note}
              onInput={(value) => editor.setField("note", value)}
              error={errors.errors.fields.note}
            />
            <div class="govuk-button-group">
              <Button>Save draft</Button>
              {can.publish && (
                <Button type="button" variant="secondary" id="action-publish" onClick={(e) => confirm.ask("publish", e)}>
                  Publish
                </Button>
              )}
              {can.unpublish && (
                <Button type="button" variant="secondary" id="action-unpublish" onClick={(e) => confirm.ask("unpublish", e)}>
                  Unpublish
                </Button>
              )}
              {can.archive && (
                <Button type="button" variant="warning" id="action-archive" onClick={(e) => confirm.ask("archive", e)}>
                  Archive
                </Button>
              )}
              {can.restore && (
                <Button type="button" variant="secondary" onClick={actions.restore}>
                  Restore
                </Button>
              )}
              {can.delete && (
                <Button type="button" variant="warning" id="action-delete" onClick={(e) => confirm.ask("delete", e)}>
                  Delete
                </Button>
              )}
            </div>
          </form>
          {confirm.asking && (
            <QuestionConfirm
              action={confirm.asking}
              q={q}
              place={place}
              unsaved={editor.dirty}
              onPublish={(saveFirst) => {
                confirm.close();
                actions.publish(saveFirst);
              }}
              onUnpublish={() => {
                confirm.close();
                actions.unpublish();
              }}
              onArchive={() => {
                confirm.close();
                actions.archive();
              }}
              onDelete={() => {
                confirm.close();
                actions.delete();
              }}
              onCancel={confirm.cancel}
            />
          )}

          {/* Publishers; an archived question's section says why nothing can be scheduled. */}
          {(can.schedule || can.restore) && (
            <ScheduleSection
              q={{ ...q, ...schedule.saved }}
              form={schedule.form}
              onInput={(group, value) => schedule.setForm({ ...schedule.formRef.current, [group]: value })}
              errors={errors.errors}
              badParts={schedule.badParts}
              onSave={(event) => {
                event.preventDefault();
                actions.saveSchedule();
              }}
              onClear={actions.clearTime}
            />
          )}
          <QuestionReview id={q.id} version={q.version} />
        </div>

        <div class="govuk-grid-column-one-third">
          <h2 class="govuk-heading-s">History</h2>
          <p class="govuk-body">
            <a class="govuk-link" href={href(`/questions/${encodeURIComponent(q.id)}/history`)}>
              Versions and changes
            </a>
          </p>
          {q.publishedQuestion !== null && q.publishedQuestion !== undefined && (
            <p class="govuk-body">
              <a class="govuk-link" href={href(`/questions/${encodeURIComponent(q.id)}/changes`)}>
                What has changed since it was published
              </a>
            </p>
          )}
          {otherCategories.length > 0 && (
            <form
              method="post"
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                actions.move(moveTo, () => setMoveTo(""));
              }}
            >
              <h2 class="govuk-heading-s">Move</h2>
              <Select
                id="category"
                label="Move to category"
                choices={[
                  { value: "", text: "Choose a category" },
                  ...otherCategories.map((c) => ({ value: c.id, text: c.archived ? `${c.title} (archived)` : c.title })),
                ]}
                value={moveTo}
                onChange={setMoveTo}
                error={errors.errors.fields.category}
              />
              <Button variant="secondary">Move</Button>
            </form>
          )}
        </div>
      </div>
    </>
  );
}

/** Status, version and dates; and what the public sees while edits are unpublished. */
function QuestionSummary({ q }: { q: Question }) {
  return (
    <>
      <dl class="govuk-summary-list">
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Status</dt>
          <dd class="govuk-summary-list__value" id="question-status">
            <QuestionTag status={q.status} hasUnpublishedChanges={q.hasUnpublishedChanges} />
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Version</dt>
          <dd class="govuk-summary-list__value" id="question-version">
            {q.version}
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Last saved</dt>
          <dd class="govuk-summary-list__value">{formatDateTime(q.updatedAt)}</dd>
        </div>
        {q.publishedAt && (
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Last published</dt>
            <dd class="govuk-summary-list__value">{formatDateTime(q.publishedAt)}</dd>
          </div>
        )}
      </dl>
      {q.status === "PUBLISHED" && q.hasUnpublishedChanges && q.publishedQuestion !== null && (
        <details class="govuk-details">
          <summary class="govuk-details__summary">
            <span class="govuk-details__summary-text">What the public sees now</span>
          </summary>
          <div class="govuk-details__text">
            <p class="govuk-body govuk-!-font-weight-bold qanda-pre-wrap">{q.publishedQuestion}</p>
            <p class="govuk-body qanda-pre-wrap">{q.publishedAnswer}</p>
          </div>
        </details>
      )}
    </>
  );
}
