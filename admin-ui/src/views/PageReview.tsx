// "Review and publish": every unpublished change on a page, each with what
// readers see now against what they would see, and a checkbox. Publishers
// publish the ticked ones together, all or none; if any changed after the
// screen was loaded, nothing is published and the error names it.

import { useEffect, useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { ConfirmPanel, useConfirm } from "../components/ConfirmPanel";
import { DIFF_KEY, Diff } from "../components/Diff";
import { Button, Textarea } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { Heading, Loaded } from "../components/Screen";
import { When } from "../components/When";
import { PageReviewDocument, PublishChangesDocument, type PageReviewQuery } from "../generated/graphql";
import { field, hasErrors, localErrors, useSubmit, type SubmitState } from "../forms";
import { plural } from "../format";
import { useQuery, useScreen } from "../hooks";
import { href } from "../router";

type Shown = NonNullable<PageReviewQuery["page"]>;
type Change = Shown["unpublishedChanges"][number];

/** An item's key on this screen: its kind and id. */
const keyOf = (change: Change) => `${change.kind}:${change.id}`;

export function PageReview({ slug }: { slug: string }) {
  const review = useQuery(() => request(PageReviewDocument, { slug }), [slug]);
  const form = useSubmit({ ids: { changeNote: "change-note", items: "changes" } });
  // Kept here, above the loaded screen, so that a reload keeps what was unticked.
  const choice = useState<Set<string>>(new Set());
  const noteState = useState("");
  useScreen(review.data?.page ? "Review and publish" : null, hasErrors(form.errors));
  return (
    <Loaded state={review} select={(data) => data.page}>
      {(page) => <ReviewScreen page={page} form={form} reload={review.reload} choice={choice} note={noteState} />}
    </Loaded>
  );
}

function ReviewScreen({
  page,
  form,
  reload,
  choice: [unticked, setUnticked],
  note: [note, setNote],
}: {
  page: Shown;
  form: SubmitState<never>;
  reload: () => Promise<unknown>;
  /** The keys of the changes the publisher unticked: everything is ticked at first. */
  choice: [Set<string>, (next: Set<string> | ((before: Set<string>) => Set<string>)) => void];
  note: [string, (next: string) => void];
}) {
  const changes = page.unpublishedChanges;
  const mayPublish = page.viewerCan.publish;
  const confirm = useConfirm<"publish">();
  const chosen = changes.filter((change) => !unticked.has(keyOf(change)));
  const pagePath = `/pages/${encodeURIComponent(page.slug)}`;

  useEffect(() => {
    // Ticks of items that are gone (published elsewhere) are forgotten.
    const present = new Set(changes.map(keyOf));
    setUnticked((before) => new Set([...before].filter((key) => present.has(key))));
  }, [changes]);

  function toggle(change: Change, ticked: boolean) {
    const next = new Set(unticked);
    if (ticked) next.delete(keyOf(change));
    else next.add(keyOf(change));
    setUnticked(next);
  }

  function ask(event: Event) {
    event.preventDefault();
    if (chosen.length === 0) {
      form.show(localErrors([["changes", "Choose at least one change to publish"]]));
      return;
    }
    confirm.ask("publish", event);
  }

  const publish = () => {
    confirm.close();
    const items = chosen.map(({ kind, id, version }) => ({ kind, id, version }));
    const count = items.length;
    void form.submit(async () => {
      try {
        await request(PublishChangesDocument, {
          input: { pageId: page.id, items, changeNote: note.trim() === "" ? null : note.trim() },
        });
      } catch (error) {
        // Someone changed an item: show the list as it is now, with the message.
        if (error instanceof ApiError && error.code === "CONFLICT") await reload();
        throw error;
      }
      setNote("");
      await reload();
      return `${plural(count, "change", "changes")} published`;
    });
  };

  return (
    <>
      <a href={href(pagePath)} class="govuk-back-link">
        Back to the page
      </a>
      <FormMessages form={form} />
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <Heading caption={page.title}>Review and publish</Heading>
          {changes.length === 0 && (
            <p class="govuk-body" id="nothing-to-publish">
              Readers see everything on this page: there is nothing to publish.
            </p>
          )}
          {changes.length > 0 && (
            <form method="post" noValidate onSubmit={ask}>
              <p class="govuk-body">
                {mayPublish
                  ? "Choose the changes to publish. Readers will see the ones you choose straight away, and nothing of the others."
                  : "Readers do not see these changes yet. A publisher needs to publish them."}
              </p>
              <p class="govuk-body-s">{DIFF_KEY}</p>
              <div class={`govuk-form-group${form.errors.fields["changes"] ? " govuk-form-group--error" : ""}`}>
                <fieldset class="govuk-fieldset" aria-describedby={form.errors.fields["changes"] ? "changes-error" : undefined}>
                  <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">
                    <h2 class="govuk-fieldset__heading">
                      Changes not yet published ({changes.length})
                    </h2>
                  </legend>
                  {form.errors.fields["changes"] && (
                    <p id="changes-error" class="govuk-error-message">
                      <span class="govuk-visually-hidden">Error:</span> {form.errors.fields["changes"]}
                    </p>
                  )}
                  <div class="govuk-checkboxes" data-module="govuk-checkboxes">
                    {changes.map((change, index) => (
                      <ChangeItem
                        key={keyOf(change)}
                        change={change}
                        inputId={index === 0 ? "changes" : `changes-${index + 1}`}
                        mayPublish={mayPublish}
                        ticked={!unticked.has(keyOf(change))}
                        onToggle={(ticked) => toggle(change, ticked)}
                      />
                    ))}
                  </div>
                </fieldset>
              </div>
              {mayPublish && (
                <>
                  <Textarea
                    {...field(form.errors, "change-note", note, setNote)}
                    label="Change note (optional)"
                    labelClass="govuk-label--s"
                    hint="Readers see it with the date under “See all updates” on the page. Plain text, up to 300 characters."
                    rows={3}
                  />
                  {confirm.asking === null && (
                    <Button id="publish-selected" disabled={form.busy}>
                      Publish selected
                    </Button>
                  )}
                </>
              )}
            </form>
          )}
          {confirm.asking === "publish" && (
            <ConfirmPanel
              heading={`Publish ${plural(chosen.length, "change", "changes")}?`}
              choices={[{ text: chosen.length === 1 ? "Yes, publish this change" : "Yes, publish these changes", onChoose: publish }]}
              onCancel={confirm.cancel}
            >
              <p class="govuk-body">Readers will see straight away:</p>
              <ul class="govuk-list govuk-list--bullet" id="confirm-list">
                {chosen.map((change) => (
                  <li key={keyOf(change)}>
                    {describe(change)}: {change.summary.toLowerCase()}
                  </li>
                ))}
              </ul>
              {chosen.length < changes.length && (
                <p class="govuk-body">
                  {changes.length - chosen.length === 1
                    ? "1 other change stays unpublished."
                    : `${changes.length - chosen.length} other changes stay unpublished.`}
                </p>
              )}
            </ConfirmPanel>
          )}
        </div>
      </div>
    </>
  );
}

/** What an item is, in words. */
function describe(change: Change): string {
  switch (change.kind) {
    case "PAGE_TEXT":
      return "The page’s text";
    case "ORDER":
      return "The order of the questions";
    case "CATEGORY":
      return `The category “${change.title}”`;
    case "QUESTION":
      return `“${change.title}”`;
  }
}

function ChangeItem({
  change,
  inputId,
  mayPublish,
  ticked,
  onToggle,
}: {
  change: Change;
  inputId: string;
  mayPublish: boolean;
  ticked: boolean;
  onToggle: (ticked: boolean) => void;
}) {
  const hintId = `${inputId}-item-hint`;
  const who = change.changedBy?.displayName;
  const hint = (
    <>
      {change.summary}. Changed{who ? ` by ${who}` : ""} <When at={change.changedAt} />
    </>
  );
  const label = describe(change);
  return (
    <div class="qanda-review-item" data-change={`${change.kind}:${change.id}`}>
      {mayPublish ? (
        <div class="govuk-checkboxes__item">
          <input
            class="govuk-checkboxes__input"
            id={inputId}
            name="changes"
            type="checkbox"
            value={`${change.kind}:${change.id}`}
            checked={ticked}
            aria-describedby={hintId}
            onChange={(event) => onToggle(event.currentTarget.checked)}
          />
          <label class="govuk-label govuk-checkboxes__label govuk-!-font-weight-bold" for={inputId}>
            {label}
          </label>
          <div id={hintId} class="govuk-hint govuk-checkboxes__hint">
            {hint}
          </div>
        </div>
      ) : (
        <>
          <h3 class="govuk-heading-s govuk-!-margin-bottom-1">{label}</h3>
          <p class="govuk-hint">{hint}</p>
        </>
      )}
      <div class="qanda-review-item__diff">
        {change.fields.map((f) => (
          <div key={f.label}>
            <h3 class="govuk-heading-s govuk-!-margin-bottom-1">{f.label}</h3>
            <Diff segments={f.diff} label={`${f.label}: ${label}`} />
          </div>
        ))}
      </div>
    </div>
  );
}
