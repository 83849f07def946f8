import type { ComponentChildren } from "preact";

export interface SummaryRow {
  key: string;
  value: ComponentChildren;
  /** The value's id, for tests and for links to it. */
  id?: string;
  /** Extra classes on the value, e.g. "qanda-pre-wrap". */
  valueClass?: string;
}

/** GOV.UK summary list: facts about one thing, a key and a value a row. Rows that are false are left out. */
export function SummaryList({ rows, id, noBorder }: { rows: Array<SummaryRow | false>; id?: string; noBorder?: boolean }) {
  return (
    <dl class={`govuk-summary-list${noBorder ? " govuk-summary-list--no-border" : ""}`} id={id}>
      {rows.map(
        (row) =>
          row && (
            <div class="govuk-summary-list__row" key={row.key}>
              <dt class="govuk-summary-list__key">{row.key}</dt>
              <dd class={`govuk-summary-list__value${row.valueClass ? ` ${row.valueClass}` : ""}`} id={row.id}>
                {row.value}
              </dd>
            </div>
          ),
      )}
    </dl>
  );
}
