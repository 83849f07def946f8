import type { ComponentChildren } from "preact";

interface Props {
  /** "success" after something worked; "important" for a warning. */
  type?: "success" | "important";
  title?: string;
  /** A one-line message; or pass children for more. */
  heading?: string;
  children?: ComponentChildren;
  /**
   * Success banners take focus when they appear (GOV.UK Frontend's
   * behaviour), which suits a result shown in place. A banner carried over
   * to a new screen leaves focus to the screen's h1.
   */
  autoFocus?: boolean;
  id?: string;
}

export function NotificationBanner({ type = "success", title, heading, children, autoFocus = true, id }: Props) {
  const success = type === "success";
  const titleId = `${id ?? "notification"}-title`;
  return (
    <div
      id={id}
      class={`govuk-notification-banner${success ? " govuk-notification-banner--success" : ""}`}
      role={success ? "alert" : "region"}
      aria-labelledby={titleId}
      data-module="govuk-notification-banner"
      data-disable-auto-focus={autoFocus ? undefined : "true"}
    >
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id={titleId}>
          {title ?? (success ? "Success" : "Important")}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        {heading !== undefined && <p class="govuk-notification-banner__heading">{heading}</p>}
        {children}
      </div>
    </div>
  );
}
