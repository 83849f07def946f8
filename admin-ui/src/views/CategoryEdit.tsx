import { useState } from "preact/hooks";
import { request } from "../api";
import { ConfirmPanel, useConfirm, WarningText } from "../components/ConfirmPanel";
import { Button, TextInput } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { Heading, Loaded, TwoThirds } from "../components/Screen";
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
import { field, hasErrors, useSubmit } from "../forms";
import { plural } from "../format";
import { useLeaveGuard, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";
import { can, type Me } from "../session";

/** /admin/pages/:slug/categories/:id: rename, archive, restore or delete a category. */
export function CategoryEdit({ slug, id, me }: { slug: string; id: string; me: Me }) {
  const loaded = useQuery(() => request(PageDocument, { slug }), [slug]);
  return (
    <Loaded
      state={loaded}
      select={({ page }) => {
        const category = page?.categories.find((c) => c.id === id);
        return page && category && { page, category };
      }}
    >
      {({ page, category }) => (
        <CategoryForm pageSlug={page.slug} pageTitle={page.title} initial={category} me={me} />
      )}
    </Loaded>
  );
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
  const confirm = useConfirm<"archive" | "delete">();
  const mayPublish = can(me, "publish");
  const pageHref = href(`/pages/${encodeURIComponent(pageSlug)}`);

  /** Shows the category as saved; with `edits`, what was typed stays in the form. */
  function adopt(saved: Omit<PageCategoryFragment, "questions">, edits = false) {
    setCategory((c) => ({ ...c, ...saved }));
    if (edits) return;
    setTitle(saved.title);
    setSlug(saved.slug);
  }

  const form = useSubmit({
    ids: { title: "title", slug: "slug" },
    thing: "category",
    reload: async () => {
      const fresh = (await request(PageDocument, { slug: pageSlug })).page?.categories.find((c) => c.id === category.id);
      if (fresh) adopt(fresh, true);
      return fresh ?? null;
    },
  });
  const { errors } = form;
  useLeaveGuard(title !== category.title || slug !== category.slug);
  useScreen("Edit category", hasErrors(errors));

  /** A change to the category, then what it saved. */
  const change = (run: () => Promise<Omit<PageCategoryFragment, "questions">>, message: string) =>
    void form.submit(async () => {
      adopt(await run());
      return message;
    });

  const { id, version } = category;
  const onSave = (event: Event) => {
    event.preventDefault();
    change(async () => {
      const input: UpdateCategoryInput = { title };
      if (slug !== category.slug) input.slug = slug;
      return (await request(UpdateCategoryDocument, { id, version, input })).updateCategory;
    }, "Category saved");
  };
  const onArchive = () => {
    confirm.close();
    change(
      async () => (await request(ArchiveCategoryDocument, { id, version })).archiveCategory,
      "Category archived: it and its questions are hidden from the public",
    );
  };
  const onRestore = () =>
    change(async () => (await request(RestoreCategoryDocument, { id, version })).restoreCategory, "Category restored");
  const onDelete = () => {
    confirm.close();
    void form.submit(async () => {
      await request(DeleteCategoryDocument, { id, version });
      navigate(pageHref, { force: true, flash: "Category deleted" });
    });
  };

  return (
    <>
      <a href={pageHref} class="govuk-back-link">
        Back to {pageTitle}
      </a>
      <TwoThirds>
        <FormMessages form={form} />
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
          <TextInput {...field(errors, "title", title, setTitle)} label="Category title" />
          <TextInput {...field(errors, "slug", slug, setSlug)}
            label="Anchor on the page"
            hint="Lower-case letters, numbers and hyphens. The jump links on the public page point to it."
            widthClass="govuk-!-width-two-thirds"
            spellcheck={false}
          />
          <div class="govuk-button-group">
            <Button>Save changes</Button>
            {mayPublish && !category.archived && (
              <Button type="button" variant="warning" id="action-archive" onClick={(e) => confirm.ask("archive", e)}>
                Archive
              </Button>
            )}
            {mayPublish && category.archived && (
              <Button type="button" variant="secondary" onClick={onRestore}>
                Restore
              </Button>
            )}
            {mayPublish && category.questions.length === 0 && (
              <Button type="button" variant="warning" id="action-delete" onClick={(e) => confirm.ask("delete", e)}>
                Delete
              </Button>
            )}
          </div>
        </form>
        {confirm.asking === "archive" && (
          <ConfirmPanel
            heading="Archive this category?"
            choices={[{ text: "Yes, archive", variant: "warning", onChoose: onArchive }]}
            onCancel={confirm.cancel}
          >
            <p class="govuk-body" id="confirm-readers">
              Readers will no longer see {category.title} or any of its questions on {pageTitle}. You can restore it
              later.
            </p>
          </ConfirmPanel>
        )}
        {confirm.asking === "delete" && (
          <ConfirmPanel
            heading="Delete this category?"
            choices={[{ text: "Yes, delete", variant: "warning", onChoose: onDelete }]}
            onCancel={confirm.cancel}
          >
            <p class="govuk-body" id="confirm-readers">
              {category.title} will be deleted. It has no questions, so readers will see no change.
            </p>
            <WarningText>This cannot be undone.</WarningText>
          </ConfirmPanel>
        )}
        {mayPublish && category.questions.length > 0 && (
          <p class="govuk-body">Only an empty category can be deleted. Move or delete its questions first.</p>
        )}
      </TwoThirds>
    </>
  );
}
