import { useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { AnswerPreview } from "../components/AnswerPreview";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, TextInput, Textarea } from "../components/Fields";
import { Heading, LoadError, Loading, TwoThirds } from "../components/Screen";
import { CreateQuestionDocument, OutlineDocument } from "../generated/graphql";
import { errorsFrom, hasErrors, NO_ERRORS, type FormErrors } from "../forms";
import { useLeaveGuard, useLocation, useQuery, useScreen } from "../hooks";
import { findCategory, pagePath } from "../outline";
import { href, navigate } from "../router";

/** /admin/questions/new?category=ID: a new draft at the end of that category. */
export function QuestionNew() {
  const { query } = useLocation();
  const categoryId = query.get("category") ?? "";
  const outline = useQuery(() => request(OutlineDocument), []);
  const place = outline.data ? findCategory(outline.data, categoryId) : null;
  const [question, setQuestion] = useState("");
  const [answer, setAnswer] = useState("");
  const [slug, setSlug] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  useLeaveGuard(question !== "" || answer !== "" || slug !== "");
  const missing = outline.data !== null && place === null;
  useScreen(outline.error || missing ? "Page not found" : outline.data ? "Add a question" : null, hasErrors(errors));

  if (outline.error) return <LoadError error={outline.error} />;
  if (missing) return <LoadError error={new ApiError("NOT_FOUND", "No such category.")} />;
  if (!place) return <Loading />;

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const data = await request(CreateQuestionDocument, {
        input: { categoryId, question, answer, slug: slug.trim() === "" ? null : slug.trim() },
      });
      navigate(href(`/questions/${encodeURIComponent(data.createQuestion.id)}`), {
        force: true,
        flash: "Question saved as a draft",
      });
    } catch (error) {
      setErrors(errorsFrom(error, { question: "question", answer: "answer", slug: "slug" }));
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <a href={href(pagePath(place.page))} class="govuk-back-link">
        Back to {place.page.title}
      </a>
      <TwoThirds>
        <ErrorSummary key={attempt} items={errors.items} />
        <Heading caption={`${place.page.title}: ${place.category.title}`}>Add a question</Heading>
        <p class="govuk-body">It starts as a draft at the end of {place.category.title}. Nobody else sees it until it is published.</p>
        <form method="post" noValidate onSubmit={submit}>
          <TextInput
            id="question"
            label="Question"
            hint="Plain text, up to 500 characters."
            value={question}
            onInput={setQuestion}
            error={errors.fields.question}
          />
          <Textarea
            id="answer"
            label="Answer"
            hint="Markdown: a blank line starts a new paragraph, * starts a bullet, [text](https://…) makes a link."
            rows={12}
            value={answer}
            onInput={setAnswer}
            error={errors.fields.answer}
          />
          <AnswerPreview markdown={answer} initialHtml="" />
          <TextInput
            id="slug"
            label="Address of this question on the page (optional)"
            hint="Lower-case letters, numbers and hyphens. Made from the question if you leave it empty."
            widthClass="govuk-!-width-two-thirds"
            spellcheck={false}
            value={slug}
            onInput={setSlug}
            error={errors.fields.slug}
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
