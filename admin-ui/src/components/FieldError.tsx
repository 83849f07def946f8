/** The message above an input that needs attention (govuk-error-message). */
export function FieldError({ id, message }: { id: string; message: string }) {
  return (
    <p id={id} class="govuk-error-message">
      <span class="govuk-visually-hidden">Error:</span> {message}
    </p>
  );
}
