import { useState } from "preact/hooks";
import { request } from "../api";
import { Button, TextInput, Textarea } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { Heading, TwoThirds } from "../components/Screen";
import { CreatePageDocument } from "../generated/graphql";
import { field, hasErrors, useSubmit } from "../forms";
import { useLeaveGuard, useScreen } from "../hooks";
import { href, navigate } from "../router";

/** Admins only: a new page, as a draft. */
export function PageCreate() {
  const [title, setTitle] = useState("");
  const [slug, setSlug] = useState("");
  const [intro, setIntro] = useState("");
  const [footer, setFooter] = useState("");
  const form = useSubmit({ ids: { title: "title", slug: "slug", intro: "intro", footer: "footer" } });
  const { errors } = form;
  useLeaveGuard(title !== "" || slug !== "" || intro !== "" || footer !== "");
  useScreen("Create a page", hasErrors(errors));

  function submit(event: Event) {
    event.preventDefault();
    void form.submit(async () => {
      const data = await request(CreatePageDocument, {
        input: { title, slug: slug.trim() === "" ? null : slug.trim(), intro, footer },
      });
      navigate(href(`/pages/${encodeURIComponent(data.createPage.slug)}`), {
        force: true,
        flash: "Page created as a draft",
      });
    });
  }

  return (
    <>
      <a href={href("/")} class="govuk-back-link">
        All pages
      </a>
      <TwoThirds>
        <FormMessages form={form} />
        <Heading>Create a page</Heading>
        <p class="govuk-body">The page starts as a draft: only signed-in staff can see it until a publisher makes it live.</p>
        <form method="post" noValidate onSubmit={submit}>
          <TextInput {...field(errors, "title", title, setTitle)} label="Title" />
          <TextInput {...field(errors, "slug", slug, setSlug)}
            label="Address (optional)"
            hint="Lower-case letters, numbers and hyphens: the page will be at /pages/ followed by this. Made from the title if you leave it empty."
            widthClass="govuk-!-width-two-thirds"
            spellcheck={false}
          />
          <Textarea {...field(errors, "intro", intro, setIntro)}
            label="Introduction (optional)"
            hint="Markdown. Shown above the categories."
            rows={6}
          />
          <Textarea {...field(errors, "footer", footer, setFooter)}
            label="Footer (optional)"
            hint="Markdown. Shown after the last category."
            rows={4}
          />
          <div class="govuk-button-group">
            <Button>Create page</Button>
            <a class="govuk-link" href={href("/")}>
              Cancel
            </a>
          </div>
        </form>
      </TwoThirds>
    </>
  );
}
