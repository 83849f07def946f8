import { useRef, useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { ConfirmPanel } from "../components/ConfirmPanel";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, Checkbox, Checkboxes, TextInput } from "../components/Fields";
import { NotificationBanner } from "../components/NotificationBanner";
import { Heading, LoadError, Loading } from "../components/Screen";
import { DeliveryTag } from "../components/Tag";
import {
  DeleteWebhookDocument,
  ResendWebhookDeliveryDocument,
  RotateWebhookSecretDocument,
  UpdateWebhookDocument,
  WebhookDocument,
  type UpdateWebhookInput,
  type WebhookDeliveryFieldsFragment,
  type WebhookEvent,
  type WebhookFieldsFragment,
} from "../generated/graphql";
import { errorsFrom, field, hasErrors, NO_ERRORS, type FormErrors } from "../forms";
import { formatDateTime, plural } from "../format";
import { useLocation, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";
import { EVENT_CHOICES, EVENT_NAMES, EventList, SecretShownOnce, WEBHOOK_FIELDS, WebhookState } from "./Webhooks";

const PAGE_SIZE = 20;

/** /admin/webhooks/:id: a webhook's deliveries (with Resend), its settings, its secret, and deleting it. */
export function WebhookDetail({ id }: { id: string }) {
  const { query } = useLocation();
  const after = query.get("after");
  const loaded = useQuery(() => request(WebhookDocument, { id, first: PAGE_SIZE, after }), [id, after]);
  const missing = loaded.data !== null && loaded.data.webhook === null;
  useScreen(loaded.error || missing ? "Page not found" : null);
  if (loaded.error) return <LoadError error={loaded.error} />;
  if (missing) return <LoadError error={new ApiError("NOT_FOUND", "No such webhook.")} />;
  if (!loaded.data?.webhook) return <Loading />;
  return (
    <WebhookScreen
      initial={loaded.data.webhook}
      deliveries={loaded.data.webhookDeliveries}
      after={after}
      reload={async () => {
        await loaded.reload();
      }}
    />
  );
}

interface Deliveries {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: WebhookDeliveryFieldsFragment[];
}

function WebhookScreen({
  initial,
  deliveries,
  after,
  reload,
}: {
  initial: WebhookFieldsFragment;
  deliveries: Deliveries;
  after: string | null;
  reload: () => Promise<void>;
}) {
  const [webhook, setWebhook] = useState(initial);
  const [url, setUrl] = useState(initial.url);
  const [events, setEvents] = useState<string[]>(initial.events);
  const [description, setDescription] = useState(initial.description ?? "");
  const [active, setActive] = useState(initial.active);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [banner, setBanner] = useState<{ text: string; key: number } | null>(null);
  const [secret, setSecret] = useState<{ secret: string; key: number } | null>(null);
  const [confirming, setConfirming] = useState<"delete" | "rotate" | null>(null);
  const busy = useRef(false);
  const title = webhook.description ?? webhook.url;
  const self = href(`/webhooks/${encodeURIComponent(webhook.id)}`);
  useScreen(after ? `${title} (older deliveries)` : title, hasErrors(errors));

  function show(saved: WebhookFieldsFragment) {
    setWebhook(saved);
    setUrl(saved.url);
    setEvents(saved.events);
    setDescription(saved.description ?? "");
    setActive(saved.active);
  }

  async function act(run: () => Promise<string | null>) {
    if (busy.current) return;
    busy.current = true;
    setConfirming(null);
    try {
      const message = await run();
      setErrors(NO_ERRORS);
      setBanner(message === null ? null : { text: message, key: Date.now() });
    } catch (error) {
      setBanner(null);
      setSecret(null);
      if (error instanceof ApiError && error.code === "CONFLICT") {
        await reload();
        setErrors({
          items: [{ text: "Someone else changed this webhook at the same time. Their changes are shown now; try again." }],
          fields: {},
        });
      } else {
        setErrors(errorsFrom(error, WEBHOOK_FIELDS));
      }
      setAttempt((n) => n + 1);
    } finally {
      busy.current = false;
    }
  }

  const save = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const input: UpdateWebhookInput = {
        url: url.trim(),
        events: events as WebhookEvent[],
        description: description.trim(),
        active,
      };
      const data = await request(UpdateWebhookDocument, { id: webhook.id, version: webhook.version, input });
      show(data.updateWebhook);
      setSecret(null);
      return "Webhook saved";
    });
  };

  const rotate = () =>
    act(async () => {
      const data = await request(RotateWebhookSecretDocument, { id: webhook.id, version: webhook.version });
      show(data.rotateWebhookSecret.webhook);
      setSecret({ secret: data.rotateWebhookSecret.secret, key: Date.now() });
      return null;
    });

  const remove = () =>
    act(async () => {
      await request(DeleteWebhookDocument, { id: webhook.id });
      navigate(href("/webhooks"), { force: true, flash: `Webhook for ${webhook.url} deleted` });
      return null;
    });

  const resend = (delivery: WebhookDeliveryFieldsFragment) =>
    act(async () => {
      const data = await request(ResendWebhookDeliveryDocument, { id: delivery.id });
      setSecret(null);
      await reload();
      return `Delivery ${delivery.id} is being sent again as delivery ${data.resendWebhookDelivery.id}`;
    });

  const refresh = () =>
    act(async () => {
      await reload();
      return null;
    });

  return (
    <>
      <a href={href("/webhooks")} class="govuk-back-link">
        All webhooks
      </a>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          {banner && <NotificationBanner key={banner.key} heading={banner.text} />}
          {secret && <SecretShownOnce key={secret.key} heading="New signing secret made" secret={secret.secret} />}
          <ErrorSummary key={attempt} items={errors.items} />
          {confirming === "delete" && (
            <ConfirmPanel
              title={`Are you sure you want to delete the webhook for ${webhook.url}?`}
              confirmText="Yes, delete this webhook"
              onConfirm={() => void remove()}
              onCancel={() => setConfirming(null)}
            >
              <p class="govuk-body">It will be sent nothing more, and its deliveries will be deleted. You cannot undo this.</p>
            </ConfirmPanel>
          )}
          {confirming === "rotate" && (
            <ConfirmPanel
              title="Are you sure you want to replace the signing secret?"
              confirmText="Yes, make a new secret"
              onConfirm={() => void rotate()}
              onCancel={() => setConfirming(null)}
            >
              <p class="govuk-body">
                The old secret stops working at once: the receiver will reject deliveries until it has the new one.
              </p>
            </ConfirmPanel>
          )}
          <Heading caption="Webhook">{title}</Heading>
          <dl class="govuk-summary-list">
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">Web address</dt>
              <dd class="govuk-summary-list__value qanda-break-anywhere">{webhook.url}</dd>
            </div>
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">Events</dt>
              <dd class="govuk-summary-list__value">
                <EventList events={webhook.events} />
              </dd>
            </div>
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">Sending</dt>
              <dd class="govuk-summary-list__value">
                <WebhookState webhook={webhook} />
              </dd>
            </div>
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">Added</dt>
              <dd class="govuk-summary-list__value">{formatDateTime(webhook.createdAt)}</dd>
            </div>
          </dl>
        </div>
      </div>

      <h2 class="govuk-heading-m">
        {after ? "Older deliveries" : "Recent deliveries"}
      </h2>
      <div class="qanda-actions">
        <p class="govuk-body" role="status">
          {plural(deliveries.totalCount, "delivery", "deliveries")} in all.
        </p>
        <Button type="button" variant="secondary" onClick={() => void refresh()}>
          Check for updates
        </Button>
      </div>
      {deliveries.nodes.length > 0 && (
        <table class="govuk-table" id="deliveries">
          <caption class="govuk-table__caption govuk-visually-hidden">Deliveries to this webhook, newest first</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">
                Delivery
              </th>
              <th scope="col" class="govuk-table__header">
                Event
              </th>
              <th scope="col" class="govuk-table__header">
                Status
              </th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">
                Attempts
              </th>
              <th scope="col" class="govuk-table__header">
                Last response
              </th>
              <th scope="col" class="govuk-table__header">
                <span class="govuk-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {deliveries.nodes.map((delivery) => (
              <tr class="govuk-table__row govuk-body-s" key={delivery.id} data-delivery-id={delivery.id}>
                <td class="govuk-table__cell">
                  {delivery.id}
                  <br />
                  <span class="qanda-secondary">Queued {formatDateTime(delivery.createdAt)}</span>
                </td>
                <td class="govuk-table__cell">
                  <code>{delivery.event ? EVENT_NAMES[delivery.event] : "unknown"}</code>
                </td>
                <td class="govuk-table__cell">
                  <DeliveryTag status={delivery.status} />
                </td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{delivery.attempts}</td>
                <td class="govuk-table__cell qanda-break-anywhere">
                  <LastResponse delivery={delivery} />
                </td>
                <td class="govuk-table__cell">
                  {delivery.status !== "PENDING" && webhook.active && (
                    <Button
                      type="button"
                      variant="secondary"
                      extraClass="govuk-!-margin-bottom-0"
                      onClick={() => void resend(delivery)}
                    >
                      Resend<span class="govuk-visually-hidden"> delivery {delivery.id}</span>
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(after || (deliveries.pageInfo.hasNextPage && deliveries.pageInfo.endCursor)) && (
        <nav class="govuk-pagination" aria-label="Pages of deliveries">
          <ul class="govuk-pagination__list">
            {after && (
              <li class="govuk-pagination__item">
                <a class="govuk-link govuk-pagination__link" href={self}>
                  Newest deliveries
                </a>
              </li>
            )}
            {deliveries.pageInfo.hasNextPage && deliveries.pageInfo.endCursor && (
              <li class="govuk-pagination__item">
                <a
                  class="govuk-link govuk-pagination__link"
                  href={href(`/webhooks/${encodeURIComponent(webhook.id)}`, { after: deliveries.pageInfo.endCursor })}
                >
                  Older deliveries
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}

      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <form method="post" noValidate onSubmit={save}>
            <h2 class="govuk-heading-m">Change this webhook</h2>
            <TextInput {...field(errors, "url", url, setUrl)}
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
              values={events}
              onChange={setEvents}
              error={errors.fields.events}
            />
            <TextInput {...field(errors, "description", description, setDescription)}
              label="Description (optional)"
              hint="Up to 200 characters."
            />
            <Checkbox
              id="active"
              label="Send events to this webhook"
              hint="While this is off, nothing is queued for it and deliveries already waiting stay pending."
              checked={active}
              onChange={setActive}
              error={errors.fields.active}
            />
            <Button>Save webhook</Button>
          </form>

          <h2 class="govuk-heading-m">Signing secret</h2>
          <p class="govuk-body">
            The secret was shown once, when the webhook was added. If it has been lost or may have been seen by someone
            else, make a new one and give it to the receiving service.
          </p>
          <Button type="button" variant="secondary" onClick={() => setConfirming("rotate")}>
            Make a new secret
          </Button>

          <h2 class="govuk-heading-m">Delete this webhook</h2>
          <p class="govuk-body">It will be sent nothing more, and its deliveries will be deleted.</p>
          <Button type="button" variant="warning" onClick={() => setConfirming("delete")}>
            Delete webhook
          </Button>
        </div>
      </div>
    </>
  );
}

function LastResponse({ delivery }: { delivery: WebhookDeliveryFieldsFragment }) {
  const when = delivery.lastAttemptAt ? formatDateTime(delivery.lastAttemptAt) : null;
  let what: string;
  if (delivery.attempts === 0) what = "Not tried yet";
  else if (delivery.lastStatusCode !== null && delivery.status === "DELIVERED") what = `${delivery.lastStatusCode} (delivered)`;
  else what = delivery.lastError ?? (delivery.lastStatusCode !== null ? String(delivery.lastStatusCode) : "No answer");
  return (
    <>
      {what}
      {when && delivery.attempts > 0 && (
        <>
          <br />
          <span class="qanda-secondary">{when}</span>
        </>
      )}
      {delivery.status === "PENDING" && delivery.nextAttemptAt && (
        <>
          <br />
          <span class="qanda-secondary">Next attempt {formatDateTime(delivery.nextAttemptAt)}</span>
        </>
      )}
    </>
  );
}
