import { useEffect, useRef, useState } from "preact/hooks";
import { request } from "../api";
import { ConfirmPanel, useConfirm } from "../components/ConfirmPanel";
import { Button, TextInput } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { RetiredNotice, ScheduledRetirement } from "../components/Retired";
import { Heading, Loaded } from "../components/Screen";
import { PageTag } from "../components/Tag";
import {
  CancelRetirementDocument,
  CreateCategoryDocument,
  MoveCategoryDocument,
  MoveQuestionDocument,
  PageDocument,
  PublishPageDocument,
  ReinstatePageDocument,
  type PageCategoryFragment,
  type PageQuery,
  type PageQuestionFragment,
} from "../generated/graphql";
import { field, hasErrors, useSubmit, type SubmitState } from "../forms";
import { useQuery, useScreen } from "../hooks";
import { href, takeFlash } from "../router";
import { CategorySection, type Direction } from "./page/CategorySection";
import { PageReviewSection } from "./page/review";

type ShownPage = NonNullable<PageQuery["page"]>;

/** After a move, focus follows the item to its new place. */
interface FocusTarget {
  kind: "question" | "category";
  id: string;
  direction: Direction;
}

export function PageView({ slug }: { slug: string }) {
  const [flash] = useState(takeFlash);
  const page = useQuery(() => request(PageDocument, { slug }), [slug]);
  const form = useSubmit({ ids: { title: "category-title" }, flash, thing: "page", reload: page.reload });
  const focusAfter = useRef<FocusTarget | null>(null);
  const data = page.data?.page;
  useScreen(data ? data.title : null, hasErrors(form.errors));

  useEffect(() => {
    const target = focusAfter.current;
    if (!target) return;
    focusAfter.current = null;
    const row = document.querySelector(`[data-${target.kind}-id="${CSS.escape(target.id)}"]`);
    const button =
      row?.querySelector<HTMLElement>(`[data-move="${target.direction}"]`) ??
      row?.querySelector<HTMLElement>("[data-move]");
    button?.focus();
  }, [page.data]);

  return (
    <Loaded state={page} select={(loaded) => loaded.page}>
      {(shown) => (
        <PageScreen data={shown} form={form} reload={page.reload} focusAfter={(target) => (focusAfter.current = target)} />
      )}
    </Loaded>
  );
}

