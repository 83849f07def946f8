import type { DiffKind } from "../generated/graphql";

type Segments = Array<{ kind: DiffKind; text: string }>;

/** Added words in <ins>, removed ones in <del>, the rest as they were. */
export function Diff({ segments, label }: { segments: Segments; label: string }) {
  return (
    <div class="qanda-diff" role="group" aria-label={label}>
      {segments.map((segment, index) =>
        segment.kind === "ADDED" ? (
          <ins key={index}>{segment.text}</ins>
        ) : segment.kind === "REMOVED" ? (
          <del key={index}>{segment.text}</del>
        ) : (
          <span key={index}>{segment.text}</span>
        ),
      )}
    </div>
  );
}

export function changed(segments: Segments): boolean {
  return segments.some((s) => s.kind !== "SAME");
}

/** Said instead of a diff when two versions hold the same text. */
export function NoDifferences({ children }: { children?: string }) {
  return (
    <p class="govuk-body govuk-!-font-weight-bold" id="no-differences">
      {children ?? "No differences"}
    </p>
  );
}

export const DIFF_KEY = "Added words are underlined on green; removed words are struck through on red.";

/** One field's diff under its heading, or nothing when the field did not change. */
export function FieldDiff({
  heading,
  segments,
  label,
  level = 3,
}: {
  heading: string;
  segments: Segments;
  label: string;
  level?: 3 | 4;
}) {
  if (!changed(segments)) return null;
  const Title = level === 3 ? "h3" : "h4";
  return (
    <>
      <Title class="govuk-heading-s">{heading}</Title>
      <Diff segments={segments} label={label} />
    </>
  );
}
