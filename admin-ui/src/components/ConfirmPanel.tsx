import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { Button } from "./Fields";

/**
 * "Are you sure?" in the page rather than in a browser dialog: it can be
 * read, styled and operated like the rest of the screen. Takes focus when it
 * appears.
 */
export function ConfirmPanel({
  title,
  children,
  confirmText,
  onConfirm,
  onCancel,
}: {
  title: string;
  children?: ComponentChildren;
  confirmText: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div
      class="govuk-notification-banner"
      role="region"
      aria-labelledby="confirm-title"
      tabindex={-1}
      ref={ref}
      id="confirm"
    >
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="confirm-title">
          Important
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{title}</p>
        {children}
        <div class="govuk-button-group">
          <Button type="button" variant="warning" onClick={onConfirm}>
            {confirmText}
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </div>
    </div>
  );
}
