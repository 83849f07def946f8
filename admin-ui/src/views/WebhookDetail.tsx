import { useState } from "preact/hooks";
import { request } from "../api";
import { ConfirmPanel, useConfirm } from "../components/ConfirmPanel";
import { Button, Checkbox } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { Heading, Loaded, TwoThirds } from "../components/Screen";
import { SummaryList } from "../components/SummaryList";
import {
  DeleteWebhookDocument,
  ResendWebhookDeliveryDocument,
  RotateWebhookSecretDocument,
  UpdateWebhookDocument,
  WebhookDocument,
  type WebhookDeliveryFieldsFragment,
  type WebhookEvent,
  type WebhookFieldsFragment,
  type WebhookQuery,
} from "../generated/graphql";
import { hasErrors, useSubmit } from "../forms";
import { formatDateTime, plural } from "../format";
import { useLocation, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";
import { DeliveryList, type Deliveries } from "./webhook/Deliveries";
import { EventList, SecretShownOnce, WEBHOOK_FIELDS, WebhookFields, WebhookState, type WebhookText } from "./webhook/parts";

const PAGE_SIZE = 20;

/** /admin/webhooks/:id: a webhook's deliveries (with Resend), its settings, its secret, and deleting it. */
export function WebhookDetail({ id }: { id: string }) {
  const { query } = useLocation();
  const after = query.get("after");
  const loaded = useQuery(() => request(WebhookDocument, { id, first: PAGE_SIZE, after }), [id, after]);
  return (
    <Loaded state={loaded} select={(data) => data.webhook && { webhook: data.webhook, deliveries: data.webhookDeliveries }}>
      {({ webhook, deliveries }) => (
        <WebhookScreen initial={webhook} deliveries={deliveries} after={after} reload={loaded.reload} />
      )}
    </Loaded>
  );
}

const textOf = (webhook: WebhookFieldsFragment): WebhookText => ({
  url: webhook.url,
  events: webhook.events,
  description: webhook.description ?? "",
});

function WebhookScreen({
  initial,
  deliveries,
  after,
  reload,
}: {
  initial: WebhookFieldsFragment;
  deliveries: Deliveries;
  after: string | null;
  reload: () => Promise<WebhookQuery | null>;
}) {
  const [webhook, setWebhook] = useState(initial);
  const [text, setText] = useState(() => textOf(initial));
  const [active, setActive] = useState(initial.active);
  const [secret, setSecret] = useState<{ secret: string; key: number } | null>(null);
  const confirm = useConfirm<"delete" | "rotate">();
  const form = useSubmit({
    ids: WEBHOOK_FIELDS,
    thing: "webhook",
    // Their settings show in the summary; what was typed stays in the form.
    reload: async () => {
      const fresh = (await reload())?.webhook ?? null;
      if (fresh) setWebhook(fresh);
      return fresh;
    },
  });
  const title = webhook.description ?? webhook.url;
  useScreen(after ? `${title} (older deliveries)` : title, hasErrors(form.errors));

  function adopt(saved: WebhookFieldsFragment) {
    setWebhook(saved);
    setText(textOf(saved));
    setActive(saved.active);
  }

  function act(run: () => Promise<string | void>) {
    confirm.close();
    setSecret(null);
    void form.submit(run);
  }

  const save = (event: Event) => {
    event.preventDefault();
    act(async () => {
      const input = { ...text, url: text.url.trim(), events: text.events as WebhookEvent[], description: text.description.trim(), active };
      adopt((await request(UpdateWebhookDocument, { id: webhook.id, version: webhook.version, input })).updateWebhook);
      return "Webhook saved";
    });
  };

  const rotate = () =>
    act(async () => {
      const data = await request(RotateWebhookSecretDocument, { id: webhook.id, version: webhook.version });
      adopt(data.rotateWebhookSecret.webhook);
      setSecret({ secret: data.rotateWebhookSecret.secret, key: Date.now() });
    });

  const remove = () =>
    act(async () => {
      await request(DeleteWebhookDocument, { id: webhook.id });
      navigate(href("/webhooks"), { force: true, flash: `Webhook for ${webhook.url} deleted` });
    });

  const resend = (delivery: WebhookDeliveryFieldsFragment) =>
    act(async () => {
      const data = await request(ResendWebhookDeliveryDocument, { id: delivery.id });
      await reload();
      return `Delivery ${delivery.id} is being sent again as delivery ${data.resendWebhookDelivery.id}`;
    });

  return (
    <>
      <a href={href("/webhooks")} class="govuk-back-link">
        All webhooks
      </a>
      <TwoThirds>
        {secret && <SecretShownOnce key={secret.key} heading="New signing secret made" secret={secret.secret} />}
        <FormMessages form={form} />
        {confirm.asking === "delete" && (
          <ConfirmPanel
            heading={`Are you sure you want to delete the webhook for ${webhook.url}?`}
            choices={[{ text: "Yes, delete this webhook", variant: "warning", onChoose: remove }]}
            onCancel={confirm.cancel}
          >
            <p class="govuk-body">It will be sent nothing more, and its deliveries will be deleted. You cannot undo this.</p>
          </ConfirmPanel>
        )}
        {confirm.asking === "rotate" && (
          <ConfirmPanel
            heading="Are you sure you want to replace the signing secret?"
            choices={[{ text: "Yes, make a new secret", variant: "warning", onChoose: rotate }]}
            onCancel={confirm.cancel}
          >
            <p class="govuk-body">
              The old secret stops working at once: the receiver will reject deliveries until it has the new one.
            </p>
          </ConfirmPanel>
        )}
        <Heading caption="Webhook">{title}</Heading>
        <SummaryList
          rows={[
            { key: "Web address", value: webhook.url, valueClass: "qanda-break-anywhere" },
            { key: "Events", value: <EventList events={webhook.events} /> },
            { key: "Sending", value: <WebhookState webhook={webhook} /> },
            { key: "Added", value: formatDateTime(webhook.createdAt) },
          ]}
        />
      </TwoThirds>

      <h2 class="govuk-heading-m">{after ? "Older deliveries" : "Recent deliveries"}</h2>
      <div class="qanda-actions">
        <p class="govuk-body" role="status">
          {plural(deliveries.totalCount, "delivery", "deliveries")} in all.
        </p>
        <Button type="button" variant="secondary" onClick={() => act(async () => void (await reload()))}>
          Check for updates
        </Button>
      </div>
      <DeliveryList webhookId={webhook.id} deliveries={deliveries} after={after} onResend={webhook.active ? resend : null} />

      <TwoThirds>
        <form method="post" noValidate onSubmit={save}>
          <h2 class="govuk-heading-m">Change this webhook</h2>
          <WebhookFields value={text} onInput={setText} errors={form.errors} descriptionHint="Up to 200 characters." />
          <Checkbox
            id="active"
            label="Send events to this webhook"
            hint="While this is off, nothing is queued for it and deliveries already waiting stay pending."
            checked={active}
            onChange={setActive}
            error={form.errors.fields.active}
          />
          <Button>Save webhook</Button>
        </form>

        <h2 class="govuk-heading-m">Signing secret</h2>
        <p class="govuk-body">
          The secret was shown once, when the webhook was added. If it has been lost or may have been seen by someone
          else, make a new one and give it to the receiving service.
        </p>
        <Button type="button" variant="secondary" onClick={(e) => confirm.ask("rotate", e)}>
          Make a new secret
        </Button>

        <h2 class="govuk-heading-m">Delete this webhook</h2>
        <p class="govuk-body">It will be sent nothing more, and its deliveries will be deleted.</p>
        <Button type="button" variant="warning" onClick={(e) => confirm.ask("delete", e)}>
          Delete webhook
        </Button>
      </TwoThirds>
    </>
  );
}
