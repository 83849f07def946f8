// The question editor's confirmations: before publishing, unpublishing,
// archiving or deleting, what readers will see afterwards.

import type { ComponentChildren } from "preact";
import { ConfirmPanel, WarningText, type ConfirmChoice } from "../../components/ConfirmPanel";
import { formatDateTime } from "../../format";
import type { OutlineCategory, OutlinePage } from "../../outline";
import type { Question } from "./schedule";

export type QuestionAction = "publish" | "unpublish" | "archive" | "delete";

export interface QuestionConfirmProps {
  action: QuestionAction;
  q: Question;
  place: { page: OutlinePage; category: OutlineCategory } | null;
  /** The form differs from the question as last saved. */
  unsaved: boolean;
  /** `saveFirst`: save the form, then publish what was saved. */
  onPublish: (saveFirst: boolean) => void;
  onUnpublish: () => void;
  onArchive: () => void;
  onDelete: () => void;
  onCancel: () => void;
}

export function QuestionConfirm(props: QuestionConfirmProps) {
  const { action, q, place, unsaved, onCancel } = props;
  const body = (choices: ConfirmChoice[], heading: string, children: ComponentChildren) => (
    <ConfirmPanel heading={heading} choices={choices} onCancel={onCancel}>
      {children}
    </ConfirmPanel>
  );
  const published = q.status === "PUBLISHED";
  switch (action) {
    case "publish": {
      const choices: ConfirmChoice[] = unsaved
        ? [
            { text: "Save and publish", onChoose: () => props.onPublish(true) },
            { text: "Publish the last saved version", variant: "secondary", onChoose: () => props.onPublish(false) },
          ]
        : [{ text: "Yes, publish", onChoose: () => props.onPublish(false) }];
      return body(
        choices,
        "Publish this question?",
        <>
          <p class="govuk-body" id="confirm-readers">
            {afterPublishing(q, place)}
          </p>
          {unsaved && (
            <>
              <WarningText>You have changes in the form that are not saved.</WarningText>
              <ul class="govuk-list govuk-list--bullet">
                <li>Save and publish: your changes are saved, and readers see them.</li>
                <li>
                  Publish the last saved version (saved {formatDateTime(q.updatedAt)}): readers do not see your changes.
                  They stay in the form, not saved.
                </li>
              </ul>
            </>
          )}
        </>,
      );
    }
    case "unpublish":
      return body(
        [{ text: "Yes, unpublish", onChoose: props.onUnpublish }],
        "Unpublish this question?",
        <p class="govuk-body" id="confirm-readers">
          Readers will no longer see this question. It stays here as a draft.
        </p>,
      );
    case "archive":
      return body(
        [{ text: "Yes, archive", variant: "warning", onChoose: props.onArchive }],
        "Archive this question?",
        <p class="govuk-body" id="confirm-readers">
          {published
            ? "Readers will no longer see this question. You can restore it later."
            : "Readers do not see this question, and will not while it is archived. You can restore it later."}
        </p>,
      );
    case "delete":
      return body(
        [{ text: "Yes, delete", variant: "warning", onChoose: props.onDelete }],
        "Delete this question?",
        <>
          {/* Only drafts never published and archived questions can be: readers see neither. */}
          <p class="govuk-body" id="confirm-readers">
            This question and its history will be deleted.
          </p>
          <WarningText>This cannot be undone.</WarningText>
        </>,
      );
  }
}

/** What readers get once the question is published, given where it is. */
function afterPublishing(q: Question, place: QuestionConfirmProps["place"]): string {
  if (!place) return "Readers will see this question and answer straight away.";
  const { page, category } = place;
  if (page.status === "RETIRED") {
    return `${page.title} is retired: readers see its retirement notice, not its questions. They will see this question if the page is reinstated.`;
  }
  if (page.status === "DRAFT") {
    return `${page.title} is a draft: readers will see this question and answer once the page is live.`;
  }
  if (category.archived) {
    return `Its category, ${category.title}, is archived: readers will see this question and answer once the category is restored.`;
  }
  return q.status === "PUBLISHED"
    ? `Readers will see the new version of this question and answer on ${page.title} straight away.`
    : `Readers will see this question and answer on ${page.title} straight away.`;
}
