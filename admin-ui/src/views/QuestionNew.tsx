import { useState } from "preact/hooks";
import { request } from "../api";
import { Button } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { QuestionFields, type QuestionText } from "../components/QuestionFields";
import { Heading, LoadError, Loading, NotFound, TwoThirds } from "../components/Screen";
import { CreateQuestionDocument, OutlineDocument } from "../generated/graphql";
import { hasErrors, useSubmit } from "../forms";
import { useLeaveGuard, useLocation, useQuery, useScreen } from "../hooks";
import { findCategory, pagePath } from "../outline";
import { href, navigate } from "../router";

/** /admin/questions/new?category=ID: a new draft at the end of that category. */
export function QuestionNew() {
  const { query } = useLocation();
  const categoryId = query.get("category") ?? "";
  const outline = useQuery(() => request(OutlineDocument), []);
  const place = outline.data ? findCategory(outline.data, categoryId) : null;
  const [text, setText] = useState<QuestionText>({ question: "", answer: "", slug: "" });
  const form = useSubmit({ ids: { question: "question", answer: "answer", slug: "slug" } });
  const errors = form.errors;
  useLeaveGuard(text.question !== "" || text.answer !== "" || text.slug !== "");
  const missing = outline.data !== null && place === null;
  useScreen(outline.error || missing ? "Page not found" : outline.data ? "Add a question" : null, hasErrors(errors));

  if (outline.error) return <LoadError error={outline.error} />;
  if (missing) return <NotFound />;
  if (!place) return <Loading />;

  const submit = (event: Event) => {
    event.preventDefault();
    void form.submit(async () => {
      const { question, answer, slug } = text;
      const data = await request(CreateQuestionDocument, {
        input: { categoryId, question, answer, slug: slug.trim() === "" ? null : slug.trim() },
      });
      navigate(href(`/questions/${encodeURIComponent(data.createQuestion.id)}`), {
        force: true,
        flash: "Question saved as a draft",
      });
    });
  };

  return (
    <>
      <a href={href(pagePath(place.page))} class="govuk-back-link">
        Back to {place.page.title}
      </a>
      <TwoThirds>
        <FormMessages form={form} />
        <Heading caption={`${place.page.title}: ${place.category.title}`}>Add a question</Heading>
        <p class="govuk-body">It starts as a draft at the end of {place.category.title}. Nobody else sees it until it is published.</p>
        <form method="post" noValidate onSubmit={submit}>
          <QuestionFields
            value={text}
            onInput={(key, value) => setText((t) => ({ ...t, [key]: value }))}
            errors={errors}
            slugHint="Made from the question if you leave it empty."
            initialHtml=""
          />
          <div class="govuk-button-group">
            <Button>Save draft</Button>
            <a class="govuk-link" href={href(pagePath(place.page))}>
              Cancel
            </a>
          </div>
        </form>
      </TwoThirds>
    </>
  );
}
