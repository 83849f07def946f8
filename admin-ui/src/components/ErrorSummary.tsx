import type { ErrorItem } from "../forms";

/**
 * The GOV.UK error summary, shown at the top of the main column after a
 * failed submit. GOV.UK Frontend's ErrorSummary (started by createAll)
 * focuses it when it appears and makes its links focus the inputs; give it
 * a new `key` on each submit so that a repeated failure is announced again.
 */
export function ErrorSummary({ items }: { items: ErrorItem[] }) {
  if (items.length === 0) return null;
  return (
    <div class="govuk-error-summary" data-module="govuk-error-summary">
      <div role="alert">
        <h2 class="govuk-error-summary__title">There is a problem</h2>
        <div class="govuk-error-summary__body">
          <ul class="govuk-list govuk-error-summary__list">
            {items.map((item, index) => (
              <li key={index}>{item.href ? <a href={item.href}>{item.text}</a> : item.text}</li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
