import { DATE_PARTS, type DatePart, type DateValue } from "../dates";
import { FieldError } from "./FieldError";

const ITEMS: Record<DatePart, { label: string; width: string }> = {
  day: { label: "Day", width: "govuk-input--width-2" },
  month: { label: "Month", width: "govuk-input--width-2" },
  year: { label: "Year", width: "govuk-input--width-4" },
};

/**
 * GOV.UK's date input: day, month and year boxes in one fieldset, with ids
 * `${id}-day`, `${id}-month` and `${id}-year`. The error message belongs to
 * the group; the parts at fault are outlined (all of them when `badParts`
 * is not given).
 */
export function DateInput({
  id,
  legend,
  hint,
  value,
  onInput,
  error,
  badParts,
}: {
  id: string;
  legend: string;
  hint: string;
  value: DateValue;
  onInput: (value: DateValue) => void;
  error: string | undefined;
  badParts?: DatePart[] | undefined;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const set = (part: DatePart) => (event: { currentTarget: HTMLInputElement }) =>
    onInput({ ...value, [part]: event.currentTarget.value });
  return (
    <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset class="govuk-fieldset" role="group" aria-describedby={error ? `${hintId} ${errorId}` : hintId}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        <div id={hintId} class="govuk-hint">
          {hint}
        </div>
        {error && <FieldError id={errorId} message={error} />}
        <div class="govuk-date-input" id={id}>
          {DATE_PARTS.map((part) => {
            const { label, width } = ITEMS[part];
            const inputId = `${id}-${part}`;
            const bad = error !== undefined && (badParts === undefined || badParts.includes(part));
            return (
              <div class="govuk-date-input__item" key={part}>
                <div class="govuk-form-group">
                  <label class="govuk-label govuk-date-input__label" for={inputId}>
                    {label}
                  </label>
                  <input
                    class={`govuk-input govuk-date-input__input ${width}${bad ? " govuk-input--error" : ""}`}
                    id={inputId}
                    name={inputId}
                    type="text"
                    inputMode="numeric"
                    autocomplete="off"
                    spellcheck={false}
                    value={value[part]}
                    onInput={set(part)}
                    // Also on change: some tools (WebDriver's clear) change the value without an input event.
                    onChange={set(part)}
                  />
                </div>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
