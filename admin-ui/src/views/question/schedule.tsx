// A question's schedule: when a draft publishes itself (or a published
// question's saved changes replace what readers see) and when the question
// leaves the public page. Its form state, and the section of the editor that
// shows it (see datetime.ts for how dates are typed and read).

import { useState } from "preact/hooks";
import { DateTimeInput } from "../../components/DateTimeInput";
import { Button } from "../../components/Fields";
import type { QuestionFieldsFragment, QuestionScheduleFragment } from "../../generated/graphql";
import { localErrors, type FormErrors } from "../../forms";
import {
  groupError,
  parseWhen,
  problemInput,
  sameWhen,
  timeZoneName,
  whenOf,
  type Part,
  type When,
} from "../../datetime";
import { formatDateTime } from "../../format";
import { useSyncedState } from "../../hooks";

export type Question = QuestionFieldsFragment;
export type Schedule = QuestionScheduleFragment;
/** A question as the editor loads it: with its schedule. */
export type LoadedQuestion = Question & Schedule;

export type Group = "publish" | "expire";
export type ScheduleForm = Record<Group, When>;

export const GROUPS: Record<Group, { legend: string; field: keyof Schedule }> = {
  publish: { legend: "Publish on", field: "publishAt" },
  expire: { legend: "Remove from the page on", field: "expireAt" },
};

export function scheduleOf(q: Schedule): Schedule {
  return { publishAt: q.publishAt, expireAt: q.expireAt };
}

export function scheduleFormOf(s: Schedule): ScheduleForm {
  return { publish: whenOf(s.publishAt), expire: whenOf(s.expireAt) };
}

/**
 * True when the question can be given a publish time: a draft, or a
 * published question with saved changes readers do not see yet (or one
 * already scheduled, so that it can be cleared). The API refuses it otherwise.
 */
export function offersPublishTime(q: Question, publishAt: string | null): boolean {
  return q.status === "DRAFT" || (q.status === "PUBLISHED" && (q.hasUnpublishedChanges || publishAt !== null));
}

function publishRow(q: Question & Schedule): string | null {
  if (!q.publishAt) return null;
  if (q.status === "DRAFT") return `Publishes on ${formatDateTime(q.publishAt)}`;
  if (q.status === "PUBLISHED") return `These changes will be published at ${formatDateTime(q.publishAt)}`;
  return null;
}

function expireRow(q: Question & Schedule): string | null {
  return q.status !== "ARCHIVED" && q.expireAt ? `Removed from the page on ${formatDateTime(q.expireAt)}` : null;
}

/** For the conflict panel: their schedule in a sentence or two. */
export function describeSchedule(q: LoadedQuestion): string {
  const lines = [publishRow(q), expireRow(q)].filter((line) => line !== null);
  return lines.length > 0 ? `${lines.join(". ")}.` : "Nothing is scheduled.";
}

/** The schedule as last loaded or saved, the form to change it, and what a check found wrong in the form. */
export function useScheduleState(initial: Schedule) {
  const [saved, savedRef, setSaved] = useSyncedState<Schedule>(() => scheduleOf(initial));
  const [form, formRef, setForm] = useSyncedState<ScheduleForm>(() => scheduleFormOf(initial));
  /** Which parts of a date group a client-side check found wrong; absent: all of them. */
  const [badParts, setBadParts] = useState<Partial<Record<Group, Part[]>>>({});

  /**
   * A newer schedule from the server. Dates typed but not saved stay in the
   * form when `keepEdits`; the groups left alone show the new times.
   */
  function take(next: Schedule, keepEdits: boolean) {
    const before = scheduleFormOf(savedRef.current);
    const typed = formRef.current;
    const after = scheduleFormOf(next);
    const keep = (group: Group) => keepEdits && !sameWhen(typed[group], before[group]);
    setSaved(scheduleOf(next));
    setForm({
      publish: keep("publish") ? typed.publish : after.publish,
      expire: keep("expire") ? typed.expire : after.expire,
    });
  }

  /** True when the form differs from the saved schedule (in the groups shown: the publish time when `withPublish`). */
  function dirty(withPublish: boolean): boolean {
    const savedForm = scheduleFormOf(saved);
    return (
      (withPublish && !sameWhen(form.publish, savedForm.publish)) || !sameWhen(form.expire, savedForm.expire)
    );
  }

  /** The form as UTC times, or the errors to show (the publish group only `withPublish`). */
  function read(withPublish: boolean): Schedule | FormErrors {
    const typed = formRef.current;
    const problems: Array<[id: string, message: string]> = [];
    const parts: Partial<Record<Group, Part[]>> = {};
    const result: Schedule = { publishAt: null, expireAt: null };
    for (const group of ["publish", "expire"] as const) {
      if (group === "publish" && !withPublish) continue;
      const parsed = parseWhen(GROUPS[group].legend, typed[group]);
      if ("message" in parsed) {
        problems.push([problemInput(group, parsed.parts), parsed.message]);
        parts[group] = parsed.parts;
      } else {
        result[GROUPS[group].field] = parsed.iso;
      }
    }
    setBadParts(parts);
    return problems.length > 0 ? localErrors(problems) : result;
  }

  return { saved, savedRef, form, formRef, setForm, badParts, setBadParts, take, dirty, read };
}

/**
 * Publishers: when a draft publishes itself, or a published question's saved
 * changes are published ("Schedule these changes"), and when the question
 * leaves the public page (it is archived then). What is scheduled, each with "Clear",
 * and a form to change either; a group left empty clears that time.
 */
export function ScheduleSection({
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
  const withPublish = offersPublishTime(q, q.publishAt);
  const changes = !draft && withPublish;
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
              : changes
                ? "Schedule these changes: readers see the published version until the time you set and the changes from then on. Whatever is saved at that time is published, including later saves. You can also take the question off the public page at a set time (it is archived then)."
                : "Take this question off the public page at a set time (it is archived then). Once you save changes to it, you can schedule them here."}{" "}
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
            {withPublish && (
              <DateTimeInput
                id="publish"
                legend={changes ? "Publish these changes on" : GROUPS.publish.legend}
                hint={`For example, 27 3 ${exampleYear} and 09:00 (24-hour clock). Leave empty to publish ${changes ? "them" : "it"} yourself.`}
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
            <Button variant="secondary">{changes ? "Schedule these changes" : "Save schedule"}</Button>
          </form>
        </>
      )}
    </div>
  );
}
