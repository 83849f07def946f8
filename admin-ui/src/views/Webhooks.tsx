import { useState } from "preact/hooks";
import { request } from "../api";
import { Button } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { Heading, Loaded } from "../components/Screen";
import { Cell, Table } from "../components/Table";
import { CreateWebhookDocument, WebhooksDocument, type WebhookEvent } from "../generated/graphql";
import { hasErrors, useSubmit } from "../forms";
import { formatDateTime } from "../format";
import { useQuery, useScreen } from "../hooks";
import { href, takeFlash } from "../router";
import { EventList, SecretShownOnce, WEBHOOK_FIELDS, WebhookFields, WebhookState, type WebhookText } from "./webhook/parts";

const EMPTY: WebhookText = { url: "", events: [], description: "" };

/** /admin/webhooks: every webhook, and the form to add one. */
export function Webhooks() {
  const [flash] = useState(takeFlash);
  const webhooks = useQuery(() => request(WebhooksDocument), []);
  const [text, setText] = useState<WebhookText>(EMPTY);
  const form = useSubmit({ ids: WEBHOOK_FIELDS, flash });
  const [created, setCreated] = useState<{ secret: string; url: string; key: number } | null>(null);
  useScreen(webhooks.data ? "Webhooks" : null, hasErrors(form.errors));

  const create = (event: Event) => {
    event.preventDefault();
    setCreated(null);
    void form.submit(async () => {
      const data = await request(CreateWebhookDocument, {
        input: { url: text.url.trim(), events: text.events as WebhookEvent[], description: text.description.trim() || null },
      });
      setText(EMPTY);
      form.clear();
      // The secret's banner says it was added: no success banner as well.
      setCreated({ secret: data.createWebhook.secret, url: data.createWebhook.webhook.url, key: Date.now() });
      await webhooks.reload();
    });
  };

  return (
    <Loaded state={webhooks} select={(data) => data.webhooks}>
      {(list) => (
        <>
          {created && <SecretShownOnce key={created.key} heading={`Webhook added for ${created.url}`} secret={created.secret} />}
          <FormMessages form={form} />
          <Heading>Webhooks</Heading>
          <p class="govuk-body">
            A webhook tells another service when a question is published, unpublished or archived, or a page is
            retired: qanda sends a signed POST to its web address. A delivery that fails is tried again, waiting
            longer each time.
          </p>
          {list.length === 0 ? (
            <p class="govuk-body">There are no webhooks yet.</p>
          ) : (
            <>
              <Table id="webhooks" caption="Every webhook" columns={["Web address", "Events", "Sending", "Added"]}>
                {list.map((webhook) => (
                  <tr class="govuk-table__row" key={webhook.id} data-webhook-id={webhook.id}>
                    <Cell extraClass="qanda-break-anywhere">
                      <a class="govuk-link" href={href(`/webhooks/${encodeURIComponent(webhook.id)}`)}>
                        {webhook.url}
                      </a>
                      {webhook.description && <p class="govuk-body-s govuk-!-margin-bottom-0">{webhook.description}</p>}
                    </Cell>
                    <Cell>
                      <EventList events={webhook.events} />
                    </Cell>
                    <Cell>
                      <WebhookState webhook={webhook} />
                    </Cell>
                    <Cell>{formatDateTime(webhook.createdAt)}</Cell>
                  </tr>
                ))}
              </Table>
              <p class="govuk-body">Select a web address to see its deliveries, send one again, or change it.</p>
            </>
          )}

          <div class="govuk-grid-row">
            <form class="govuk-grid-column-two-thirds" method="post" noValidate onSubmit={create}>
              <h2 class="govuk-heading-m">Add a webhook</h2>
              <WebhookFields
                value={text}
                onInput={setText}
                errors={form.errors}
                descriptionHint="What it is for, so that other admins know. Up to 200 characters."
              />
              <Button>Add webhook</Button>
            </form>
          </div>
        </>
      )}
    </Loaded>
  );
}
