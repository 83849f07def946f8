import { PARTS, type Part, type When } from "../datetime";
import { FieldError } from "./FieldError";

const ITEMS: Record<Part, { label: string; width: string; numeric: boolean }> = {
  day: { label: "Day", width: "govuk-input--width-2", numeric: true },
  month: { label: "Month", width: "govuk-input--width-2", numeric: true },
  year: { label: "Year", width: "govuk-input--width-4", numeric: true },
  time: { label: "Time", width: "govuk-input--width-5", numeric: false },
};

/**
 * GOV.UK's date input (day, month, year) with a time box on the end, in one
 * fieldset. The inputs are `${id}-day`, `${id}-month`, `${id}-year` and
 * `${id}-time`. The error message and summary link belong to the group; the
 * parts at fault are outlined (all of them when `badParts` is not given, as
 * when the API refused the time).
 */
export function DateTimeInput({
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
  value: When;
  onInput: (value: When) => void;
  error: string | undefined;
  badParts: Part[] | undefined;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const set = (part: Part) => (event: { currentTarget: HTMLInputElement }) =>
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
          {PARTS.map((part) => {
            const { label, width, numeric } = ITEMS[part];
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
                    inputMode={numeric ? "numeric" : undefined}
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
