import type { PageSettingsFragment } from "../generated/graphql";
import { formatDateTime } from "../format";
import { Button } from "./Fields";

type RetiredPage = Pick<
  PageSettingsFragment,
  "slug" | "retirementNotice" | "replacementUrl" | "redirectsToReplacement" | "retiredAt"
>;

type RetiringPage = Pick<PageSettingsFragment, "slug" | "replacementUrl" | "redirectsToReplacement" | "retireAt">;

/** "This page will retire on 3 December 2026 at 5:00pm." */
export function retirementSentence(retireAt: string): string {
  return Date.parse(retireAt) > Date.now()
    ? `This page will retire on ${formatDateTime(retireAt)}.`
    : // Readers already get the notice; the background task records it shortly.
      `This page retired on ${formatDateTime(retireAt)}.`;
}

/**
 * A retirement still to come, on the page's screen, its settings and the
 * retirement screen: when, and what readers will get then; with a link to
 * change it (`changeHref`) and a "Cancel scheduled retirement" button
 * (`onCancel`) for admins. Nothing when none is scheduled.
 */
export function ScheduledRetirement({
  page,
  changeHref,
  onCancel,
}: {
  page: RetiringPage;
  changeHref?: string | undefined;
  onCancel?: (() => void) | undefined;
}) {
  if (!page.retireAt) return null;
  const url = page.replacementUrl ?? "";
  const redirects = page.redirectsToReplacement && url !== "";
  return (
    <div class="govuk-inset-text" id="scheduled-retirement">
      <h2 class="govuk-heading-m">Retirement scheduled</h2>
      <p class="govuk-body govuk-!-font-weight-bold" id="scheduled-retirement-time">
        {retirementSentence(page.retireAt)}
      </p>
      <p class="govuk-body">
        {redirects
          ? `Then readers visiting /pages/${page.slug} will be sent to the replacement page, ${url}.`
          : `Then readers visiting /pages/${page.slug} will see the retirement notice instead of the questions.`}{" "}
        Nothing is deleted: the page can be reinstated.
      </p>
      {changeHref && (
        <p class="govuk-body">
          <a class="govuk-link" href={changeHref}>
            Change the retirement time or notice
          </a>
        </p>
      )}
      {onCancel && (
        <Button type="button" variant="secondary" extraClass="govuk-!-margin-bottom-0" onClick={onCancel}>
          Cancel scheduled retirement
        </Button>
      )}
    </div>
  );
}

/**
 * What readers get from a retired page, shown on the page's screen and its
 * settings; with a "Reinstate page" button when `onReinstate` is given
 * (admins only).
 */
export function RetiredNotice({ page, onReinstate }: { page: RetiredPage; onReinstate?: (() => void) | undefined }) {
  const url = page.replacementUrl ?? "";
  const redirects = page.redirectsToReplacement && url !== "";
  return (
    <div class="govuk-inset-text" id="retired" data-retired="true">
      <h2 class="govuk-heading-m">This page is retired</h2>
      <p class="govuk-body">
        {page.retiredAt ? `Retired on ${formatDateTime(page.retiredAt)}. ` : ""}
        {redirects
          ? `Readers visiting /pages/${page.slug} are sent straight to the replacement page.`
          : `Readers visiting /pages/${page.slug} see the notice below instead of the questions.`}
      </p>
      <dl class="govuk-summary-list govuk-summary-list--no-border">
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Notice for readers</dt>
          <dd class="govuk-summary-list__value qanda-pre-wrap" id="retired-notice">
            {page.retirementNotice ?? ""}
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Replacement page</dt>
          <dd class="govuk-summary-list__value qanda-pre-wrap" id="retired-replacement">
            {url ? (
              <a class="govuk-link" href={url} rel="noreferrer noopener">
                {url}
              </a>
            ) : (
              "None"
            )}
          </dd>
        </div>
      </dl>
      {onReinstate && (
        <>
          <p class="govuk-body">
            Reinstating makes the page live again with all its content, as it was before it was retired.
          </p>
          <Button type="button" variant="secondary" extraClass="govuk-!-margin-bottom-0" onClick={onReinstate}>
            Reinstate page
          </Button>
        </>
      )}
    </div>
  );
}
