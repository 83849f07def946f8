// One category on a page's screen: its questions in order, with buttons to
// move either up or down for those who may edit.

import { Button } from "../../components/Fields";
import { QuestionTag, Tag } from "../../components/Tag";
import type { PageCategoryFragment, PageQuestionFragment } from "../../generated/graphql";
import { plural } from "../../format";
import { href } from "../../router";

export type Direction = "up" | "down";

/**
 * "Move up" and "Move down" for the item at `index` of `count`; `name` is
 * read after them by screen readers ("Move up: Funding").
 */
function MoveButtons({
  index,
  count,
  name,
  onMove,
}: {
  index: number;
  count: number;
  name: string;
  onMove: (direction: Direction) => void;
}) {
  return (
    <div class="qanda-item__actions">
      {index > 0 && (
        <Button type="button" variant="secondary" data-move="up" onClick={() => onMove("up")}>
          Move up<span class="govuk-visually-hidden">{name}</span>
        </Button>
      )}
      {index < count - 1 && (
        <Button type="button" variant="secondary" data-move="down" onClick={() => onMove("down")}>
          Move down<span class="govuk-visually-hidden">{name}</span>
        </Button>
      )}
    </div>
  );
}

export function CategorySection({
  pagePath,
  category,
  index,
  count,
  mayEdit,
  onMoveCategory,
  onMoveQuestion,
}: {
  pagePath: string;
  category: PageCategoryFragment;
  index: number;
  count: number;
  mayEdit: boolean;
  onMoveCategory: (direction: Direction) => void;
  onMoveQuestion: (question: PageQuestionFragment, direction: Direction) => void;
}) {
  const questions = category.questions;
  return (
    <section class="qanda-category" data-category-id={category.id} aria-labelledby={`category-${category.id}-title`}>
      <div class="qanda-category__header">
        <h2 class="govuk-heading-m" id={`category-${category.id}-title`}>
          {category.title} {category.archived && <Tag text="Archived" colour="red" />}
          {!category.archived && category.hasUnpublishedChanges && <Tag text="Unpublished changes" colour="yellow" />}
        </h2>
        {mayEdit && (
          <MoveButtons index={index} count={count} name={` category: ${category.title}`} onMove={onMoveCategory} />
        )}
      </div>
      <p class="govuk-body">
        <a class="govuk-link" href={href(`${pagePath}/categories/${encodeURIComponent(category.id)}`)}>
          Edit category<span class="govuk-visually-hidden">: {category.title}</span>
        </a>
      </p>
      {questions.length === 0 ? (
        <p class="govuk-body">No questions in this category yet.</p>
      ) : (
        <>
          <p class="govuk-body-s govuk-!-margin-bottom-2">{plural(questions.length, "question", "questions")}</p>
          <ol class="qanda-item-list" aria-label={`Questions in ${category.title}`}>
            {questions.map((question, qIndex) => (
              <li class="qanda-item" key={question.id} data-question-id={question.id}>
                <p class="qanda-item__text">
                  <a class="govuk-link" href={href(`/questions/${encodeURIComponent(question.id)}`)}>
                    {question.question}
                  </a>
                </p>
                <QuestionTag status={question.status} hasUnpublishedChanges={question.hasUnpublishedChanges} />
                {mayEdit && (
                  <MoveButtons
                    index={qIndex}
                    count={questions.length}
                    name={`: ${question.question}`}
                    onMove={(direction) => onMoveQuestion(question, direction)}
                  />
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
  );
}
