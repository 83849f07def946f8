import { useRef, useState } from "preact/hooks";
import { request } from "../api";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, Checkboxes, TextInput, type Choice } from "../components/Fields";
import { NotificationBanner } from "../components/NotificationBanner";
import { Heading, LoadError, Loading } from "../components/Screen";
import { Tag } from "../components/Tag";
import {
  CreateWebhookDocument,
  WebhooksDocument,
  type WebhookEvent,
  type WebhookFieldsFragment,
} from "../generated/graphql";
import { errorsFrom, field, hasErrors, NO_ERRORS, type FormErrors } from "../forms";
import { formatDateTime } from "../format";
import { useQuery, useScreen } from "../hooks";
import { href, takeFlash } from "../router";

export const EVENT_CHOICES: Choice[] = [
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
];

/** The event names as receivers see them in X-Qanda-Event and the payload. */
export const EVENT_NAMES: Record<WebhookEvent, string> = {
  QUESTION_PUBLISHED: "question.published",
  QUESTION_UNPUBLISHED: "question.unpublished",
  QUESTION_ARCHIVED: "question.archived",
  PAGE_RETIRED: "page.retired",
};

export const WEBHOOK_FIELDS = { url: "url", events: "events", description: "description", active: "active" };

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

/** /admin/webhooks: every webhook, and the form to add one. */
export function Webhooks() {
  const [flash] = useState(takeFlash);
  const webhooks = useQuery(() => request(WebhooksDocument), []);
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<string[]>([]);
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [created, setCreated] = useState<{ secret: string; url: string; key: number } | null>(null);
  const busy = useRef(false);
  useScreen(webhooks.data || webhooks.error ? "Webhooks" : null, hasErrors(errors));

  if (webhooks.error) return <LoadError error={webhooks.error} />;
  if (!webhooks.data) return <Loading />;

  const create = async (event: Event) => {
    event.preventDefault();
    if (busy.current) return;
    busy.current = true;
    try {
      const data = await request(CreateWebhookDocument, {
        input: { url: url.trim(), events: events as WebhookEvent[], description: description.trim() || null },
      });
      setUrl("");
      setEvents([]);
      setDescription("");
      setErrors(NO_ERRORS);
      setCreated({ secret: data.createWebhook.secret, url: data.createWebhook.webhook.url, key: Date.now() });
      await webhooks.reload();
    } catch (error) {
      setCreated(null);
      setErrors(errorsFrom(error, WEBHOOK_FIELDS));
      setAttempt((n) => n + 1);
    } finally {
      busy.current = false;
    }
  };

  const list = webhooks.data.webhooks;
  return (
    <>
      {flash && !created && <NotificationBanner heading={flash} autoFocus={false} />}
      {created && <SecretShownOnce key={created.key} heading={`Webhook added for ${created.url}`} secret={created.secret} />}
      <ErrorSummary key={attempt} items={errors.items} />
      <Heading>Webhooks</Heading>
      <p class="govuk-body">
        A webhook tells another service when a question is published, unpublished or archived, or a page is retired:
        qanda sends a signed POST to its web address. A delivery that fails is tried again, waiting longer each time.
      </p>
      {list.length === 0 ? (
        <p class="govuk-body">There are no webhooks yet.</p>
      ) : (
        <table class="govuk-table" id="webhooks">
          <caption class="govuk-table__caption govuk-visually-hidden">Every webhook</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">
                Web address
              </th>
              <th scope="col" class="govuk-table__header">
                Events
              </th>
              <th scope="col" class="govuk-table__header">
                Sending
              </th>
              <th scope="col" class="govuk-table__header">
                Added
              </th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {list.map((webhook) => (
              <tr class="govuk-table__row" key={webhook.id} data-webhook-id={webhook.id}>
                <td class="govuk-table__cell qanda-break-anywhere">
                  <a class="govuk-link" href={href(`/webhooks/${encodeURIComponent(webhook.id)}`)}>
                    {webhook.url}
                  </a>
                  {webhook.description && <p class="govuk-body-s govuk-!-margin-bottom-0">{webhook.description}</p>}
                </td>
                <td class="govuk-table__cell">
                  <EventList events={webhook.events} />
                </td>
                <td class="govuk-table__cell">
                  <WebhookState webhook={webhook} />
                </td>
                <td class="govuk-table__cell">{formatDateTime(webhook.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.length > 0 && <p class="govuk-body">Select a web address to see its deliveries, send one again, or change it.</p>}

      <div class="govuk-grid-row">
        <form class="govuk-grid-column-two-thirds" method="post" noValidate onSubmit={(e) => void create(e)}>
          <h2 class="govuk-heading-m">Add a webhook</h2>
          <TextInput {...field(errors, "url", url, setUrl)}
            label="Web address"
            hint="The full address that receives the events, starting with https:// (or http://)."
            type="text"
            autocomplete="off"
            spellcheck={false}
          />
          <Checkboxes
            id="events"
            legend="Events"
            hint="Select every event it should be told about."
            choices={EVENT_CHOICES}
            values={events}
            onChange={setEvents}
            error={errors.fields.events}
          />
          <TextInput {...field(errors, "description", description, setDescription)}
            label="Description (optional)"
            hint="What it is for, so that other admins know. Up to 200 characters."
          />
          <Button>Add webhook</Button>
        </form>
      </div>
    </>
  );
}
