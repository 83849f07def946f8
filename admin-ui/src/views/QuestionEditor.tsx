import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { AnswerPreview } from "../components/AnswerPreview";
import { ConfirmPanel } from "../components/ConfirmPanel";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, Select, TextInput, Textarea } from "../components/Fields";
import { NotificationBanner } from "../components/NotificationBanner";
import { Heading, LoadError, Loading } from "../components/Screen";
import { QuestionTag } from "../components/Tag";
import {
  ArchiveQuestionDocument,
  DeleteQuestionDocument,
  MoveQuestionDocument,
  OutlineDocument,
  PublishQuestionDocument,
  QuestionDocument,
  RestoreQuestionDocument,
  UnpublishQuestionDocument,
  UpdateQuestionDocument,
  type OutlineQuery,
  type QuestionFieldsFragment,
  type UpdateQuestionInput,
} from "../generated/graphql";
import { errorsFrom, hasErrors, localErrors, NO_ERRORS, type FormErrors } from "../forms";
import { formatDateTime } from "../format";
import { useActionQueue, useLeaveGuard, useQuery, useScreen, useSyncedState } from "../hooks";
import { findCategory, pagePath } from "../outline";
import { href, navigate, takeFlash } from "../router";
import { can, type Me } from "../session";

type Question = QuestionFieldsFragment;

const FIELD_IDS = { question: "question", answer: "answer", slug: "slug", note: "note", categoryId: "category" };

export function QuestionEditor({ id, me }: { id: string; me: Me }) {
  const [flash] = useState(takeFlash);
  const loaded = useQuery(
    () => Promise.all([request(QuestionDocument, { id }), request(OutlineDocument)]),
    [id],
  );
  const question = loaded.data?.[0].question;
  const missing = loaded.data !== null && !question;
  useScreen(loaded.error || missing ? "Page not found" : null);

  if (loaded.error) return <LoadError error={loaded.error} />;
  if (missing) return <LoadError error={new ApiError("NOT_FOUND", "No such question.")} />;
  if (!loaded.data || !question) return <Loading />;
  return <Editor initial={question} initialOutline={loaded.data[1]} me={me} flash={flash} />;
}

interface Form {
  question: string;
  answer: string;
  slug: string;
  note: string;
}

function formOf(q: Question): Form {
  return { question: q.question, answer: q.answer, slug: q.slug, note: "" };
}

function isDirty(form: Form, base: Form): boolean {
  return (
    form.question !== base.question ||
    form.answer !== base.answer ||
    form.slug !== base.slug ||
    form.note.trim() !== ""
  );
}

interface Banner {
  text: string;
  key: number;
}

