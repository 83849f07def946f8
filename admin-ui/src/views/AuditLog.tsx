import { useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { DateInput } from "../components/DateInput";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, Select } from "../components/Fields";
import { Heading, LoadError, Loading } from "../components/Screen";
import {
  dateGroupError,
  dateOf,
  dateProblemInput,
  parseDate,
  startOfDay,
  type DatePart,
  type DateValue,
} from "../dates";
import { hasErrors, localErrors, NO_ERRORS, type FormErrors } from "../forms";
import {
  AuditEventsDocument,
  AuditFiltersDocument,
  type AuditEventsQuery,
  type AuditTargetKind,
} from "../generated/graphql";
import { formatDateTime, plural } from "../format";
import { useLocation, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";

const PAGE_SIZE = 50;
const PATH = "/audit";
const SINCE_ID = "since";
const UNTIL_ID = "until";
const SINCE_NAME = "The \u2018from\u2019 date";
const UNTIL_NAME = "The \u2018to\u2019 date";
const RANGE_MESSAGE = "The \u2018to\u2019 date must be the same as or after the \u2018from\u2019 date";

type AuditEvent = AuditEventsQuery["auditEvents"]["nodes"][number];

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

const KIND_NAMES: Record<AuditTargetKind, string> = {
  QUESTION: "Question",
  PAGE: "Page",
  CATEGORY: "Category",
  USER: "User",
  WEBHOOK: "Webhook",
};

/** Where the admin UI shows the item; null when it cannot be linked to. */
function targetHref(target: NonNullable<AuditEvent["target"]>): string | null {
  const id = encodeURIComponent(target.id);
  const page = target.pageSlug ? encodeURIComponent(target.pageSlug) : null;
  switch (target.kind) {
    case "QUESTION":
      return href(`/questions/${id}`);
    case "PAGE":
      return page ? href(`/pages/${page}`) : null;
    case "CATEGORY":
      return page ? href(`/pages/${page}/categories/${id}`) : null;
    case "USER":
      return href(`/users/${id}`);
    case "WEBHOOK":
      return href(`/webhooks/${id}`);
  }
}

/** The item by what it is called now, linked to; a deleted one by its id. */
function Target({ event }: { event: AuditEvent }) {
  const { target } = event;
  if (!target) return <>{event.targetType ? `${event.targetType} ${event.targetId ?? ""}` : ""}</>;
  const kind = KIND_NAMES[target.kind];
  if (target.title === null || target.title === undefined) return <>{`${kind} ${target.id} (deleted)`}</>;
  const link = targetHref(target);
  return (
    <>
      {kind}:{" "}
      {link === null ? (
        target.title
      ) : (
        <a class="govuk-link" href={link}>
          {target.title}
        </a>
      )}
    </>
  );
}

function Actor({ event }: { event: AuditEvent }) {
  if (!event.actor) return <>{event.actorName}</>;
  return (
    <a class="govuk-link" href={href(`/users/${encodeURIComponent(event.actor.id)}`)}>
      {event.actorName}
    </a>
  );
}

interface Filters {
  action: string;
  actor: string;
  since: DateValue;
  until: DateValue;
}

/** The filters as a link keeps them ("2025-11-27" for dates), or what is wrong with them. */
function checkFilters(filters: Filters): { query: Record<string, string> } | { errors: FormErrors; bad: Record<string, DatePart[]> } {
  const problems: Array<[string, string]> = [];
  const bad: Record<string, DatePart[]> = {};
  const since = parseDate(SINCE_NAME, filters.since);
  const until = parseDate(UNTIL_NAME, filters.until);
  if ("message" in since) {
    problems.push([dateProblemInput(SINCE_ID, since.parts), since.message]);
    bad[SINCE_ID] = since.parts;
  }
  if ("message" in until) {
    problems.push([dateProblemInput(UNTIL_ID, until.parts), until.message]);
    bad[UNTIL_ID] = until.parts;
  }
  if ("date" in since && "date" in until && since.date && until.date && until.date < since.date) {
    problems.push([`${UNTIL_ID}-day`, RANGE_MESSAGE]);
  }
  if (problems.length > 0 || !("date" in since) || !("date" in until)) return { errors: localErrors(problems), bad };
  return {
    query: { action: filters.action, actor: filters.actor, since: since.date ?? "", until: until.date ?? "" },
  };
}

/** Filters live in the URL (?action=&actor=&since=&until=&after=): every view of the log is a link. */
export function AuditLog() {
  const { query } = useLocation();
  const inUrl = {
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
        action: inUrl.action || null,
        actorId: inUrl.actor || null,
        since: startOfDay(inUrl.since),
        // "To" a day includes that day.
        until: startOfDay(inUrl.until, 1),
      }),
    [query.toString()],
  );
  const choices = useQuery(() => request(AuditFiltersDocument), []);
  const [form, setForm] = useState<Filters>({
    action: inUrl.action,
    actor: inUrl.actor,
    since: dateOf(inUrl.since),
    until: dateOf(inUrl.until),
  });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [badParts, setBadParts] = useState<Record<string, DatePart[]>>({});
  const [attempt, setAttempt] = useState(0);
  // A link whose range the API refuses shows the form with the API's message.
  const refused = events.error instanceof ApiError && events.error.code === "BAD_USER_INPUT" ? events.error : null;
  const shownErrors = hasErrors(errors) ? errors : refused ? localErrors([[`${UNTIL_ID}-day`, refused.message]]) : errors;
  const loaded = events.data !== null || events.error !== null;
  useScreen(loaded ? (after ? "Audit log (older events)" : "Audit log") : null, hasErrors(shownErrors));

  if (events.error && !refused) return <LoadError error={events.error} />;
  if (!events.data && !refused) return <Loading />;
  const filtered = Object.values(inUrl).some((v) => v !== "");

  function apply(event: Event) {
    event.preventDefault();
    const checked = checkFilters(form);
    if ("errors" in checked) {
      setErrors(checked.errors);
      setBadParts(checked.bad);
      setAttempt((n) => n + 1);
      return;
    }
    navigate(href(PATH, checked.query));
  }

  const actionChoices = [
    { value: "", text: "Any action" },
    ...(choices.data?.auditActions ?? []).map((action) => ({ value: action, text: action })),
  ];
  // Keep a chosen action that the list does not know (an old link) choosable.
  if (form.action && !actionChoices.some((c) => c.value === form.action)) {
    actionChoices.push({ value: form.action, text: form.action });
  }
  const example = new Date().getFullYear();

  return (
    <>
      <ErrorSummary key={attempt} items={shownErrors.items} />
      <Heading>Audit log</Heading>
      <form method="get" action={href(PATH)} noValidate onSubmit={apply}>
        <h2 class="govuk-heading-m">Filter events</h2>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-half">
            <Select
              id="action"
              label="Action"
              choices={actionChoices}
              value={form.action}
              onChange={(action) => setForm((f) => ({ ...f, action }))}
            />
          </div>
          <div class="govuk-grid-column-one-half">
            <Select
              id="actor"
              label="Done by"
              choices={[
                { value: "", text: "Anyone" },
                ...(choices.data?.users ?? []).map((u) => ({ value: u.id, text: `${u.displayName} (${u.email})` })),
              ]}
              value={form.actor}
              onChange={(actor) => setForm((f) => ({ ...f, actor }))}
            />
          </div>
        </div>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-half">
            <DateInput
              id={SINCE_ID}
              legend="From"
              hint={`The first day to show. For example, 27 3 ${example}`}
              value={form.since}
              onInput={(since) => setForm((f) => ({ ...f, since }))}
              error={dateGroupError(shownErrors, SINCE_ID)}
              badParts={badParts[SINCE_ID]}
            />
          </div>
          <div class="govuk-grid-column-one-half">
            <DateInput
              id={UNTIL_ID}
              legend="To"
              hint={`The last day to show. For example, 31 3 ${example}`}
              value={form.until}
              onInput={(until) => setForm((f) => ({ ...f, until }))}
              error={dateGroupError(shownErrors, UNTIL_ID)}
              badParts={badParts[UNTIL_ID]}
            />
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
      {events.data && <Events data={events.data} after={after} filters={inUrl} filtered={filtered} />}
    </>
  );
}

function Events({
  data,
  after,
  filters,
  filtered,
}: {
  data: AuditEventsQuery;
  after: string | null;
  filters: Record<string, string>;
  filtered: boolean;
}) {
  const { nodes, pageInfo, totalCount } = data.auditEvents;
  return (
    <>
      <p class="govuk-body" role="status">
        {plural(totalCount, "event", "events")}
        {filtered ? (totalCount === 1 ? " matches these filters" : " match these filters") : ""}.
      </p>
      {nodes.length > 0 && (
        <div class="qanda-table-scroll" tabIndex={0} role="region" aria-label="Audit events">
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
                  Item
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
                  <td class="govuk-table__cell qanda-audit-actor">
                    <Actor event={event} />
                  </td>
                  <td class="govuk-table__cell">
                    <code>{event.action}</code>
                  </td>
                  <td class="govuk-table__cell qanda-audit-target">
                    <Target event={event} />
                  </td>
                  <td class="govuk-table__cell">
                    <pre class="qanda-detail">{prettyDetail(event.detail)}</pre>
                  </td>
                  <td class="govuk-table__cell">{event.clientAddress ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
