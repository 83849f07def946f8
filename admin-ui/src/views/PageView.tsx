import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, TextInput } from "../components/Fields";
import { NotificationBanner } from "../components/NotificationBanner";
import { RetiredNotice, ScheduledRetirement } from "../components/Retired";
import { Heading, LoadError, Loading } from "../components/Screen";
import { PageTag, QuestionTag, Tag } from "../components/Tag";
import {
  CancelRetirementDocument,
  CreateCategoryDocument,
  MoveCategoryDocument,
  MoveQuestionDocument,
  PageDocument,
  ReinstatePageDocument,
  type PageCategoryFragment,
  type PageQuestionFragment,
} from "../generated/graphql";
import { errorsFrom, field, hasErrors, NO_ERRORS, type FormErrors } from "../forms";
import { plural } from "../format";
import { useQuery, useScreen } from "../hooks";
import { href, takeFlash } from "../router";

type Direction = "up" | "down";

/** After a move, focus follows the item to its new place. */
interface FocusTarget {
  kind: "question" | "category";
  id: string;
  direction: Direction;
}

export function PageView({ slug }: { slug: string }) {
  const [flash] = useState(takeFlash);
  const page = useQuery(() => request(PageDocument, { slug }), [slug]);
  const [status, setStatus] = useState("");
  const [problem, setProblem] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [categoryTitle, setCategoryTitle] = useState("");
  const [banner, setBanner] = useState<{ text: string; key: number } | null>(null);
  const busy = useRef(false);
  const focusAfter = useRef<FocusTarget | null>(null);

  const data = page.data?.page;
  const notFound = page.data !== null && !data;
  useScreen(data ? data.title : page.error || notFound ? "Page not found" : null, hasErrors(problem));

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

  if (page.error) return <LoadError error={page.error} />;
  if (notFound) return <LoadError error={new ApiError("NOT_FOUND", "No such page.")} />;
  if (!data) return <Loading />;

  const mayEdit = data.viewerCan.edit;
  const mayRetire = data.viewerCan.retire;
  const retired = data.status === "RETIRED";
  const categories = data.categories;

  async function move(run: () => Promise<unknown>, target: FocusTarget, done: string) {
    if (busy.current) return;
    busy.current = true;
    try {
      await run();
      setProblem(NO_ERRORS);
      focusAfter.current = target;
      await page.reload();
      setStatus(done);
    } catch (error) {
      if (error instanceof ApiError && error.code === "CONFLICT") {
        setProblem({
          items: [{ text: "Someone else changed this page while you were looking at it. Check the new order and try again." }],
          fields: {},
        });
        await page.reload();
      } else {
        setProblem(errorsFrom(error, {}));
      }
      setAttempt((n) => n + 1);
    } finally {
      busy.current = false;
    }
  }

  function moveQuestion(category: PageCategoryFragment, question: PageQuestionFragment, direction: Direction) {
    const position = question.position + (direction === "up" ? -1 : 1);
    void move(
      () =>
        request(MoveQuestionDocument, {
          id: question.id,
          version: question.version,
          categoryId: category.id,
          position,
        }),
      { kind: "question", id: question.id, direction },
      `Moved “${question.question}” ${direction} to position ${position} in ${category.title}.`,
    );
  }

  function moveCategory(category: PageCategoryFragment, direction: Direction) {
    const position = category.position + (direction === "up" ? -1 : 1);
    void move(
      () => request(MoveCategoryDocument, { id: category.id, version: category.version, position }),
      { kind: "category", id: category.id, direction },
      `Moved the category “${category.title}” ${direction} to position ${position}.`,
    );
  }

  async function addCategory(event: Event) {
    event.preventDefault();
    if (busy.current || !data) return;
    busy.current = true;
    try {
      const result = await request(CreateCategoryDocument, { input: { pageId: data.id, title: categoryTitle.trim() } });
      setCategoryTitle("");
      setProblem(NO_ERRORS);
      await page.reload();
      setBanner({ text: `Category “${result.createCategory.title}” added.`, key: Date.now() });
    } catch (error) {
      setProblem(errorsFrom(error, { title: "category-title" }));
      setAttempt((n) => n + 1);
    } finally {
      busy.current = false;
    }
  }

  /** Reinstating or cancelling a scheduled retirement (admins): a versioned change to the page itself. */
  async function changePage(
    run: (page: { id: string; version: number }) => Promise<unknown>,
    done: string,
    /** After "It has been reloaded: check it, then …" */
    retry: string,
  ) {
    if (busy.current || !data) return;
    busy.current = true;
    try {
      await run(data);
      setProblem(NO_ERRORS);
      await page.reload();
      setBanner({ text: done, key: Date.now() });
    } catch (error) {
      setBanner(null);
      if (error instanceof ApiError && error.code === "CONFLICT") {
        setProblem({
          items: [
            {
              text: `Someone else changed this page while you were looking at it. It has been reloaded: check it, then ${retry}.`,
            },
          ],
          fields: {},
        });
        await page.reload();
      } else {
        setProblem(errorsFrom(error, {}));
      }
      setAttempt((n) => n + 1);
    } finally {
      busy.current = false;
    }
  }

  const reinstate = () =>
    void changePage(
      ({ id, version }) => request(ReinstatePageDocument, { id, version }),
      "Page reinstated",
      "reinstate it again if it is still retired",
    );
  const cancelRetirement = () =>
    void changePage(
      ({ id, version }) => request(CancelRetirementDocument, { id, version }),
      "Scheduled retirement cancelled",
      "cancel the retirement again if it is still scheduled",
    );

  const pageHref = `/pages/${encodeURIComponent(data.slug)}`;

  return (
    <>
      <a href={href("/")} class="govuk-back-link">
        All pages
      </a>
      {flash && !banner && <NotificationBanner heading={flash} autoFocus={false} />}
      {banner && <NotificationBanner key={banner.key} heading={banner.text} />}
      <ErrorSummary key={attempt} items={problem.items} />
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <Heading caption="Page">{data.title}</Heading>
          <p class="govuk-body">
            <PageTag status={data.status} />
          </p>
          {retired && <RetiredNotice page={data} onReinstate={mayRetire ? reinstate : undefined} />}
          {!retired && (
            <ScheduledRetirement
              page={data}
              changeHref={mayRetire ? href(`${pageHref}/retire`) : undefined}
              onCancel={mayRetire ? cancelRetirement : undefined}
            />
          )}
        </div>
        <div class="govuk-grid-column-one-third">
          <ul class="govuk-list">
            <li>
              <a class="govuk-link" href={href(`${pageHref}/settings`)}>
                Page settings
              </a>
            </li>
            <li>
              <a class="govuk-link" href={`${pageHref}?preview=true`}>
                Preview the page<span class="govuk-visually-hidden"> {data.title}</span> with drafts
              </a>
            </li>
            {mayRetire && !retired && (
              <li>
                <a class="govuk-link" href={href(`${pageHref}/retire`)}>
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
        <section
          class="qanda-category"
          key={category.id}
          data-category-id={category.id}
          aria-labelledby={`category-${category.id}-title`}
        >
          <div class="qanda-category__header">
            <h2 class="govuk-heading-m" id={`category-${category.id}-title`}>
              {category.title} {category.archived && <Tag text="Archived" colour="red" />}
            </h2>
            {mayEdit && (
              <div class="qanda-item__actions">
                {index > 0 && (
                  <Button
                    type="button"
                    variant="secondary"
                    data-move="up"
                    onClick={() => moveCategory(category, "up")}
                  >
                    Move up<span class="govuk-visually-hidden"> category: {category.title}</span>
                  </Button>
                )}
                {index < categories.length - 1 && (
                  <Button
                    type="button"
                    variant="secondary"
                    data-move="down"
                    onClick={() => moveCategory(category, "down")}
                  >
                    Move down<span class="govuk-visually-hidden"> category: {category.title}</span>
                  </Button>
                )}
              </div>
            )}
          </div>
          <p class="govuk-body">
            <a class="govuk-link" href={href(`${pageHref}/categories/${encodeURIComponent(category.id)}`)}>
              Edit category<span class="govuk-visually-hidden">: {category.title}</span>
            </a>
          </p>
          {category.questions.length === 0 ? (
            <p class="govuk-body">No questions in this category yet.</p>
          ) : (
            <>
              <p class="govuk-body-s govuk-!-margin-bottom-2">{plural(category.questions.length, "question", "questions")}</p>
              <ol class="qanda-item-list" aria-label={`Questions in ${category.title}`}>
                {category.questions.map((question, qIndex) => (
                  <li class="qanda-item" key={question.id} data-question-id={question.id}>
                    <p class="qanda-item__text">
                      <a class="govuk-link" href={href(`/questions/${encodeURIComponent(question.id)}`)}>
                        {question.question}
                      </a>
                    </p>
                    <QuestionTag status={question.status} hasUnpublishedChanges={question.hasUnpublishedChanges} />
                    {mayEdit && (
                      <div class="qanda-item__actions">
                        {qIndex > 0 && (
                          <Button
                            type="button"
                            variant="secondary"
                            data-move="up"
                            onClick={() => moveQuestion(category, question, "up")}
                          >
                            Move up<span class="govuk-visually-hidden">: {question.question}</span>
                          </Button>
                        )}
                        {qIndex < category.questions.length - 1 && (
                          <Button
                            type="button"
                            variant="secondary"
                            data-move="down"
                            onClick={() => moveQuestion(category, question, "down")}
                          >
                            Move down<span class="govuk-visually-hidden">: {question.question}</span>
                          </Button>
                        )}
                      </div>
                    )}
                  </li>
                ))}
              </ol>
            </>
          )}
          {mayEdit && (
            <p class="govuk-body">
              <a class="govuk-link" href={href("/questions/new", { category: category.id })}>
                Add a question<span class="govuk-visually-hidden"> to {category.title}</span>
              </a>
            </p>
          )}
        </section>
      ))}

      {mayEdit && (
        <div class="govuk-grid-row">
          <form class="govuk-grid-column-two-thirds" method="post" noValidate onSubmit={addCategory}>
            <h2 class="govuk-heading-m">Add a category</h2>
            <TextInput {...field(problem, "category-title", categoryTitle, setCategoryTitle)}
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
