import type { PageSettingsFragment } from "../generated/graphql";
import { formatDateTime } from "../format";
import { Button } from "./Fields";

type RetiredPage = Pick<
  PageSettingsFragment,
  "slug" | "retirementNotice" | "replacementUrl" | "redirectsToReplacement" | "retiredAt"
>;

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
          : `Readers visiting /pages/${page.slug} see the notice below instead of the questions.`}{" "}
        Services using the API see status RETIRED and no questions.
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
