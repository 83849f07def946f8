import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { Button } from "./Fields";

/**
 * Someone else saved first: says so, shows what they saved (`children`,
 * with id "their-version") and offers to keep these changes or take theirs.
 * Takes focus when it appears, so the news is read first.
 */
export function ConflictBanner({
  thing,
  version,
  onKeepMine,
  onTakeTheirs,
  children,
}: {
  /** "question", "page" */
  thing: string;
  version: number;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [version]);
  return (
    <div
      class="govuk-notification-banner"
      role="region"
      aria-labelledby="conflict-title"
      id="conflict"
      tabindex={-1}
      ref={ref}
    >
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="conflict-title">
          Important
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">
          Someone else saved version {version} of this {thing} while you were editing it.
        </p>
        <p class="govuk-body">Your changes have not been saved, and are still in the form below. This is what they saved:</p>
        {children}
        <div class="govuk-button-group">
          <Button type="button" onClick={onKeepMine}>
            Keep my changes
          </Button>
          <Button type="button" variant="secondary" onClick={onTakeTheirs}>
            Use their version
          </Button>
        </div>
      </div>
    </div>
  );
}
