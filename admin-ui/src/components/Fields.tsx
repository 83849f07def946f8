// GOV.UK form fields: label, hint, inline error and control, wired together
// with for/id and aria-describedby.

import { Fragment, type ButtonHTMLAttributes, type ComponentChildren } from "preact";
import { FieldError } from "./FieldError";

interface Common {
  id: string;
  label: string;
  /** Makes the label the page's h1 (a one-question screen). */
  labelClass?: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  name?: string;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

function Group({ error, children }: { error?: string | undefined; children: ComponentChildren }) {
  return <div class={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>{children}</div>;
}

function Label({ id, label, labelClass }: Pick<Common, "id" | "label" | "labelClass">) {
  return (
    <label class={`govuk-label${labelClass ? ` ${labelClass}` : ""}`} for={id}>
      {label}
    </label>
  );
}

function Hint({ id, hint }: { id: string; hint: ComponentChildren }) {
  return hint ? (
    <div id={`${id}-hint`} class="govuk-hint">
      {hint}
    </div>
  ) : null;
}

interface TextInputProps extends Common {
  value: string;
  onInput: (value: string) => void;
  type?: "text" | "email" | "password" | "date" | "search";
  autocomplete?: string;
  /** e.g. "govuk-input--width-20" or "govuk-!-width-two-thirds" */
  widthClass?: string;
  spellcheck?: boolean;
}

export function TextInput(props: TextInputProps) {
  const { id, label, labelClass, hint, error, value, onInput, type = "text", autocomplete, widthClass, spellcheck } = props;
  return (
    <Group error={error}>
      <Label id={id} label={label} labelClass={labelClass} />
      <Hint id={id} hint={hint} />
      {error && <FieldError id={`${id}-error`} message={error} />}
      <input
        class={`govuk-input${error ? " govuk-input--error" : ""}${widthClass ? ` ${widthClass}` : ""}`}
        id={id}
        name={props.name ?? id}
        // Preact's types tie other attributes to each input type; these are all plain text boxes.
        type={type as "text"}
        value={value}
        autocomplete={autocomplete}
        spellcheck={spellcheck}
        aria-describedby={describedBy(id, hint, error)}
        onInput={(event) => onInput(event.currentTarget.value)}
        // Also on change: some tools (WebDriver's clear) change the value without an input event.
        onChange={(event) => onInput(event.currentTarget.value)}
      />
    </Group>
  );
}

interface TextareaProps extends Common {
  value: string;
  onInput: (value: string) => void;
  rows?: number;
  spellcheck?: boolean;
}

export function Textarea(props: TextareaProps) {
  const { id, label, labelClass, hint, error, value, onInput, rows = 5, spellcheck } = props;
  return (
    <Group error={error}>
      <Label id={id} label={label} labelClass={labelClass} />
      <Hint id={id} hint={hint} />
      {error && <FieldError id={`${id}-error`} message={error} />}
      <textarea
        class={`govuk-textarea${error ? " govuk-textarea--error" : ""}`}
        id={id}
        name={props.name ?? id}
        rows={rows}
        value={value}
        spellcheck={spellcheck}
        aria-describedby={describedBy(id, hint, error)}
        onInput={(event) => onInput(event.currentTarget.value)}
        // Also on change: some tools (WebDriver's clear) change the value without an input event.
        onChange={(event) => onInput(event.currentTarget.value)}
      />
    </Group>
  );
}

export interface Choice {
  value: string;
  text: string;
  hint?: string;
  /**
   * Radios only: shown under the choice while it is selected (GOV.UK's
   * conditional reveal), in a block with id `conditional-${radio id}`.
   */
  conditional?: ComponentChildren;
}

interface RadiosProps {
  /** The first radio gets this id, the others `${id}-2`, `${id}-3` … (GOV.UK's convention). */
  id: string;
  legend: string;
  legendClass?: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  choices: Choice[];
  value: string;
  onChange: (value: string) => void;
  inline?: boolean;
}

export function Radios({ id, legend, legendClass, hint, error, choices, value, onChange, inline }: RadiosProps) {
  return (
    <Group error={error}>
      <fieldset class="govuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend class={`govuk-fieldset__legend ${legendClass ?? "govuk-fieldset__legend--s"}`}>{legend}</legend>
        <Hint id={id} hint={hint} />
        {error && <FieldError id={`${id}-error`} message={error} />}
        <div class={`govuk-radios${inline ? " govuk-radios--inline" : ""}`}>
          {choices.map((choice, index) => {
            const itemId = index === 0 ? id : `${id}-${index + 1}`;
            const checked = value === choice.value;
            const conditionalId = `conditional-${itemId}`;
            return (
              <Fragment key={choice.value}>
                <div class="govuk-radios__item">
                  <input
                    class="govuk-radios__input"
                    id={itemId}
                    name={id}
                    type="radio"
                    value={choice.value}
                    checked={checked}
                    aria-describedby={choice.hint ? `${itemId}-item-hint` : undefined}
                    // GOV.UK Frontend also sets aria-expanded here, which ARIA does not allow on a radio.
                    aria-controls={choice.conditional ? conditionalId : undefined}
                    onChange={() => onChange(choice.value)}
                  />
                  <label class="govuk-label govuk-radios__label" for={itemId}>
                    {choice.text}
                  </label>
                  {choice.hint && (
                    <div id={`${itemId}-item-hint`} class="govuk-hint govuk-radios__hint">
                      {choice.hint}
                    </div>
                  )}
                </div>
                {choice.conditional && (
                  <div
                    class={`govuk-radios__conditional${checked ? "" : " govuk-radios__conditional--hidden"}`}
                    id={conditionalId}
                  >
                    {choice.conditional}
                  </div>
                )}
              </Fragment>
            );
          })}
        </div>
      </fieldset>
    </Group>
  );
}

interface CheckboxesProps {
  /** The first box gets this id, the others `${id}-2`, `${id}-3` … (GOV.UK's convention). */
  id: string;
  legend: string;
  legendClass?: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  choices: Choice[];
  values: string[];
  onChange: (values: string[]) => void;
}

/** Several yes/no choices under one question, in a fieldset with a legend. */
export function Checkboxes({ id, legend, legendClass, hint, error, choices, values, onChange }: CheckboxesProps) {
  const toggle = (value: string, checked: boolean) => {
    const rest = values.filter((v) => v !== value);
    // Keep the choices' order, whatever order they were ticked in.
    const next = checked ? [...rest, value] : rest;
    onChange(choices.map((c) => c.value).filter((v) => next.includes(v)));
  };
  return (
    <Group error={error}>
      <fieldset class="govuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend class={`govuk-fieldset__legend ${legendClass ?? "govuk-fieldset__legend--s"}`}>{legend}</legend>
        <Hint id={id} hint={hint} />
        {error && <FieldError id={`${id}-error`} message={error} />}
        <div class="govuk-checkboxes" data-module="govuk-checkboxes">
          {choices.map((choice, index) => {
            const itemId = index === 0 ? id : `${id}-${index + 1}`;
            return (
              <div class="govuk-checkboxes__item" key={choice.value}>
                <input
                  class="govuk-checkboxes__input"
                  id={itemId}
                  name={id}
                  type="checkbox"
                  value={choice.value}
                  checked={values.includes(choice.value)}
                  aria-describedby={choice.hint ? `${itemId}-item-hint` : undefined}
                  onChange={(event) => toggle(choice.value, event.currentTarget.checked)}
                />
                <label class="govuk-label govuk-checkboxes__label" for={itemId}>
                  {choice.text}
                </label>
                {choice.hint && (
                  <div id={`${itemId}-item-hint`} class="govuk-hint govuk-checkboxes__hint">
                    {choice.hint}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
    </Group>
  );
}

interface CheckboxProps {
  id: string;
  /** The text next to the box (its label). */
  label: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  checked: boolean;
  onChange: (checked: boolean) => void;
  name?: string;
}

/** One yes/no checkbox on its own, without a fieldset (GOV.UK's single checkbox). */
export function Checkbox({ id, label, hint, error, checked, onChange, name }: CheckboxProps) {
  const hintId = hint ? `${id}-item-hint` : "";
  const errorId = error ? `${id}-error` : "";
  const described = [errorId, hintId].filter(Boolean).join(" ");
  return (
    <Group error={error}>
      {error && <FieldError id={errorId} message={error} />}
      <div class="govuk-checkboxes">
        <div class="govuk-checkboxes__item">
          <input
            class="govuk-checkboxes__input"
            id={id}
            name={name ?? id}
            type="checkbox"
            value="true"
            checked={checked}
            aria-describedby={described || undefined}
            onChange={(event) => onChange(event.currentTarget.checked)}
          />
          <label class="govuk-label govuk-checkboxes__label" for={id}>
            {label}
          </label>
          {hint && (
            <div id={hintId} class="govuk-hint govuk-checkboxes__hint">
              {hint}
            </div>
          )}
        </div>
      </div>
    </Group>
  );
}

interface SelectProps extends Common {
  choices: Choice[];
  value: string;
  onChange: (value: string) => void;
}

export function Select({ id, label, labelClass, hint, error, choices, value, onChange, name }: SelectProps) {
  return (
    <Group error={error}>
      <Label id={id} label={label} labelClass={labelClass} />
      <Hint id={id} hint={hint} />
      {error && <FieldError id={`${id}-error`} message={error} />}
      <select
        class={`govuk-select${error ? " govuk-select--error" : ""}`}
        id={id}
        name={name ?? id}
        value={value}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.text}
          </option>
        ))}
      </select>
    </Group>
  );
}

/** A real link that looks like GOV.UK's back link. */
export function BackLink({ href, children }: { href: string; children?: ComponentChildren }) {
  return (
    <a href={href} class="govuk-back-link">
      {children ?? "Back"}
    </a>
  );
}

export type ButtonVariant = "primary" | "secondary" | "warning";

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "class" | "className" | "type"> & {
  children: ComponentChildren;
  variant?: ButtonVariant;
  type?: "submit" | "button";
  extraClass?: string;
};

/** govuk-button; extra attributes (data-*, aria-*) pass through. */
export function Button({ children, variant = "primary", type = "submit", extraClass, ...rest }: ButtonProps) {
  const variantClass = variant === "primary" ? "" : ` govuk-button--${variant}`;
  return (
    <button {...rest} type={type} class={`govuk-button${variantClass}${extraClass ? ` ${extraClass}` : ""}`}>
      {children}
    </button>
  );
}
