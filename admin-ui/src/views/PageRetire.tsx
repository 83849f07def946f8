import { useState } from "preact/hooks";
import { request } from "../api";
import { DateTimeInput } from "../components/DateTimeInput";
import { Button, Checkbox, Radios, TextInput, Textarea } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { RetiredNotice, ScheduledRetirement } from "../components/Retired";
import { Heading, Loaded, TwoThirds } from "../components/Screen";
import {
  CancelRetirementDocument,
  PageDocument,
  RetirePageDocument,
  ScheduleRetirementDocument,
  type PageSettingsFragment,
} from "../generated/graphql";
import { groupError, timeZoneName, type Part } from "../datetime";
import { hasErrors, localErrors, useSubmit } from "../forms";
import { formatDateTime } from "../format";
import { useLeaveGuard, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";
import { AT_ID, AT_LEGEND, FIELD_IDS, formOf, readTiming, sameForm, TIMING_ID, type Form, type Timing } from "./retire/form";

/**
 * /admin/pages/:slug/retire (admins): take a page down with a notice or a
 * redirect, now or at a set time; change or cancel a scheduled retirement.
 */
export function PageRetire({ slug }: { slug: string }) {
  const loaded = useQuery(() => request(PageDocument, { slug }), [slug]);
  return (
    <Loaded state={loaded} select={(data) => data.page}>
      {(page) => <RetireForm initial={page} />}
    </Loaded>
  );
}

function RetireForm({ initial }: { initial: PageSettingsFragment }) {
  const [page, setPage] = useState(initial);
  const [base, setBase] = useState<Form>(() => formOf(initial));
  const [form, setForm] = useState<Form>(base);
  /** Which parts of the date a check here found wrong; absent: all of them. */
  const [badParts, setBadParts] = useState<Part[] | undefined>(undefined);
  const submitter = useSubmit({
    ids: FIELD_IDS,
    thing: "page",
    // Their latest state shows (retired already, perhaps); what was typed stays.
    reload: async () => {
      const fresh = (await request(PageDocument, { slug: page.slug })).page;
      if (fresh) {
        setPage(fresh);
        setBase(formOf(fresh));
      }
      return fresh;
    },
  });
  const { errors } = submitter;

  const retired = page.status === "RETIRED";
  const dirty = !retired && !sameForm(form, base);
  useLeaveGuard(dirty);
  useScreen(retired ? `Already retired: ${page.title}` : `Retire page: ${page.title}`, hasErrors(errors));

  const pageHref = href(`/pages/${encodeURIComponent(page.slug)}`);
  const zone = timeZoneName();
  const exampleYear = new Date().getFullYear() + 1;

  /** Runs a change, then goes back to the page's screen, which says what was done. */
  function change(run: () => Promise<string>) {
    setBadParts(undefined);
    void submitter.submit(async () => {
      const flash = await run();
      navigate(pageHref, { force: true, flash });
    });
  }

  function submit(event: Event) {
    event.preventDefault();
    const timing = readTiming(form);
    if ("problems" in timing) {
      setBadParts(timing.parts);
      submitter.show(localErrors(timing.problems));
      return;
    }
    change(async () => {
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
        return "Page retired";
      }
      const data = await request(ScheduleRetirementDocument, { ...retirement, retireAt: timing.retireAt });
      return `Retirement scheduled for ${formatDateTime(data.scheduleRetirement.retireAt)}`;
    });
  }

  function cancelRetirement() {
    change(async () => {
      await request(CancelRetirementDocument, { id: page.id, version: page.version });
      return "Scheduled retirement cancelled";
    });
  }

  const later = form.timing === "later";

  return (
    <>
      <a href={pageHref} class="govuk-back-link">
        Back to {page.title}
      </a>
      <TwoThirds>
        <FormMessages form={submitter} />
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
                Once the page retires, readers will no longer see its questions: they will see your notice instead,
                or be sent to the replacement page. Nothing is deleted: you can reinstate the page later.
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
                hint="Only with a replacement page. Readers will be sent to it and will not see your notice."
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
