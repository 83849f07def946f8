import { useRef, useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, Checkbox, TextInput, Textarea } from "../components/Fields";
import { RetiredNotice } from "../components/Retired";
import { Heading, LoadError, Loading, TwoThirds } from "../components/Screen";
import { PageDocument, RetirePageDocument, type PageSettingsFragment } from "../generated/graphql";
import { errorsFrom, hasErrors, NO_ERRORS, type FormErrors } from "../forms";
import { useLeaveGuard, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";

/** /admin/pages/:slug/retire (admins): take a page down with a notice or a redirect. */
export function PageRetire({ slug }: { slug: string }) {
  const loaded = useQuery(() => request(PageDocument, { slug }), [slug]);
  const page = loaded.data?.page;
  const missing = loaded.data !== null && !page;
  useScreen(loaded.error || missing ? "Page not found" : null);
  if (loaded.error) return <LoadError error={loaded.error} />;
  if (missing) return <LoadError error={new ApiError("NOT_FOUND", "No such page.")} />;
  if (!page) return <Loading />;
  return <RetireForm initial={page} />;
}

interface Form {
  notice: string;
  replacementUrl: string;
  redirect: boolean;
}

/** A page retired before (and reinstated) keeps its notice: start from it. */
function formOf(page: PageSettingsFragment): Form {
  return {
    notice: page.retirementNotice ?? "",
    replacementUrl: page.replacementUrl ?? "",
    redirect: page.redirectsToReplacement,
  };
}

/** API field → input id. */
const FIELD_IDS = { notice: "notice", replacementUrl: "replacement-url", redirect: "redirect" };

function RetireForm({ initial }: { initial: PageSettingsFragment }) {
  const [page, setPage] = useState(initial);
  const [base] = useState<Form>(() => formOf(initial));
  const [form, setForm] = useState<Form>(base);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const busy = useRef(false);

  const retired = page.status === "RETIRED";
  const dirty = !retired && (Object.keys(form) as (keyof Form)[]).some((key) => form[key] !== base[key]);
  useLeaveGuard(dirty);
  useScreen(retired ? `Already retired: ${page.title}` : `Retire page: ${page.title}`, hasErrors(errors));

  const pageHref = href(`/pages/${encodeURIComponent(page.slug)}`);

  async function retire(event: Event) {
    event.preventDefault();
    if (busy.current) return;
    busy.current = true;
    try {
      const url = form.replacementUrl.trim();
      await request(RetirePageDocument, {
        id: page.id,
        version: page.version,
        notice: form.notice,
        replacementUrl: url === "" ? null : url,
        redirect: form.redirect,
      });
      navigate(pageHref, { force: true, flash: "Page retired" });
    } catch (error) {
      if (error instanceof ApiError && error.code === "CONFLICT") {
        // Someone else saved the page meanwhile: show its latest state and
        // keep what was typed, so that trying again is one click.
        const fresh = await request(PageDocument, { slug: page.slug }).catch(() => null);
        if (fresh?.page) setPage(fresh.page);
        const nowRetired = fresh?.page?.status === "RETIRED";
        setErrors({
          items: [
            {
              text: nowRetired
                ? "Someone else retired this page while you were filling in this form. The page has been reloaded."
                : "Someone else changed this page while you were filling in this form. The page has been reloaded: check your answers and select Retire page again.",
            },
          ],
          fields: {},
        });
      } else {
        setErrors(errorsFrom(error, FIELD_IDS));
      }
      setAttempt((n) => n + 1);
    } finally {
      busy.current = false;
    }
  }

  return (
    <>
      <a href={pageHref} class="govuk-back-link">
        Back to {page.title}
      </a>
      <TwoThirds>
        <ErrorSummary key={attempt} items={errors.items} />
        {retired ? (
          <>
            <Heading caption={page.title}>This page is already retired</Heading>
            <RetiredNotice page={page} />
            <p class="govuk-body">
              <a class="govuk-link" href={pageHref}>
                Go to the page<span class="govuk-visually-hidden"> {page.title}</span>
              </a>{" "}
              to reinstate it.
            </p>
          </>
        ) : (
          <>
            <Heading caption={page.title}>Retire this page</Heading>
            <div class="govuk-warning-text" id="retire-warning">
              <span class="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong class="govuk-warning-text__text">
                <span class="govuk-visually-hidden">Warning</span>
                Readers will no longer see the questions on this page. Visiting /pages/{page.slug} will show your
                notice (or send them to the replacement page). Services using the API will see status RETIRED and
                no questions. Nothing is deleted: you can reinstate the page later.
              </strong>
            </div>
            <form method="post" noValidate onSubmit={(event) => void retire(event)}>
              <Textarea
                id="notice"
                label="Notice for readers"
                hint="Markdown. Shown instead of the questions: say why the page has gone and where to go instead."
                rows={6}
                value={form.notice}
                onInput={(notice) => setForm((f) => ({ ...f, notice }))}
                error={errors.fields.notice}
              />
              <TextInput
                id="replacement-url"
                label="Replacement page (optional)"
                hint="A full address, like https://www.example.gov.uk/new-page"
                type="text"
                spellcheck={false}
                value={form.replacementUrl}
                onInput={(replacementUrl) => setForm((f) => ({ ...f, replacementUrl }))}
                error={errors.fields["replacement-url"]}
              />
              <Checkbox
                id="redirect"
                label="Send readers straight to the replacement page instead of showing the notice"
                hint="Only with a replacement page. Readers are redirected (HTTP 301) and do not see your notice."
                checked={form.redirect}
                onChange={(redirect) => setForm((f) => ({ ...f, redirect }))}
                error={errors.fields.redirect}
              />
              <div class="govuk-button-group">
                <Button variant="warning">Retire page</Button>
                <a class="govuk-link" href={pageHref}>
                  Cancel
                </a>
              </div>
            </form>
          </>
        )}
      </TwoThirds>
    </>
  );
}
