// The question editor's state and actions. Actions run one at a time, in
// order, and read state through refs, so that an action queued behind
// another (a click on Publish while a save is on its way) sees its result.

import { useRef, useState } from "preact/hooks";
import { request } from "../../api";
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
  type UpdateQuestionInput,
} from "../../generated/graphql";
import { errorsFrom, localErrors, useSubmit, type FieldIds } from "../../forms";
import { EMPTY_WHEN } from "../../datetime";
import { useSyncedState } from "../../hooks";
import { findCategory, pagePath } from "../../outline";
import { href, navigate } from "../../router";
import { FIELD_IDS, formOf, isDirty, type Form, type Retry } from "./form";
import { offersPublishTime, useScheduleState, type Group, type LoadedQuestion, type Question, type Schedule } from "./schedule";

export function useQuestionEditor(initial: LoadedQuestion, initialOutline: OutlineQuery, flash: string | null) {
  const [q, qRef, setQ] = useSyncedState<Question>(initial);
  const [outline, setOutline] = useState(initialOutline);
  const [form, formRef, setForm] = useSyncedState<Form>(() => formOf(initial));
  /** The working copy as last loaded or saved: what "unsaved edits" are measured against. */
  const [base, baseRef, setBase] = useSyncedState<Form>(() => formOf(initial));
  const schedule = useScheduleState(initial);
  const [previewKey, setPreviewKey] = useState(0);
  /** What "Keep my changes" does after the conflict the last action met. */
  const retryRef = useRef<Retry | null>(null);
  const errors = useSubmit<LoadedQuestion>({
    flash,
    // One after another, in the order asked for (see the top of this file).
    queue: true,
    // Their version shows in the conflict banner, their schedule in its section.
    offerChoice: true,
    reload: async () => {
      const fresh = (await request(QuestionWithScheduleDocument, { id: qRef.current.id })).question;
      if (fresh) schedule.take(fresh, true);
      return fresh;
    },
  });
  const place = findCategory(outline, q.category.id);
  const succeed = errors.succeed;

  /** The server's copy replaces the form (after saving, or choosing theirs). */
  function adopt(saved: Question) {
    setQ(saved);
    setForm(formOf(saved));
    setBase(formOf(saved));
    setPreviewKey((n) => n + 1);
  }

  /** The text is untouched by this change: edits in progress stay in the form. */
  function adoptKeepingEdits(saved: Question) {
    if (isDirty(formRef.current, baseRef.current)) setQ(saved);
    else adopt(saved);
  }

  /** API field → input id; the schedule's only while its inputs are on the screen. */
  function fieldIds(): FieldIds {
    const current = qRef.current;
    if (!current.viewerCan.schedule) return FIELD_IDS;
    return offersPublishTime(current, schedule.savedRef.current.publishAt)
      ? { ...FIELD_IDS, publishAt: "publish-day", expireAt: "expire-day" }
      : { ...FIELD_IDS, expireAt: "expire-day" };
  }

  /** `retry` is what "Keep my changes" does if this action meets a conflict. */
  function act(action: () => Promise<void>, retry: Retry | null = null) {
    void errors.submit(
      async () => {
        retryRef.current = retry;
        await action();
      },
      { explain: (error) => errorsFrom(error, fieldIds()) },
    );
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

  const transition = (run: (id: string, version: number) => Promise<Question>, message: string) =>
    act(async () => {
      adoptKeepingEdits(await run(qRef.current.id, qRef.current.version));
      succeed(message);
    });

  /** Sets both times; a publish time only where one is offered (the API refuses one otherwise). */
  async function sendSchedule(version: number, publishAt: string | null, expireAt: string | null) {
    const withPublish = offersPublishTime(qRef.current, schedule.savedRef.current.publishAt);
    const data = await request(ScheduleQuestionDocument, {
      id: qRef.current.id,
      version,
      publishAt: withPublish ? publishAt : null,
      expireAt,
    });
    adoptKeepingEdits(data.scheduleQuestion);
    return data.scheduleQuestion;
  }

  /** The schedule form as UTC times, or null after showing what is wrong with it. */
  function readSchedule(): Schedule | null {
    const read = schedule.read(offersPublishTime(qRef.current, schedule.savedRef.current.publishAt));
    if ("items" in read) {
      errors.show(read);
      return null;
    }
    return read;
  }

  async function saveSchedule(version: number) {
    const wanted = readSchedule();
    if (!wanted) return;
    schedule.take(await sendSchedule(version, wanted.publishAt, wanted.expireAt), false);
    succeed("Schedule saved");
  }

  /** Clears one time and keeps the other as saved. */
  async function clearTime(group: Group, version: number) {
    const current = schedule.savedRef.current;
    const saved = await sendSchedule(
      version,
      group === "publish" ? null : current.publishAt,
      group === "expire" ? null : current.expireAt,
    );
    schedule.take(saved, true);
    schedule.setForm({ ...schedule.formRef.current, [group]: EMPTY_WHEN });
    succeed("Schedule saved");
  }

  const actions = {
    save: () =>
      act(async () => {
        await saveDraft(qRef.current.version);
        succeed("Draft saved");
      }),
    /**
     * `saveFirst`: save the form's edits, then publish them. Otherwise the
     * last saved version is published and edits stay in the form, unsaved:
     * the confirmation asks which (never saved silently).
     */
    publish: (saveFirst: boolean) =>
      act(async () => {
        if (saveFirst && isDirty(formRef.current, baseRef.current)) {
          const version = (await saveDraft(qRef.current.version)).version;
          adopt((await request(PublishQuestionDocument, { id: qRef.current.id, version })).publishQuestion);
        } else {
          const data = await request(PublishQuestionDocument, { id: qRef.current.id, version: qRef.current.version });
          adoptKeepingEdits(data.publishQuestion);
        }
        succeed("Question published");
      }),
    unpublish: () =>
      transition(
        async (id, version) => (await request(UnpublishQuestionDocument, { id, version })).unpublishQuestion,
        "Question unpublished",
      ),
    archive: () =>
      transition(
        async (id, version) => (await request(ArchiveQuestionDocument, { id, version })).archiveQuestion,
        "Question archived",
      ),
    restore: () =>
      transition(
        async (id, version) => (await request(RestoreQuestionDocument, { id, version })).restoreQuestion,
        "Question restored as a draft",
      ),
    delete: () =>
      act(async () => {
        await request(DeleteQuestionDocument, { id: qRef.current.id, version: qRef.current.version });
        navigate(href(place ? pagePath(place.page) : "/"), { force: true, flash: "Question deleted" });
      }),
    /** `moved` runs once the question is in its new category. */
    move: (categoryId: string, moved: () => void) => {
      const target = place?.page.categories.find((c) => c.id === categoryId);
      if (!target) {
        errors.show(localErrors([["category", "Select a category to move the question to"]]));
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
        moved();
        setOutline(await request(OutlineDocument));
        succeed(`Question moved to ${target.title}`);
      });
    },
    saveSchedule: () => {
      // Checked now, so that mistakes show at once; read again when the save runs.
      if (readSchedule()) act(() => saveSchedule(qRef.current.version), saveSchedule);
    },
    clearTime: (group: Group) => {
      const retry = (version: number) => clearTime(group, version);
      act(() => retry(qRef.current.version), retry);
    },
    keepMine: () => {
      const theirs = errors.conflict;
      const retry = retryRef.current;
      if (!theirs) return;
      act(async () => {
        if (retry) return retry(theirs.version);
        await saveDraft(theirs.version);
        succeed("Draft saved");
      }, retry);
    },
    takeTheirs: () => {
      const theirs = errors.conflict;
      if (!theirs) return;
      act(async () => {
        adopt(theirs);
        schedule.take(theirs, false);
        schedule.setBadParts({});
        succeed("Your changes were discarded. You are now editing the latest version.");
      });
    },
  };

  const setField = <K extends keyof Form>(key: K, value: Form[K]) => setForm({ ...formRef.current, [key]: value });
  const dirty = isDirty(form, base);
  const scheduleDirty = q.viewerCan.schedule && schedule.dirty(offersPublishTime(q, schedule.saved.publishAt));
  const conflict = errors.conflict && { theirs: errors.conflict, retry: retryRef.current };
  return { q, place, form, setField, dirty, scheduleDirty, conflict, schedule, previewKey, errors, actions };
}
