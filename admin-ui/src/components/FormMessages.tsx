import type { SubmitState } from "../forms";
import { ErrorSummary } from "./ErrorSummary";
import { NotificationBanner } from "./NotificationBanner";

/**
 * What a form says after a submit, above the heading: its success banner
 * (or the message carried over from the last screen, until the first
 * submit) and its error summary.
 */
export function FormMessages({ form }: { form: SubmitState<unknown> }) {
  const { banner } = form;
  return (
    <>
      {banner && <NotificationBanner key={banner.key} heading={banner.text} autoFocus={!banner.carried} />}
      <ErrorSummary key={form.attempt} items={form.errors.items} />
    </>
  );
}
