import { useRef, useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { ConfirmPanel } from "../components/ConfirmPanel";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, TextInput } from "../components/Fields";
import { NotificationBanner } from "../components/NotificationBanner";
import { Heading, LoadError, Loading, TwoThirds } from "../components/Screen";
import { Tag } from "../components/Tag";
import {
  ArchiveCategoryDocument,
  DeleteCategoryDocument,
  PageDocument,
  RestoreCategoryDocument,
  UpdateCategoryDocument,
  type PageCategoryFragment,
  type UpdateCategoryInput,
} from "../generated/graphql";
import { errorsFrom, field, hasErrors, NO_ERRORS, type FormErrors } from "../forms";
import { plural } from "../format";
import { useLeaveGuard, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";
import { can, type Me } from "../session";

/** /admin/pages/:slug/categories/:id: rename, archive, restore or delete a category. */
export function CategoryEdit({ slug, id, me }: { slug: string; id: string; me: Me }) {
  const loaded = useQuery(() => request(PageDocument, { slug }), [slug]);
  const page = loaded.data?.page;
  const category = page?.categories.find((c) => c.id === id);
  const missing = loaded.data !== null && !category;
  useScreen(loaded.error || missing ? "Page not found" : null);
  if (loaded.error) return <LoadError error={loaded.error} />;
  if (missing) return <LoadError error={new ApiError("NOT_FOUND", "No such category.")} />;
  if (!page || !category) return <Loading />;
  return <CategoryForm pageSlug={page.slug} pageTitle={page.title} initial={category} me={me} />;
}

function CategoryForm({
  pageSlug,
  pageTitle,
  initial,
  me,
}: {
  pageSlug: string;
  pageTitle: string;
  initial: PageCategoryFragment;
  me: Me;
}) {
  const [category, setCategory] = useState(initial);
  const [title, setTitle] = useState(initial.title);
  const [slug, setSlug] = useState(initial.slug);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [banner, setBanner] = useState<{ text: string; key: number } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const busy = useRef(false);
  const mayPublish = can(me, "publish");
  const pageHref = href(`/pages/${encodeURIComponent(pageSlug)}`);
  useLeaveGuard(title !== category.title || slug !== category.slug);
  useScreen("Edit category", hasErrors(errors));

  async function act(run: () => Promise<void>) {
    if (busy.current) return;
    busy.current = true;
    try {
      await run();
    } catch (error) {
      setBanner(null);
      if (error instanceof ApiError && error.code === "CONFLICT") {
        setErrors({
          items: [
            {
              text: `Someone else changed this category (now version ${error.currentVersion ?? "?"}). Go back to the page to see their changes, then try again.`,
            },
          ],
          fields: {},
        });
      } else {
        setErrors(errorsFrom(error, { title: "title", slug: "slug" }));
      }
      setAttempt((n) => n + 1);
    } finally {
      busy.current = false;
    }
  }

  function done(saved: Omit<PageCategoryFragment, "questions">, message: string) {
    setCategory((c) => ({ ...c, ...saved }));
    setTitle(saved.title);
    setSlug(saved.slug);
    setErrors(NO_ERRORS);
    setBanner({ text: message, key: Date.now() });
  }

  const onSave = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const input: UpdateCategoryInput = { title };
      if (slug !== category.slug) input.slug = slug;
      const data = await request(UpdateCategoryDocument, { id: category.id, version: category.version, input });
      done(data.updateCategory, "Category saved");
    });
  };

  const onArchive = () =>
    act(async () => {
      const data = await request(ArchiveCategoryDocument, { id: category.id, version: category.version });
      done(data.archiveCategory, "Category archived: it and its questions are hidden from the public");
    });

  const onRestore = () =>
    act(async () => {
      const data = await request(RestoreCategoryDocument, { id: category.id, version: category.version });
      done(data.restoreCategory, "Category restored");
    });

  const onDelete = () =>
    act(async () => {
      await request(DeleteCategoryDocument, { id: category.id, version: category.version });
      navigate(pageHref, { force: true, flash: "Category deleted" });
    });

  return (
    <>
      <a href={pageHref} class="govuk-back-link">
        Back to {pageTitle}
      </a>
      <TwoThirds>
        {banner && <NotificationBanner key={banner.key} heading={banner.text} />}
        <ErrorSummary key={attempt} items={errors.items} />
        {confirmDelete && (
          <ConfirmPanel
            title={`Are you sure you want to delete the category “${category.title}”?`}
            confirmText="Yes, delete this category"
            onConfirm={onDelete}
            onCancel={() => setConfirmDelete(false)}
          >
            <p class="govuk-body">You cannot undo this.</p>
          </ConfirmPanel>
        )}
        <Heading caption={pageTitle}>Edit category</Heading>
        <p class="govuk-body">
          {plural(category.questions.length, "question", "questions")}
          {category.archived && (
            <>
              {" "}
              <Tag text="Archived" colour="red" />
            </>
          )}
        </p>
        <form method="post" noValidate onSubmit={onSave}>
          <TextInput id="title" label="Category title" value={title} onInput={setTitle} error={errors.fields.title} />
          <TextInput {...field(errors, "slug", slug, setSlug)}
            label="Anchor on the page"
            hint="Lower-case letters, numbers and hyphens. The jump links on the public page point to it."
            widthClass="govuk-!-width-two-thirds"
            spellcheck={false}
          />
          <div class="govuk-button-group">
            <Button>Save changes</Button>
            {mayPublish && !category.archived && (
              <Button type="button" variant="secondary" onClick={onArchive}>
                Archive
              </Button>
            )}
            {mayPublish && category.archived && (
              <Button type="button" variant="secondary" onClick={onRestore}>
                Restore
              </Button>
            )}
            {mayPublish && category.questions.length === 0 && !confirmDelete && (
              <Button type="button" variant="warning" onClick={() => setConfirmDelete(true)}>
                Delete
              </Button>
            )}
          </div>
        </form>
        {mayPublish && category.questions.length > 0 && (
          <p class="govuk-body">Only an empty category can be deleted. Move or delete its questions first.</p>
        )}
      </TwoThirds>
    </>
  );
}
