import type { ComponentChildren } from "preact";

export interface Column {
  text: string;
  numeric?: boolean;
  /** Read by screen readers only (e.g. "Actions" over a column of buttons). */
  hidden?: boolean;
}

/**
 * A GOV.UK table: its caption (for screen readers only unless
 * `captionClass` makes it visible), the column headings, and the rows as
 * children (`<tr class="govuk-table__row">` with `Cell`s).
 */
export function Table({
  id,
  caption,
  captionClass = "govuk-visually-hidden",
  columns,
  children,
}: {
  id?: string;
  caption: ComponentChildren;
  captionClass?: string;
  columns: Array<string | Column>;
  children: ComponentChildren;
}) {
  return (
    <table class="govuk-table" id={id}>
      <caption class={`govuk-table__caption ${captionClass}`}>{caption}</caption>
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          {columns.map((column) => {
            const { text, numeric, hidden } = typeof column === "string" ? { text: column } : column;
            return (
              <th
                scope="col"
                key={text}
                class={`govuk-table__header${numeric ? " govuk-table__header--numeric" : ""}`}
              >
                {hidden ? <span class="govuk-visually-hidden">{text}</span> : text}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody class="govuk-table__body">{children}</tbody>
    </table>
  );
}

export function Cell({ children, extraClass }: { children?: ComponentChildren; extraClass?: string }) {
  return <td class={`govuk-table__cell${extraClass ? ` ${extraClass}` : ""}`}>{children}</td>;
}
