import { useState } from "preact/hooks";
import { request } from "../api";
import { NotificationBanner } from "../components/NotificationBanner";
import { Heading, LoadError, Loading } from "../components/Screen";
import { PageTag } from "../components/Tag";
import { PagesDocument } from "../generated/graphql";
import { formatDateTime } from "../format";
import { useQuery, useScreen } from "../hooks";
import { href, takeFlash } from "../router";
import { can, type Me } from "../session";

export function PagesList({ me }: { me: Me }) {
  const [flash] = useState(takeFlash);
  const pages = useQuery(() => request(PagesDocument), []);
  useScreen(pages.data || pages.error ? "Pages" : null);

  if (pages.error) return <LoadError error={pages.error} />;
  if (!pages.data) return <Loading />;

  return (
    <>
      {flash && <NotificationBanner heading={flash} autoFocus={false} />}
      <Heading>Pages</Heading>
      {can(me, "managePages") && (
        <a href={href("/create-page")} class="govuk-button">
          Create a page
        </a>
      )}
      {pages.data.pages.length === 0 ? (
        <p class="govuk-body">There are no pages yet.</p>
      ) : (
        <table class="govuk-table">
          <caption class="govuk-table__caption govuk-visually-hidden">Every page, by title</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">
                Title
              </th>
              <th scope="col" class="govuk-table__header">
                Status
              </th>
              <th scope="col" class="govuk-table__header">
                Last changed
              </th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {pages.data.pages.map((page) => (
              <tr class="govuk-table__row" key={page.id} data-page-slug={page.slug}>
                <td class="govuk-table__cell">
                  <a class="govuk-link" href={href(`/pages/${encodeURIComponent(page.slug)}`)}>
                    {page.title}
                  </a>
                </td>
                <td class="govuk-table__cell">
                  <PageTag status={page.status} />
                </td>
                <td class="govuk-table__cell">{formatDateTime(page.lastChangedAt ?? page.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
