import { useState } from "preact/hooks";
import { request } from "../api";
import { Button, Select, TextInput } from "../components/Fields";
import { Heading, LoadError, Loading } from "../components/Screen";
import { AuditActorsDocument, AuditEventsDocument } from "../generated/graphql";
import { formatDateTime, plural } from "../format";
import { useLocation, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";

const PAGE_SIZE = 50;
const PATH = "/audit";

/** "2025-11-27" → the start of that day in UTC, as the API's DateTime wants. */
function dayStart(day: string | null): string | null {
  return day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00Z` : null;
}

/** "until" a day includes that day. */
function dayEnd(day: string | null): string | null {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}

/** The detail JSON as "name: value" lines; anything else as it came. */
function prettyDetail(detail: string): string {
  try {
    const parsed: unknown = JSON.parse(detail);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return detail;
    return Object.entries(parsed)
      .map(([name, value]) => `${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join("\n");
  } catch {
    return detail;
  }
}

/** Filters live in the URL (?action=&actor=&since=&until=&after=): every view of the log is a link. */
export function AuditLog() {
  const { query } = useLocation();
  const filters = {
    action: query.get("action") ?? "",
    actor: query.get("actor") ?? "",
    since: query.get("since") ?? "",
    until: query.get("until") ?? "",
  };
  const after = query.get("after");
  const events = useQuery(
    () =>
      request(AuditEventsDocument, {
        first: PAGE_SIZE,
        after,
        action: filters.action || null,
        actorId: filters.actor || null,
        since: dayStart(filters.since),
        until: dayEnd(filters.until),
      }),
    [query.toString()],
  );
  const actors = useQuery(() => request(AuditActorsDocument), []);
  const [action, setAction] = useState(filters.action);
  const [actor, setActor] = useState(filters.actor);
  const [since, setSince] = useState(filters.since);
  const [until, setUntil] = useState(filters.until);
  useScreen(events.data || events.error ? (after ? "Audit log (older events)" : "Audit log") : null);

  if (events.error) return <LoadError error={events.error} />;
  if (!events.data) return <Loading />;
  const { nodes, pageInfo, totalCount } = events.data.auditEvents;
  const filtered = Object.values(filters).some((v) => v !== "");

  function apply(event: Event) {
    event.preventDefault();
    navigate(href(PATH, { action: action.trim(), actor, since, until }));
  }

  return (
    <>
      <Heading>Audit log</Heading>
      <form method="get" action={href(PATH)} noValidate onSubmit={apply}>
        <h2 class="govuk-heading-m">Filter events</h2>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-half">
            <TextInput
              id="action"
              label="Action"
              hint="For example, question.publish or sign_in.failure"
              spellcheck={false}
              value={action}
              onInput={setAction}
            />
          </div>
          <div class="govuk-grid-column-one-half">
            <Select
              id="actor"
              label="Done by"
              choices={[
                { value: "", text: "Anyone" },
                ...(actors.data?.users ?? []).map((u) => ({ value: u.id, text: `${u.displayName} (${u.email})` })),
              ]}
              value={actor}
              onChange={setActor}
            />
          </div>
        </div>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-half">
            <TextInput id="since" label="From (date)" type="date" value={since} onInput={setSince} />
          </div>
          <div class="govuk-grid-column-one-half">
            <TextInput id="until" label="To (date)" type="date" value={until} onInput={setUntil} />
          </div>
        </div>
        <div class="govuk-button-group">
          <Button variant="secondary">Apply filters</Button>
          {filtered && (
            <a class="govuk-link" href={href(PATH)}>
              Clear filters
            </a>
          )}
        </div>
      </form>

      <p class="govuk-body" role="status">
        {plural(totalCount, "event", "events")}
        {filtered ? " match these filters" : ""}.
      </p>
      {nodes.length > 0 && (
        <table class="govuk-table" id="audit-events">
          <caption class="govuk-table__caption govuk-visually-hidden">Audit events, newest first</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">
                When
              </th>
              <th scope="col" class="govuk-table__header">
                Who
              </th>
              <th scope="col" class="govuk-table__header">
                Action
              </th>
              <th scope="col" class="govuk-table__header">
                Target
              </th>
              <th scope="col" class="govuk-table__header">
                Details
              </th>
              <th scope="col" class="govuk-table__header">
                From address
              </th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {nodes.map((event) => (
              <tr class="govuk-table__row govuk-body-s" key={event.id} data-audit-id={event.id}>
                <td class="govuk-table__cell">{formatDateTime(event.occurredAt)}</td>
                <td class="govuk-table__cell">{event.actor?.displayName ?? "System or not signed in"}</td>
                <td class="govuk-table__cell">
                  <code>{event.action}</code>
                </td>
                <td class="govuk-table__cell">
                  {event.targetType ? `${event.targetType} ${event.targetId ?? ""}` : ""}
                </td>
                <td class="govuk-table__cell">
                  <pre class="qanda-detail">{prettyDetail(event.detail)}</pre>
                </td>
                <td class="govuk-table__cell">{event.clientAddress ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(after || (pageInfo.hasNextPage && pageInfo.endCursor)) && (
        <nav class="govuk-pagination" aria-label="Pages of events">
          <ul class="govuk-pagination__list">
            {after && (
              <li class="govuk-pagination__item">
                <a class="govuk-link govuk-pagination__link" href={href(PATH, filters)}>
                  Newest events
                </a>
              </li>
            )}
            {pageInfo.hasNextPage && pageInfo.endCursor && (
              <li class="govuk-pagination__item">
                <a class="govuk-link govuk-pagination__link" href={href(PATH, { ...filters, after: pageInfo.endCursor })}>
                  Next page
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </>
  );
}
