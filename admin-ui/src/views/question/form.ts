// The question editor's text form: what it holds, and when it has unsaved edits.

import type { QuestionText } from "../../components/QuestionFields";
import type { Question } from "./schedule";

export interface Form extends QuestionText {
  note: string;
}

export function formOf(q: Question): Form {
  return { question: q.question, answer: q.answer, slug: q.slug, note: "" };
}

export function isDirty(form: Form, base: Form): boolean {
  return (
    form.question !== base.question ||
    form.answer !== base.answer ||
    form.slug !== base.slug ||
    form.note.trim() !== ""
  );
}

/**
 * Saves again at the other person's version, for "Keep my changes" after a
 * conflict; null for the text form (the draft is saved).
 */
export type Retry = (version: number) => Promise<void>;

export const FIELD_IDS = { question: "question", answer: "answer", slug: "slug", note: "note", categoryId: "category" };
