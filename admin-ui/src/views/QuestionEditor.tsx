import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { AnswerPreview } from "../components/AnswerPreview";
import { ConfirmPanel } from "../components/ConfirmPanel";
import { DateTimeInput } from "../components/DateTimeInput";
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
  QuestionWithScheduleDocument,
  RestoreQuestionDocument,
  ScheduleQuestionDocument,
  UnpublishQuestionDocument,
  UpdateQuestionDocument,
  type OutlineQuery,
  type QuestionFieldsFragment,
  type QuestionScheduleFragment,
  type UpdateQuestionInput,
} from "../generated/graphql";
import { errorsFrom, hasErrors, localErrors, NO_ERRORS, type FieldIds, type FormErrors } from "../forms";
import {
  EMPTY_WHEN,
  groupError,
  parseWhen,
  problemInput,
  sameWhen,
  timeZoneName,
  whenOf,
  type Part,
  type When,
} from "../datetime";
import { formatDateTime } from "../format";
import { useActionQueue, useLeaveGuard, useQuery, useScreen, useSyncedState } from "../hooks";
import { findCategory, pagePath } from "../outline";
import { href, navigate, takeFlash } from "../router";
import { can, type Me } from "../session";

type Question = QuestionFieldsFragment;
/** When a draft publishes itself and when the question leaves the public page. */
type Schedule = QuestionScheduleFragment;
/** A question as the editor loads it: with its schedule. */
type LoadedQuestion = Question & Schedule;

const FIELD_IDS = { question: "question", answer: "answer", slug: "slug", note: "note", categoryId: "category" };

