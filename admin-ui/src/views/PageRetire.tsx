import { useRef, useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { DateTimeInput } from "../components/DateTimeInput";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, Checkbox, Radios, TextInput, Textarea } from "../components/Fields";
import { RetiredNotice, ScheduledRetirement } from "../components/Retired";
import { Heading, LoadError, Loading, TwoThirds } from "../components/Screen";
import {
  CancelRetirementDocument,
  PageDocument,
  RetirePageDocument,
  ScheduleRetirementDocument,
  type PageSettingsFragment,
} from "../generated/graphql";
import {
  groupError,
  isEmptyWhen,
  parseWhen,
  problemInput,
  sameWhen,
  timeZoneName,
  whenOf,
  type Part,
  type When,
} from "../datetime";
import { errorsFrom, hasErrors, localErrors, NO_ERRORS, type FormErrors } from "../forms";
import { formatDateTime } from "../format";
import { useLeaveGuard, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";

/**
 * /admin/pages/:slug/retire (admins): take a page down with a notice or a
 * redirect, now or at a set time; change or cancel a scheduled retirement.
 */
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

/** Retire now, or at a date and time; nothing chosen yet. */
type Timing = "" | "now" | "later";

interface Form {
  timing: Timing;
  /** The retirement time, for "later". */
  at: When;
  notice: string;
  replacementUrl: string;
  redirect: boolean;
}

/**
 * A page retired before (and reinstated) keeps its notice: start from it. A
 * scheduled retirement starts as "later" at its time.
 */
function formOf(page: PageSettingsFragment): Form {
  return {
    timing: page.retireAt ? "later" : "",
    at: whenOf(page.retireAt),
    notice: page.retirementNotice ?? "",
    replacementUrl: page.replacementUrl ?? "",
    redirect: page.redirectsToReplacement,
  };
}

function sameForm(a: Form, b: Form): boolean {
  return (
    a.timing === b.timing &&
    sameWhen(a.at, b.at) &&
    a.notice === b.notice &&
    a.replacementUrl === b.replacementUrl &&
    a.redirect === b.redirect
  );
}

const TIMING_ID = "retire-when";
/** The date inputs: retire-at-day, retire-at-month, retire-at-year, retire-at-time. */
const AT_ID = "retire-at";
const AT_LEGEND = "Retirement date and time";

/** API field → input id. */
const FIELD_IDS = {
  notice: "notice",
  replacementUrl: "replacement-url",
  redirect: "redirect",
  retireAt: `${AT_ID}-day`,
};

/** The retirement time as UTC for "later", or the problems with the form's timing. */
function readTiming(form: Form): { retireAt: string | null } | { problems: Array<[string, string]>; parts?: Part[] } {
  if (form.timing === "") return { problems: [[TIMING_ID, "Select when the page should retire"]] };
  if (form.timing === "now") return { retireAt: null };
  if (isEmptyWhen(form.at)) {
    return { problems: [[`${AT_ID}-day`, "Enter the date and time the page should retire"]] };
  }
  const parsed = parseWhen(AT_LEGEND, form.at);
  if ("message" in parsed) return { problems: [[problemInput(AT_ID, parsed.parts), parsed.message]], parts: parsed.parts };
  if (parsed.iso === null || Date.parse(parsed.iso) <= Date.now()) {
    return {
      problems: [[`${AT_ID}-day`, "The retirement date and time must be in the future. To retire the page now, select Now"]],
    };
  }
  return { retireAt: parsed.iso };
}

function RetireForm({ initial }: { initial: PageSettingsFragment }) {
  const [page, setPage] = useState(initial);
  const [base, setBase] = useState<Form>(() => formOf(initial));
  const [form, setForm] = useState<Form>(base);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  /** Which parts of the date a check here found wrong; absent: all of them. */
  const [badParts, setBadParts] = useState<Part[] | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);
  const busy = useRef(false);

  const retired = page.status === "RETIRED";
  const dirty = !retired && !sameForm(form, base);
  useLeaveGuard(dirty);
  useScreen(retired ? `Already retired: ${page.title}` : `Retire page: ${page.title}`, hasErrors(errors));

  const pageHref = href(`/pages/${encodeURIComponent(page.slug)}`);
  const zone = timeZoneName();
  const exampleYear = new Date().getFullYear() + 1;

  function showErrors(next: FormErrors) {
    setErrors(next);
    setAttempt((n) => n + 1);
  }

  /** Someone else saved the page meanwhile: show its latest state and keep what was typed. */
  async function conflicted() {
    const fresh = await request(PageDocument, { slug: page.slug }).catch(() => null);
    if (fresh?.page) {
      setPage(fresh.page);
      setBase(formOf(fresh.page));
    }
    const nowRetired = fresh?.page?.status === "RETIRED";
    showErrors({
      items: [
        {
          text: nowRetired
            ? "Someone else retired this page while you were filling in this form. The page has been reloaded."
            : "Someone else changed this page while you were filling in this form. The page has been reloaded: check your answers and try again.",
        },
      ],
      fields: {},
    });
  }

  async function run(action: () => Promise<void>) {
    if (busy.current) return;
    busy.current = true;
    try {
      await action();
    } catch (error) {
      if (error instanceof ApiError && error.code === "CONFLICT") await conflicted();
      else {
        setBadParts(undefined);
        showErrors(errorsFrom(error, FIELD_IDS));
      }
    } finally {
      busy.current = false;
    }
  }

  function submit(event: Event) {
    event.preventDefault();
    const timing = readTiming(form);
    if ("problems" in timing) {
      setBadParts(timing.parts);
      showErrors(localErrors(timing.problems));
      return;
    }
    void run(async () => {
      const url = form.replacementUrl.trim();
      const retirement = {
        id: page.id,
        version: page.version,
        notice: form.notice,
        replacementUrl: url === "" ? null : url,
        redirect: form.redirect,
      };
      if (timing.retireAt === null) {
        await request(RetirePageDocument, retirement);
        navigate(pageHref, { force: true, flash: "Page retired" });
        return;
      }
      const data = await request(ScheduleRetirementDocument, { ...retirement, retireAt: timing.retireAt });
      navigate(pageHref, {
        force: true,
        flash: `Retirement scheduled for ${formatDateTime(data.scheduleRetirement.retireAt)}`,
      });
    });
  }

  function cancelRetirement() {
    void run(async () => {
      await request(CancelRetirementDocument, { id: page.id, version: page.version });
      navigate(pageHref, { force: true, flash: "Scheduled retirement cancelled" });
    });
  }

  const later = form.timing === "later";

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
            <ScheduledRetirement page={page} onCancel={cancelRetirement} />
            <div class="govuk-warning-text" id="retire-warning">
              <span class="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong class="govuk-warning-text__text">
                <span class="govuk-visually-hidden">Warning</span>
                Once the page retires, readers will no longer see its questions. Visiting /pages/{page.slug} will
                show your notice (or send them to the replacement page). Services using the API will see status
                RETIRED and no questions. Nothing is deleted: you can reinstate the page later.
              </strong>
            </div>
            <form method="post" noValidate onSubmit={submit}>
              <Radios
                id={TIMING_ID}
                legend="When should the page retire?"
                legendClass="govuk-fieldset__legend--m"
                choices={[
                  {
                    value: "now",
                    text: "Now",
                    hint: "Readers get the notice as soon as you select Retire page.",
                  },
                  {
                    value: "later",
                    text: "At a date and time",
                    hint: "The page stays live until then. You can change or cancel this before then.",
                    conditional: (
                      <DateTimeInput
                        id={AT_ID}
                        legend={AT_LEGEND}
                        hint={`For example, 3 12 ${exampleYear} and 17:00 (24-hour clock). Times are in your time zone${zone ? ` (${zone})` : ""}.`}
                        value={form.at}
                        onInput={(at) => setForm((f) => ({ ...f, at }))}
                        error={groupError(errors, AT_ID)}
                        badParts={badParts}
                      />
                    ),
                  },
                ]}
                value={form.timing}
                onChange={(timing) => setForm((f) => ({ ...f, timing: timing as Timing }))}
                error={errors.fields[TIMING_ID]}
              />
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
                {later ? (
                  <Button>{page.retireAt ? "Save retirement time" : "Schedule retirement"}</Button>
                ) : (
                  <Button variant="warning">Retire page</Button>
                )}
                <a class="govuk-link" href={pageHref}>
                  Cancel and go back
                </a>
              </div>
            </form>
          </>
        )}
      </TwoThirds>
    </>
  );
}
