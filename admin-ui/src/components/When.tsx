import { formatDateTimeSeconds, formatRelative } from "../format";

/**
 * When something happened: how long ago, in a <time> element, and the
 * exact time to the second beside it (visible, so that it is there for
 * everyone, not only for those who can hover).
 */
export function When({ at }: { at: string }) {
  const exact = formatDateTimeSeconds(at);
  const relative = formatRelative(at);
  return (
    <>
      <time dateTime={at} class="qanda-when">
        {relative}
      </time>
      <span class="qanda-when-exact govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">{exact}</span>
    </>
  );
}
