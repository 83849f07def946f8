import { useRef, useState } from "preact/hooks";
import { request } from "../api";
import { RenderMarkdownDocument } from "../generated/graphql";
import { useDebouncedEffect } from "../hooks";

/**
 * The answer as the public will see it: the server renders and sanitises
 * the Markdown (renderMarkdown) ~300 ms after typing stops, and the result
 * is announced politely to screen reader users.
 */
export function AnswerPreview({ markdown, initialHtml }: { markdown: string; initialHtml: string }) {
  const [html, setHtml] = useState(initialHtml);
  const [failed, setFailed] = useState(false);
  const latest = useRef(0);

  useDebouncedEffect(markdown, 300, (value) => {
    const ticket = ++latest.current;
    if (value.trim() === "") {
      setHtml("");
      setFailed(false);
      return;
    }
    request(RenderMarkdownDocument, { markdown: value })
      .then((data) => {
        if (ticket !== latest.current) return;
        setHtml(data.renderMarkdown);
        setFailed(false);
      })
      .catch(() => {
        if (ticket === latest.current) setFailed(true);
      });
  });

  return (
    <div class="govuk-form-group">
      <h2 class="govuk-heading-s govuk-!-margin-bottom-2" id="answer-preview-title">
        Preview of the answer
      </h2>
      {failed && (
        <p class="govuk-body-s" role="status">
          The preview could not be updated. It will try again when you next type.
        </p>
      )}
      {/* The server's sanitised HTML (no raw HTML, scripts or javascript: links). */}
      <div
        id="answer-preview"
        class="qanda-preview"
        aria-live="polite"
        aria-labelledby="answer-preview-title"
        role="region"
        dangerouslySetInnerHTML={{ __html: html }}
      />
    </div>
  );
}