function Editor({
  initial,
  initialOutline,
  me,
  flash,
}: {
  initial: Question;
  initialOutline: OutlineQuery;
  me: Me;
  flash: string | null;
}) {
  // q, form, base and conflict are read by actions through their refs, so
  // that an action queued behind another sees the other's result.
  const [q, qRef, setQ] = useSyncedState(initial);
  const [outline, setOutline] = useState(initialOutline);
  const [form, formRef, setForm] = useSyncedState<Form>(() => formOf(initial));
  /** The working copy as last loaded or saved: what "unsaved edits" are measured against. */
  const [base, baseRef, setBase] = useSyncedState<Form>(() => formOf(initial));
  const [conflict, conflictStateRef, setConflict] = useSyncedState<Question | null>(null);
  const [previewKey, setPreviewKey] = useState(0);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [banner, setBanner] = useState<Banner | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [moveTo, setMoveTo] = useState("");
  const enqueue = useActionQueue();
  const conflictRef = useRef<HTMLDivElement>(null);

  const dirty = isDirty(form, base);
  useLeaveGuard(dirty);
  useScreen("Edit question", hasErrors(errors));

  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  const place = findCategory(outline, q.category.id);
  const otherCategories = place ? place.page.categories.filter((c) => c.id !== q.category.id) : [];
  const mayPublish = can(me, "publish");
  const deletable = q.status === "ARCHIVED" || (q.status === "DRAFT" && q.publishedAt === null);

  function set<K extends keyof Form>(key: K) {
    return (value: Form[K]) => setForm({ ...formRef.current, [key]: value });
  }

  function succeed(text: string) {
    setErrors(NO_ERRORS);
    setBanner({ text, key: Date.now() });
  }

  /** The server's copy replaces the form (after saving, or choosing theirs). */
  function adopt(saved: Question) {
    setQ(saved);
    setForm(formOf(saved));
    setBase(formOf(saved));
    setPreviewKey((n) => n + 1);
  }

  async function fail(error: unknown) {
    if (error instanceof ApiError && error.code === "CONFLICT") {
      const fresh = await request(QuestionDocument, { id: qRef.current.id }).catch(() => null);
      if (fresh?.question) {
        setBanner(null);
        setErrors(NO_ERRORS);
        setConflict(fresh.question);
        return;
      }
    }
    setBanner(null);
    setErrors(errorsFrom(error, FIELD_IDS));
    setAttempt((n) => n + 1);
  }

  /** Actions run one at a time, in order; each reads the state the last one left. */
  function act(action: () => Promise<void>) {
    enqueue(async () => {
      try {
        await action();
      } catch (error) {
        await fail(error);
      }
    });
  }

  async function saveDraft(version: number): Promise<Question> {
    const current = formRef.current;
    const input: UpdateQuestionInput = { question: current.question, answer: current.answer };
    if (current.slug !== baseRef.current.slug) input.slug = current.slug;
    if (current.note.trim() !== "") input.note = current.note.trim();
    const data = await request(UpdateQuestionDocument, { id: qRef.current.id, version, input });
    adopt(data.updateQuestion);
    return data.updateQuestion;
  }

  const onSave = (event?: Event) => {
    event?.preventDefault();
    act(async () => {
      await saveDraft(qRef.current.version);
      setConflict(null);
      succeed("Draft saved");
    });
  };

  const onPublish = () =>
    act(async () => {
      // Publishing publishes what is on the screen: save edits first.
      const version = isDirty(formRef.current, baseRef.current)
        ? (await saveDraft(qRef.current.version)).version
        : qRef.current.version;
      const data = await request(PublishQuestionDocument, { id: qRef.current.id, version });
      adopt(data.publishQuestion);
      succeed("Question published");
    });

  /** Unpublish, archive, restore: the text is untouched, so edits in progress stay in the form. */
  const transition = (run: (id: string, version: number) => Promise<Question>, message: string) =>
    act(async () => {
      const saved = await run(qRef.current.id, qRef.current.version);
      if (isDirty(formRef.current, baseRef.current)) setQ(saved);
      else adopt(saved);
      succeed(message);
    });

  const onUnpublish = () =>
    transition(
      async (id, version) => (await request(UnpublishQuestionDocument, { id, version })).unpublishQuestion,
      "Question unpublished",
    );
  const onArchive = () =>
    transition(
      async (id, version) => (await request(ArchiveQuestionDocument, { id, version })).archiveQuestion,
      "Question archived",
    );
  const onRestore = () =>
    transition(
      async (id, version) => (await request(RestoreQuestionDocument, { id, version })).restoreQuestion,
      "Question restored as a draft",
    );

  const onDelete = () =>
    act(async () => {
      await request(DeleteQuestionDocument, { id: qRef.current.id, version: qRef.current.version });
      setConfirmDelete(false);
      navigate(href(place ? pagePath(place.page) : "/"), { force: true, flash: "Question deleted" });
    });

  const onMove = (event: Event) => {
    event.preventDefault();
    const target = place?.page.categories.find((c) => c.id === moveTo);
    if (!target) {
      setBanner(null);
      setErrors(localErrors([["category", "Select a category to move the question to"]]));
      setAttempt((n) => n + 1);
      return;
    }
    act(async () => {
      const data = await request(MoveQuestionDocument, {
        id: qRef.current.id,
        version: qRef.current.version,
        categoryId: target.id,
        position: target.questions.length + 1,
      });
      setQ(data.moveQuestion);
      setMoveTo("");
      setOutline(await request(OutlineDocument));
      succeed(`Question moved to ${target.title}`);
    });
  };

  const keepMine = () =>
    act(async () => {
      const theirs = conflictStateRef.current;
      if (!theirs) return;
      await saveDraft(theirs.version);
      setConflict(null);
      succeed("Draft saved");
    });

  const takeTheirs = () =>
    act(async () => {
      const theirs = conflictStateRef.current;
      if (!theirs) return;
      adopt(theirs);
      setConflict(null);
      succeed("Your changes were discarded. You are now editing the latest version.");
    });

  const backHref = href(place ? pagePath(place.page) : "/");

  return (
    <>
      <a href={backHref} class="govuk-back-link">
        {place ? `Back to ${place.page.title}` : "All pages"}
      </a>
      {flash && !banner && <NotificationBanner heading={flash} autoFocus={false} />}
      {banner && <NotificationBanner key={banner.key} heading={banner.text} />}
      <ErrorSummary key={attempt} items={errors.items} />
      {conflict && (
        <div
          class="govuk-notification-banner"
          role="region"
          aria-labelledby="conflict-title"
          id="conflict"
          tabindex={-1}
          ref={conflictRef}
        >
          <div class="govuk-notification-banner__header">
            <h2 class="govuk-notification-banner__title" id="conflict-title">
              Important
            </h2>
          </div>
          <div class="govuk-notification-banner__content">
            <p class="govuk-notification-banner__heading">
              Someone else saved version {conflict.version} of this question while you were editing it.
            </p>
            <p class="govuk-body">
              Your changes have not been saved, and are still in the form below. This is what they saved:
            </p>
            <div class="govuk-inset-text" id="their-version">
              <h3 class="govuk-heading-s govuk-!-margin-bottom-1">Question</h3>
              <p class="govuk-body qanda-pre-wrap">{conflict.question}</p>
              <h3 class="govuk-heading-s govuk-!-margin-bottom-1">Answer</h3>
              <div class="qanda-preview" dangerouslySetInnerHTML={{ __html: conflict.answerHtml }} />
            </div>
            <div class="govuk-button-group">
              <Button type="button" onClick={keepMine}>
                Keep my changes
              </Button>
              <Button type="button" variant="secondary" onClick={takeTheirs}>
                Use their version
              </Button>
            </div>
          </div>
        </div>
      )}
      {confirmDelete && (
        <ConfirmPanel
          title="Are you sure you want to delete this question?"
          confirmText="Yes, delete this question"
          onConfirm={onDelete}
          onCancel={() => setConfirmDelete(false)}
        >
          <p class="govuk-body">It will be removed with its history. You cannot undo this.</p>
        </ConfirmPanel>
      )}

      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <Heading caption={place ? `${place.page.title}: ${q.category.title}` : q.category.title}>
            Edit question
          </Heading>

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

          <form method="post" noValidate onSubmit={onSave}>
            <TextInput
              id="question"
              label="Question"
              hint="Plain text, up to 500 characters."
              value={form.question}
              onInput={set("question")}
              error={errors.fields.question}
            />
            <Textarea
              id="answer"
              label="Answer"
              hint="Markdown: a blank line starts a new paragraph, * starts a bullet, [text](https://…) makes a link."
              rows={12}
              value={form.answer}
              onInput={set("answer")}
              error={errors.fields.answer}
            />
            <AnswerPreview key={previewKey} markdown={form.answer} initialHtml={q.answerHtml} />
            <TextInput
              id="slug"
              label="Address of this question on the page (optional)"
              hint="Lower-case letters, numbers and hyphens. Changing it breaks links to the old address."
              widthClass="govuk-!-width-two-thirds"
              spellcheck={false}
              value={form.slug}
              onInput={set("slug")}
              error={errors.fields.slug}
            />
            <TextInput
              id="note"
              label="Note about this change (optional)"
              hint="Why you made it; kept with the version history."
              value={form.note}
              onInput={set("note")}
              error={errors.fields.note}
            />
            <div class="govuk-button-group">
              <Button>Save draft</Button>
              {mayPublish && q.status !== "ARCHIVED" && (
                <Button type="button" variant="secondary" onClick={onPublish}>
                  Publish
                </Button>
              )}
              {mayPublish && q.status === "PUBLISHED" && (
                <Button type="button" variant="secondary" onClick={onUnpublish}>
                  Unpublish
                </Button>
              )}
              {mayPublish && q.status !== "ARCHIVED" && (
                <Button type="button" variant="secondary" onClick={onArchive}>
                  Archive
                </Button>
              )}
              {mayPublish && q.status === "ARCHIVED" && (
                <Button type="button" variant="secondary" onClick={onRestore}>
                  Restore
                </Button>
              )}
              {mayPublish && deletable && !confirmDelete && (
                <Button type="button" variant="warning" onClick={() => setConfirmDelete(true)}>
                  Delete
                </Button>
              )}
            </div>
          </form>
        </div>

        <div class="govuk-grid-column-one-third">
          <h2 class="govuk-heading-s">History</h2>
          <p class="govuk-body">
            <a class="govuk-link" href={href(`/questions/${encodeURIComponent(q.id)}/history`)}>
              Versions and changes
            </a>
          </p>
          {otherCategories.length > 0 && (
            <form method="post" noValidate onSubmit={onMove}>
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
                error={errors.fields.category}
              />
              <Button variant="secondary">Move</Button>
            </form>
          )}
        </div>
      </div>
    </>
  );
}
