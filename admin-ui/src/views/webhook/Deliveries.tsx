import { Button } from "../../components/Fields";
import { Cell, Table } from "../../components/Table";
import { DeliveryTag } from "../../components/Tag";
import type { WebhookDeliveryFieldsFragment } from "../../generated/graphql";
import { formatDateTime } from "../../format";
import { href } from "../../router";
import { EVENT_NAMES } from "./parts";

export interface Deliveries {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: WebhookDeliveryFieldsFragment[];
}

/** One page of a webhook's deliveries, newest first, with Resend for those that are done, and links to the others. */
export function DeliveryList({
  webhookId,
  deliveries,
  after,
  onResend,
}: {
  webhookId: string;
  deliveries: Deliveries;
  after: string | null;
  /** Absent while the webhook is off: nothing would be sent. */
  onResend: ((delivery: WebhookDeliveryFieldsFragment) => void) | null;
}) {
  const self = `/webhooks/${encodeURIComponent(webhookId)}`;
  const { hasNextPage, endCursor } = deliveries.pageInfo;
  return (
    <>
      {deliveries.nodes.length > 0 && (
        <Table
          id="deliveries"
          caption="Deliveries to this webhook, newest first"
          columns={["Delivery", "Event", "Status", { text: "Attempts", numeric: true }, "Last response", { text: "Actions", hidden: true }]}
        >
          {deliveries.nodes.map((delivery) => (
            <tr class="govuk-table__row govuk-body-s" key={delivery.id} data-delivery-id={delivery.id}>
              <Cell>
                {delivery.id}
                <br />
                <span class="qanda-secondary">Queued {formatDateTime(delivery.createdAt)}</span>
              </Cell>
              <Cell>
                <code>{delivery.event ? EVENT_NAMES[delivery.event] : "unknown"}</code>
              </Cell>
              <Cell>
                <DeliveryTag status={delivery.status} />
              </Cell>
              <Cell extraClass="govuk-table__cell--numeric">{delivery.attempts}</Cell>
              <Cell extraClass="qanda-break-anywhere">
                <LastResponse delivery={delivery} />
              </Cell>
              <Cell>
                {delivery.status !== "PENDING" && onResend && (
                  <Button
                    type="button"
                    variant="secondary"
                    extraClass="govuk-!-margin-bottom-0"
                    onClick={() => onResend(delivery)}
                  >
                    Resend<span class="govuk-visually-hidden"> delivery {delivery.id}</span>
                  </Button>
                )}
              </Cell>
            </tr>
          ))}
        </Table>
      )}
      {(after || (hasNextPage && endCursor)) && (
        <nav class="govuk-pagination" aria-label="Pages of deliveries">
          <ul class="govuk-pagination__list">
            {after && (
              <li class="govuk-pagination__item">
                <a class="govuk-link govuk-pagination__link" href={href(self)}>
                  Newest deliveries
                </a>
              </li>
            )}
            {hasNextPage && endCursor && (
              <li class="govuk-pagination__item">
                <a class="govuk-link govuk-pagination__link" href={href(self, { after: endCursor })}>
                  Older deliveries
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
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
