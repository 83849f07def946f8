// What the webhook screens share: the names of events, the form fields, a
// webhook's state, and the secret shown once.

import { Checkboxes, TextInput, type Choice } from "../../components/Fields";
import { NotificationBanner } from "../../components/NotificationBanner";
import { Tag } from "../../components/Tag";
import type { WebhookEvent, WebhookFieldsFragment } from "../../generated/graphql";
import { field, type FormErrors } from "../../forms";

const EVENT_CHOICES: Choice[] = [
  {
    value: "QUESTION_PUBLISHED",
    text: "Question published",
    hint: "A question is published, by hand or on schedule, or its changed text is published.",
  },
  { value: "QUESTION_UNPUBLISHED", text: "Question unpublished", hint: "A published question goes back to draft." },
  {
    value: "QUESTION_ARCHIVED",
    text: "Question archived",
    hint: "A question is archived, by hand or when its expiry time comes.",
  },
  { value: "PAGE_RETIRED", text: "Page retired", hint: "A page is retired, by hand or on schedule." },
  {
    value: "PAGE_PUBLISHED",
    text: "Page changes published",
    hint: "A page’s text, its categories’ titles and order, or where its questions stand are published.",
  },
];

/** The event names as receivers see them in X-Qanda-Event and the payload. */
export const EVENT_NAMES: Record<WebhookEvent, string> = {
  QUESTION_PUBLISHED: "question.published",
  QUESTION_UNPUBLISHED: "question.unpublished",
  QUESTION_ARCHIVED: "question.archived",
  PAGE_RETIRED: "page.retired",
  PAGE_PUBLISHED: "page.published",
};

export const WEBHOOK_FIELDS = { url: "url", events: "events", description: "description", active: "active" };

export interface WebhookText {
  url: string;
  events: string[];
  description: string;
}

/** Where a webhook sends, what about, and what it is for: the same when adding and changing one. */
export function WebhookFields({
  value,
  onInput,
  errors,
  descriptionHint,
}: {
  value: WebhookText;
  onInput: (next: WebhookText) => void;
  errors: FormErrors;
  descriptionHint: string;
}) {
  const set =
    <K extends keyof WebhookText>(key: K) =>
    (v: WebhookText[K]) =>
      onInput({ ...value, [key]: v });
  return (
    <>
      <TextInput {...field(errors, "url", value.url, set("url"))}
        label="Web address"
        hint="The full address that receives the events, starting with https:// (or http://)."
        autocomplete="off"
        spellcheck={false}
      />
      <Checkboxes
        id="events"
        legend="Events"
        hint="Select every event it should be told about."
        choices={EVENT_CHOICES}
        values={value.events}
        onChange={set("events")}
        error={errors.fields.events}
      />
      <TextInput {...field(errors, "description", value.description, set("description"))}
        label="Description (optional)"
        hint={descriptionHint}
      />
    </>
  );
}

export function WebhookState({ webhook }: { webhook: WebhookFieldsFragment }) {
  return webhook.active ? <Tag text="On" colour="green" /> : <Tag text="Off" colour="grey" />;
}

export function EventList({ events }: { events: WebhookEvent[] }) {
  return (
    <ul class="govuk-list">
      {events.map((event) => (
        <li key={event}>
          <code>{EVENT_NAMES[event]}</code>
        </li>
      ))}
    </ul>
  );
}

/**
 * A new signing secret, shown once (after creating a webhook or replacing
 * its secret), with how the receiver checks a delivery against it.
 */
export function SecretShownOnce({ heading, secret }: { heading: string; secret: string }) {
  return (
    <>
      <NotificationBanner heading={heading}>
        <p class="govuk-body">This is the webhook’s signing secret. It is shown only now: copy it to the service that receives the events.</p>
        <p class="govuk-body">
          <code class="qanda-secret" id="webhook-secret">
            {secret}
          </code>
        </p>
      </NotificationBanner>
      <div class="govuk-inset-text">
        <p class="govuk-body">
          Every delivery is a POST with a JSON body. Its <code>X-Qanda-Signature</code> header is <code>sha256=</code>{" "}
          followed by the hexadecimal HMAC-SHA256 of the raw body, keyed with this secret.
        </p>
        <p class="govuk-body">
          To check a delivery, compute the same over the body exactly as received, before parsing it, and compare
          the two in constant time. Reject the request if they differ. A delivery that is retried or sent again keeps
          its payload <code>id</code>, so use it to ignore repeats.
        </p>
      </div>
    </>
  );
}