export function QuestionEditor({ id, me }: { id: string; me: Me }) {
  const [flash] = useState(takeFlash);
  const loaded = useQuery(
    () => Promise.all([request(QuestionWithScheduleDocument, { id }), request(OutlineDocument)]),
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

/**
 * Saves again at the other person's version, for "Keep my changes" after a
 * conflict; null for the text form (the draft is saved).
 */
type Retry = (version: number) => Promise<void>;

interface Conflict {
  theirs: LoadedQuestion;
  retry: Retry | null;
}

// The schedule: a date and a time for each of publish and expire (see
// datetime.ts for how they are typed and read).

type Group = "publish" | "expire";
type ScheduleForm = Record<Group, When>;

const GROUPS: Record<Group, { legend: string; field: keyof Schedule }> = {
  publish: { legend: "Publish on", field: "publishAt" },
  expire: { legend: "Remove from the page on", field: "expireAt" },
};

function scheduleOf(q: Schedule): Schedule {
  return { publishAt: q.publishAt, expireAt: q.expireAt };
}

function scheduleFormOf(s: Schedule): ScheduleForm {
  return { publish: whenOf(s.publishAt), expire: whenOf(s.expireAt) };
}

function publishRow(q: Question & Schedule): string | null {
  return q.status === "DRAFT" && q.publishAt ? `Publishes on ${formatDateTime(q.publishAt)}` : null;
}

function expireRow(q: Question & Schedule): string | null {
  return q.status !== "ARCHIVED" && q.expireAt ? `Removed from the page on ${formatDateTime(q.expireAt)}` : null;
}

/** For the conflict panel: their schedule in a sentence or two. */
function describeSchedule(q: LoadedQuestion): string {
  const lines = [publishRow(q), expireRow(q)].filter((line) => line !== null);
  return lines.length > 0 ? `${lines.join(". ")}.` : "Nothing is scheduled.";
}

function Editor({
  initial,
  initialOutline,
  me,
  flash,
}: {
  initial: LoadedQuestion;
  initialOutline: OutlineQuery;
  me: Me;
  flash: string | null;
}) {
  // q, form, base and conflict are read by actions through their refs, so
  // that an action queued behind another sees the other's result.
  const [q, qRef, setQ] = useSyncedState<Question>(initial);
  const [outline, setOutline] = useState(initialOutline);
  const [form, formRef, setForm] = useSyncedState<Form>(() => formOf(initial));
  /** The working copy as last loaded or saved: what "unsaved edits" are measured against. */
  const [base, baseRef, setBase] = useSyncedState<Form>(() => formOf(initial));
  const [conflict, conflictStateRef, setConflict] = useSyncedState<Conflict | null>(null);
  /** The schedule as last loaded or saved, and the schedule form (publishers). */
  const [schedule, scheduleRef, setSchedule] = useSyncedState<Schedule>(() => scheduleOf(initial));
  const [scheduleForm, scheduleFormRef, setScheduleForm] = useSyncedState<ScheduleForm>(() =>
    scheduleFormOf(initial),
  );
  /** Which parts of a date group a client-side check found wrong; absent: all of them. */
  const [badParts, setBadParts] = useState<Partial<Record<Group, Part[]>>>({});
  const [previewKey, setPreviewKey] = useState(0);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [banner, setBanner] = useState<Banner | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [moveTo, setMoveTo] = useState("");
  const enqueue = useActionQueue();
  const conflictRef = useRef<HTMLDivElement>(null);

  const mayPublish = can(me, "publish");
  const dirty = isDirty(form, base);
  const savedForm = scheduleFormOf(schedule);
  const scheduleDirty =
    mayPublish &&
    q.status !== "ARCHIVED" &&
    ((q.status === "DRAFT" && !sameWhen(scheduleForm.publish, savedForm.publish)) ||
      !sameWhen(scheduleForm.expire, savedForm.expire));
  useLeaveGuard(dirty || scheduleDirty);
  useScreen("Edit question", hasErrors(errors));

  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  const place = findCategory(outline, q.category.id);
  const otherCategories = place ? place.page.categories.filter((c) => c.id !== q.category.id) : [];
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

  /**
   * A newer schedule from the server. Dates typed but not saved stay in the
   * form when `keepEdits`; the groups left alone show the new times.
   */
  function takeSchedule(next: Schedule, keepEdits: boolean) {
    const before = scheduleFormOf(scheduleRef.current);
    const typed = scheduleFormRef.current;
    const after = scheduleFormOf(next);
    const keep = (group: Group) => keepEdits && !sameWhen(typed[group], before[group]);
    setSchedule(scheduleOf(next));
    setScheduleForm({
      publish: keep("publish") ? typed.publish : after.publish,
      expire: keep("expire") ? typed.expire : after.expire,
    });
  }

  /** API field → input id; the schedule's only while its inputs are on the screen. */
  function fieldIds(): FieldIds {
    const status = qRef.current.status;
    if (!mayPublish || status === "ARCHIVED") return FIELD_IDS;
    return status === "DRAFT"
      ? { ...FIELD_IDS, publishAt: "publish-day", expireAt: "expire-day" }
      : { ...FIELD_IDS, expireAt: "expire-day" };
  }

  async function fail(error: unknown, retry: Retry | null) {
    if (error instanceof ApiError && error.code === "CONFLICT") {
      const fresh = await request(QuestionWithScheduleDocument, { id: qRef.current.id }).catch(() => null);
      if (fresh?.question) {
        setBanner(null);
        setErrors(NO_ERRORS);
        takeSchedule(fresh.question, true);
        setConflict({ theirs: fresh.question, retry });
        return;
      }
    }
    setBanner(null);
    setErrors(errorsFrom(error, fieldIds()));
    setAttempt((n) => n + 1);
  }

  /**
   * Actions run one at a time, in order; each reads the state the last one
   * left. `retry` is what "Keep my changes" does if this one meets a conflict.
   */
  function act(action: () => Promise<void>, retry: Retry | null = null) {
    enqueue(async () => {
      try {
        await action();
      } catch (error) {
        await fail(error, retry);
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

  /** Sets both times; the text is untouched, so edits in progress stay in the form. */
  async function sendSchedule(version: number, publishAt: string | null, expireAt: string | null) {
    const data = await request(ScheduleQuestionDocument, {
      id: qRef.current.id,
      version,
      // Only a draft can be scheduled for publishing.
      publishAt: qRef.current.status === "DRAFT" ? publishAt : null,
      expireAt,
    });
    const saved = data.scheduleQuestion;
    if (isDirty(formRef.current, baseRef.current)) setQ(saved);
    else adopt(saved);
    return saved;
  }

  /** The schedule form as UTC times, or null after showing what is wrong with it. */
  function readSchedule(): Schedule | null {
    const typed = scheduleFormRef.current;
    const draft = qRef.current.status === "DRAFT";
    const problems: Array<[id: string, message: string]> = [];
    const parts: Partial<Record<Group, Part[]>> = {};
    const result: Schedule = { publishAt: null, expireAt: null };
    for (const group of ["publish", "expire"] as const) {
      if (group === "publish" && !draft) continue;
      const parsed = parseWhen(GROUPS[group].legend, typed[group]);
      if ("message" in parsed) {
        problems.push([problemInput(group, parsed.parts), parsed.message]);
        parts[group] = parsed.parts;
      } else {
        result[GROUPS[group].field] = parsed.iso;
      }
    }
    setBadParts(parts);
    if (problems.length > 0) {
      setBanner(null);
      setErrors(localErrors(problems));
      setAttempt((n) => n + 1);
      return null;
    }
    return result;
  }

  async function saveSchedule(version: number) {
    const wanted = readSchedule();
    if (!wanted) return;
    const saved = await sendSchedule(version, wanted.publishAt, wanted.expireAt);
    takeSchedule(saved, false);
    setConflict(null);
    succeed("Schedule saved");
  }

  const onSaveSchedule = (event: Event) => {
    event.preventDefault();
    // Checked now, so that mistakes show at once; read again when the save runs.
    if (!readSchedule()) return;
    act(() => saveSchedule(qRef.current.version), saveSchedule);
  };

  /** Clears one time and keeps the other as saved. */
  async function clearTime(group: Group, version: number) {
    const current = scheduleRef.current;
    const saved = await sendSchedule(
      version,
      group === "publish" ? null : current.publishAt,
      group === "expire" ? null : current.expireAt,
    );
    takeSchedule(saved, true);
    setScheduleForm({ ...scheduleFormRef.current, [group]: EMPTY_WHEN });
    setConflict(null);
    succeed("Schedule saved");
  }

  const onClear = (group: Group) => {
    const retry = (version: number) => clearTime(group, version);
    act(() => retry(qRef.current.version), retry);
  };

  const keepMine = () => {
    const retry = conflictStateRef.current?.retry ?? null;
    act(async () => {
      const theirs = conflictStateRef.current?.theirs;
      if (!theirs) return;
      if (retry) {
        await retry(theirs.version);
        return;
      }
      await saveDraft(theirs.version);
      setConflict(null);
      succeed("Draft saved");
    }, retry);
  };

  const takeTheirs = () =>
    act(async () => {
      const theirs = conflictStateRef.current?.theirs;
      if (!theirs) return;
      adopt(theirs);
      takeSchedule(theirs, false);
      setBadParts({});
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
              Someone else saved version {conflict.theirs.version} of this question while you were editing it.
            </p>
            <p class="govuk-body">
              Your changes have not been saved, and are still in the form below. This is what they saved:
            </p>
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

          {mayPublish && (
            <ScheduleSection
              q={{ ...q, ...schedule }}
              form={scheduleForm}
              onInput={(group, value) => setScheduleForm({ ...scheduleFormRef.current, [group]: value })}
              errors={errors}
              badParts={badParts}
              onSave={onSaveSchedule}
              onClear={onClear}
            />
          )}
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

/**
 * Publishers: when a draft publishes itself and when the question leaves the
 * public page (it is archived then). What is scheduled, each with "Clear",
 * and a form to change either; a group left empty clears that time.
 */
function ScheduleSection({
  q,
  form,
  onInput,
  errors,
  badParts,
  onSave,
  onClear,
}: {
  q: LoadedQuestion;
  form: ScheduleForm;
  onInput: (group: Group, value: When) => void;
  errors: FormErrors;
  badParts: Partial<Record<Group, Part[]>>;
  onSave: (event: Event) => void;
  onClear: (group: Group) => void;
}) {
  const draft = q.status === "DRAFT";
  const zone = timeZoneName();
  const exampleYear = new Date().getFullYear() + 1;
  const errorOf = (group: Group) => groupError(errors, group);
  const rows: Array<{ group: Group; key: string; text: string; clear: string }> = [];
  const publishing = publishRow(q);
  const removal = expireRow(q);
  if (publishing) rows.push({ group: "publish", key: "Publishing", text: publishing, clear: " the publish time" });
  if (removal) rows.push({ group: "expire", key: "Removal", text: removal, clear: " the removal time" });

  return (
    <div id="schedule">
      <hr class="govuk-section-break govuk-section-break--l govuk-section-break--visible" />
      <h2 class="govuk-heading-m" id="schedule-heading">
        Schedule
      </h2>
      {q.status === "ARCHIVED" ? (
        <p class="govuk-body" id="schedule-none">
          Archived questions are not on the public page, so nothing can be scheduled. Restore the question to schedule
          it.
        </p>
      ) : (
        <>
          <p class="govuk-body">
            {draft
              ? "Publish this draft by itself at a set time, or take the question off the public page at a set time (it is archived then)."
              : "Take this question off the public page at a set time (it is archived then)."}{" "}
            Times are in your time zone{zone ? ` (${zone})` : ""}.
          </p>
          {rows.length > 0 ? (
            <dl class="govuk-summary-list" id="schedule-summary">
              {rows.map((row) => (
                <div class="govuk-summary-list__row" key={row.group}>
                  <dt class="govuk-summary-list__key">{row.key}</dt>
                  <dd class="govuk-summary-list__value" id={`scheduled-${row.group}`}>
                    {row.text}
                  </dd>
                  <dd class="govuk-summary-list__actions">
                    <Button
                      type="button"
                      variant="secondary"
                      extraClass="govuk-!-margin-bottom-0"
                      id={`clear-${row.group}`}
                      onClick={() => onClear(row.group)}
                    >
                      Clear<span class="govuk-visually-hidden">{row.clear}</span>
                    </Button>
                  </dd>
                </div>
              ))}
            </dl>
          ) : (
            <p class="govuk-body" id="schedule-none">
              Nothing is scheduled.
            </p>
          )}
          <form method="post" noValidate onSubmit={onSave}>
            {draft && (
              <DateTimeInput
                id="publish"
                legend={GROUPS.publish.legend}
                hint={`For example, 27 3 ${exampleYear} and 09:00 (24-hour clock). Leave empty to publish it yourself.`}
                value={form.publish}
                onInput={(value) => onInput("publish", value)}
                error={errorOf("publish")}
                badParts={badParts.publish}
              />
            )}
            <DateTimeInput
              id="expire"
              legend={GROUPS.expire.legend}
              hint={`For example, 27 3 ${exampleYear} and 17:30 (24-hour clock). Leave empty to keep it on the page.`}
              value={form.expire}
              onInput={(value) => onInput("expire", value)}
              error={errorOf("expire")}
              badParts={badParts.expire}
            />
            <Button variant="secondary">Save schedule</Button>
          </form>
        </>
      )}
    </div>
  );
}
