import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { Button, type ButtonVariant } from "./Fields";

/** One way to go ahead, as a button: the first is the main one. */
export interface ConfirmChoice {
  text: string;
  onChoose: () => void;
  /** "primary" (the default) to publish, "warning" to archive or delete. */
  variant?: ButtonVariant;
}

/**
 * The step before an action readers will notice, or one that cannot be
 * undone: a heading that names the action ("Publish this question?"), what
 * readers will see afterwards (`children`), the ways to go ahead and Cancel.
 * In the page rather than in a browser dialog, so it can be read, styled and
 * operated like the rest of the screen. Its heading takes focus when it
 * opens; `useConfirm` gives focus back to the button that opened it on
 * Cancel.
 */
export function ConfirmPanel({
  heading,
  children,
  choices,
  onCancel,
}: {
  heading: string;
  children?: ComponentChildren;
  choices: ConfirmChoice[];
  onCancel: () => void;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  // Again when it asks about something else (another button while it was open).
  useEffect(() => {
    ref.current?.focus();
  }, [heading]);
  const warning = choices.some((choice) => choice.variant === "warning");
  return (
    <section
      class={`qanda-confirm${warning ? " qanda-confirm--warning" : ""}`}
      aria-labelledby="confirm-heading"
      id="confirm"
    >
      <h2 class="govuk-heading-m" id="confirm-heading" tabindex={-1} ref={ref}>
        {heading}
      </h2>
      {children}
      <div class="govuk-button-group">
        {choices.map((choice) => (
          <Button key={choice.text} type="button" variant={choice.variant ?? "primary"} onClick={choice.onChoose}>
            {choice.text}
          </Button>
        ))}
        <Button type="button" variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </section>
  );
}

/** GOV.UK's warning text: "!" and a sentence that must not be missed. */
export function WarningText({ children }: { children: ComponentChildren }) {
  return (
    <div class="govuk-warning-text">
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">Warning</span>
        {children}
      </strong>
    </div>
  );
}

export interface Confirmation<T> {
  /** What is being asked about, while the panel is open. */
  asking: T | null;
  /** Opens the panel for `what`; `event` is the click on the button that asked, which gets focus back on Cancel. */
  ask: (what: T, event?: Event) => void;
  /** Closes the panel and puts focus back on the button that opened it. */
  cancel: () => void;
  /** Closes the panel once a choice is made: the action's outcome (banner, error summary, next screen) takes focus. */
  close: () => void;
}

/** Which confirmation a screen shows, and where focus goes when it closes. */
export function useConfirm<T>(): Confirmation<T> {
  const [asking, setAsking] = useState<T | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const giveBack = useRef(false);
  useEffect(() => {
    if (asking !== null || !giveBack.current) return;
    giveBack.current = false;
    const element = opener.current;
    // The same button if it is still there; else the one that replaced it.
    const target = element?.isConnected ? element : element?.id ? document.getElementById(element.id) : null;
    target?.focus();
  }, [asking]);
  return {
    asking,
    ask: (what, event) => {
      const from = event?.currentTarget;
      opener.current = from instanceof HTMLElement ? from : (document.activeElement as HTMLElement | null);
      setAsking(what);
    },
    cancel: () => {
      giveBack.current = true;
      setAsking(null);
    },
    close: () => setAsking(null),
  };
}
