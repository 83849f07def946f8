import type { FormErrors } from "../forms";
import { AnswerPreview } from "./AnswerPreview";
import { TextInput, Textarea } from "./Fields";

export interface QuestionText {
  question: string;
  answer: string;
  slug: string;
}

/** The question, its answer with a preview, and its address: for a new question and an edit. */
export function QuestionFields({
  value,
  onInput,
  errors,
  slugHint,
  previewKey,
  initialHtml,
}: {
  value: QuestionText;
  onInput: <K extends keyof QuestionText>(key: K, text: string) => void;
  errors: FormErrors;
  slugHint: string;
  /** A new key shows `initialHtml` again (after a save). */
  previewKey?: number;
  initialHtml: string;
}) {
  return (
    <>
      <TextInput
        id="question"
        label="Question"
        hint="Plain text, up to 500 characters."
        value={value.question}
        onInput={(text) => onInput("question", text)}
        error={errors.fields.question}
      />
      <Textarea
        id="answer"
        label="Answer"
        hint="Markdown: a blank line starts a new paragraph, * starts a bullet, [text](https://…) makes a link."
        rows={12}
        value={value.answer}
        onInput={(text) => onInput("answer", text)}
        error={errors.fields.answer}
      />
      <AnswerPreview key={previewKey} markdown={value.answer} initialHtml={initialHtml} />
      <TextInput
        id="slug"
        label="Address of this question on the page (optional)"
        hint={`Lower-case letters, numbers and hyphens. ${slugHint}`}
        widthClass="govuk-!-width-two-thirds"
        spellcheck={false}
        value={value.slug}
        onInput={(text) => onInput("slug", text)}
        error={errors.fields.slug}
      />
    </>
  );
}