function PageScreen({
  data,
  form,
  reload,
  focusAfter,
}: {
  data: ShownPage;
  form: SubmitState<PageQuery>;
  reload: () => Promise<unknown>;
  focusAfter: (target: FocusTarget) => void;
}) {
  const [status, setStatus] = useState("");
  const [categoryTitle, setCategoryTitle] = useState("");
  const confirm = useConfirm<"publish">();
  const mayEdit = data.viewerCan.edit;
  const mayRetire = data.viewerCan.retire;
  const retired = data.status === "RETIRED";
  const categories = data.categories;
  const { id, version } = data;

  /** Moves are announced in the live region, not a banner: focus stays on the moved item's button. */
  function move(run: () => Promise<unknown>, target: FocusTarget, done: string) {
    void form.submit(async () => {
      await run();
      focusAfter(target);
      await reload();
      setStatus(done);
    });
  }

  function moveQuestion(category: PageCategoryFragment, question: PageQuestionFragment, direction: Direction) {
    const position = question.position + (direction === "up" ? -1 : 1);
    move(
      () => request(MoveQuestionDocument, { id: question.id, version: question.version, categoryId: category.id, position }),
      { kind: "question", id: question.id, direction },
      `Moved “${question.question}” ${direction} to position ${position} in ${category.title}.`,
    );
  }

  function moveCategory(category: PageCategoryFragment, direction: Direction) {
    const position = category.position + (direction === "up" ? -1 : 1);
    move(
      () => request(MoveCategoryDocument, { id: category.id, version: category.version, position }),
      { kind: "category", id: category.id, direction },
      `Moved the category “${category.title}” ${direction} to position ${position}.`,
    );
  }

  function addCategory(event: Event) {
    event.preventDefault();
    void form.submit(async () => {
      const result = await request(CreateCategoryDocument, { input: { pageId: id, title: categoryTitle.trim() } });
      setCategoryTitle("");
      await reload();
      return `Category “${result.createCategory.title}” added.`;
    });
  }

  /** Reinstating or cancelling a scheduled retirement (admins): a versioned change to the page itself. */
  const changePage = (run: () => Promise<unknown>, done: string) =>
    void form.submit(async () => {
      await run();
      await reload();
      return done;
    });
  const publish = () => {
    confirm.close();
    changePage(() => request(PublishPageDocument, { id, version }), "Page changes published");
  };
  const reinstate = () => changePage(() => request(ReinstatePageDocument, { id, version }), "Page reinstated");
  const cancelRetirement = () =>
    changePage(() => request(CancelRetirementDocument, { id, version }), "Scheduled retirement cancelled");

  const pagePath = `/pages/${encodeURIComponent(data.slug)}`;

  return (
    <>
      <a href={href("/")} class="govuk-back-link">
        All pages
      </a>
      <FormMessages form={form} />
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <Heading caption="Page">{data.title}</Heading>
          <p class="govuk-body">
            <PageTag status={data.status} />
          </p>
          {data.hasUnpublishedChanges && !retired && (
            <div class="govuk-inset-text" id="unpublished-page-changes">
              <p class="govuk-body">
                Readers do not see some changes to this page yet: its title, introduction or footer, a category’s
                title, address or order, or where a question stands.
              </p>
              {data.viewerCan.publish && confirm.asking === null && (
                <Button type="button" id="publish-page-changes" onClick={(event) => confirm.ask("publish", event)}>
                  Publish page changes
                </Button>
              )}
              {!data.viewerCan.publish && (
                <p class="govuk-body">A publisher needs to publish them.</p>
              )}
            </div>
          )}
          {confirm.asking === "publish" && (
            <ConfirmPanel
              heading="Publish the changes to this page?"
              choices={[{ text: "Yes, publish page changes", onChoose: publish }]}
              onCancel={confirm.cancel}
            >
              <p class="govuk-body">
                Readers will see the page’s new text, category titles and order, and questions in their new places
                straight away. Changes to answers are published answer by answer.
              </p>
            </ConfirmPanel>
          )}
          {!retired && (
            <PageReviewSection key={`${version}-${data.hasUnpublishedChanges}`} slug={data.slug} version={version} />
          )}
          {retired && <RetiredNotice page={data} onReinstate={mayRetire ? reinstate : undefined} />}
          {!retired && (
            <ScheduledRetirement
              page={data}
              changeHref={mayRetire ? href(`${pagePath}/retire`) : undefined}
              onCancel={mayRetire ? cancelRetirement : undefined}
            />
          )}
        </div>
        <div class="govuk-grid-column-one-third">
          <ul class="govuk-list">
            <li>
              <a class="govuk-link" href={href(`${pagePath}/settings`)}>
                Page settings
              </a>
            </li>
            <li>
              <a class="govuk-link" href={`${pagePath}?preview=true`}>
                Preview the page<span class="govuk-visually-hidden"> {data.title}</span> with drafts
              </a>
            </li>
            <li>
              <a class="govuk-link" href={href(`${pagePath}/review`)} id="review-and-publish">
                Review and publish<span class="govuk-visually-hidden"> changes to {data.title}</span>
              </a>
            </li>
            <li>
              <a class="govuk-link" href={href(`${pagePath}/changes`)}>
                What has changed since it was published
              </a>
            </li>
            <li>
              <a class="govuk-link" href={href(`${pagePath}/history`)}>
                History of this page
              </a>
            </li>
            {mayRetire && !retired && (
              <li>
                <a class="govuk-link" href={href(`${pagePath}/retire`)}>
                  Retire this page
                </a>
              </li>
            )}
          </ul>
        </div>
      </div>

      <p class="govuk-visually-hidden" role="status" aria-live="polite">
        {status}
      </p>

      {categories.length === 0 && <p class="govuk-body">This page has no categories yet. Add one below.</p>}

      {categories.map((category, index) => (
        <CategorySection
          key={category.id}
          pagePath={pagePath}
          category={category}
          index={index}
          count={categories.length}
          mayEdit={mayEdit}
          onMoveCategory={(direction) => moveCategory(category, direction)}
          onMoveQuestion={(question, direction) => moveQuestion(category, question, direction)}
        />
      ))}

      {mayEdit && (
        <div class="govuk-grid-row">
          <form class="govuk-grid-column-two-thirds" method="post" noValidate onSubmit={addCategory}>
            <h2 class="govuk-heading-m">Add a category</h2>
            <TextInput {...field(form.errors, "category-title", categoryTitle, setCategoryTitle)}
              label="Category title"
              hint="For example, “Funding” or “Eligibility”."
            />
            <Button variant="secondary">Add a category</Button>
          </form>
        </div>
      )}
    </>
  );
}
