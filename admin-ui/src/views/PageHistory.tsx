// A page's history: its own text and status, and its categories' text and
// order, newest first, each saying what happened and who did it.

import { request } from "../api";
import { Heading, Loaded } from "../components/Screen";
import { Cell, Table } from "../components/Table";
import { When } from "../components/When";
import { PageHistoryDocument, type PageHistoryQuery } from "../generated/graphql";
import { actionWords, itemWords, whoDid } from "../history";
import { useLocation, useQuery, useScreen } from "../hooks";
import { href } from "../router";

const PAGE_SIZE = 50;

type Shown = NonNullable<PageHistoryQuery["page"]>;
type Entry = Shown["history"]["nodes"][number];

/** "Moved to position 2" for a category that moved; the action's words otherwise. */
function whatHappened(entry: Entry): string {
  const words = actionWords(entry.action);
  if (entry.action === "MOVED" && entry.position !== null && entry.position !== undefined) {
    return `${words} to position ${entry.position}`;
  }
  return words;
}

export function PageHistory({ slug }: { slug: string }) {
  const { query } = useLocation();
  const after = query.get("after");
  const history = useQuery(() => request(PageHistoryDocument, { slug, first: PAGE_SIZE, after }), [slug, after]);
  useScreen(history.data?.page ? "History of this page" : null);
  return (
    <Loaded state={history} select={(data) => data.page}>
      {(page) => <HistoryScreen page={page} after={after} />}
    </Loaded>
  );
}

function HistoryScreen({ page, after }: { page: Shown; after: string | null }) {
  const pagePath = `/pages/${encodeURIComponent(page.slug)}`;
  const historyPath = `${pagePath}/history`;
  const { nodes, totalCount, pageInfo } = page.history;
  return (
    <>
      <a href={href(pagePath)} class="govuk-back-link">
        Back to the page
      </a>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <Heading caption={page.title}>History of this page</Heading>
          <p class="govuk-body">
            Changes to the page’s title, introduction, footer and status, and to its categories and their order.
            Each question has a history of its own, in the question’s versions.
          </p>
        </div>
      </div>
      <div class="qanda-table-scroll" tabIndex={0} role="region" aria-label="Changes to this page">
        <Table
          id="page-history"
          caption={`Every change, newest first (${totalCount})`}
          captionClass="govuk-table__caption--m"
          columns={["What changed", "What happened", "Who", "When", "Note"]}
        >
          {nodes.map((entry) => (
            <tr class="govuk-table__row" key={entry.id} data-revision-id={entry.id} data-item-type={entry.itemType}>
              <Cell>
                {itemWords(entry.itemType)}
                {entry.itemType === "CATEGORY" && entry.title ? ` “${entry.title}”` : ""}
                <span class="govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">Version {entry.version}</span>
              </Cell>
              <Cell extraClass="qanda-action">{whatHappened(entry)}</Cell>
              <Cell>{whoDid(entry)}</Cell>
              <Cell>
                <When at={entry.createdAt} />
              </Cell>
              <Cell>{entry.note ?? ""}</Cell>
            </tr>
          ))}
        </Table>
      </div>
      {(after || pageInfo.hasNextPage) && (
        <nav class="govuk-pagination" aria-label="Pages of the history">
          <ul class="govuk-pagination__list">
            {after && (
              <li class="govuk-pagination__item">
                <a class="govuk-link govuk-pagination__link" href={href(historyPath)}>
                  Newest changes
                </a>
              </li>
            )}
            {pageInfo.hasNextPage && pageInfo.endCursor && (
              <li class="govuk-pagination__item">
                <a class="govuk-link govuk-pagination__link" href={href(historyPath, { after: pageInfo.endCursor })}>
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
