import { useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { ConflictBanner } from "../components/ConflictBanner";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, Radios, TextInput, Textarea } from "../components/Fields";
import { NotificationBanner } from "../components/NotificationBanner";
import { RetiredNotice, ScheduledRetirement } from "../components/Retired";
import { Heading, LoadError, Loading, TwoThirds } from "../components/Screen";
import { PageTag } from "../components/Tag";
import {
  CancelRetirementDocument,
  PageDocument,
  ReinstatePageDocument,
  UpdatePageDocument,
  type PageSettingsFragment,
  type PageStatus,
  type UpdatePageInput,
} from "../generated/graphql";
import { errorsFrom, field, hasErrors, useSubmit } from "../forms";
import { formatDateTime } from "../format";
import { useLeaveGuard, useQuery, useScreen } from "../hooks";
import { href, navigate, takeFlash } from "../router";

export function PageSettings({ slug }: { slug: string }) {
  const [flash] = useState(takeFlash);
  const loaded = useQuery(() => request(PageDocument, { slug }), [slug]);
  const page = loaded.data?.page;
  const missing = loaded.data !== null && !page;
  useScreen(loaded.error || missing ? "Page not found" : null);
  if (loaded.error) return <LoadError error={loaded.error} />;
  if (missing) return <LoadError error={new ApiError("NOT_FOUND", "No such page.")} />;
  if (!page) return <Loading />;
  return <SettingsForm initial={page} flash={flash} />;
}

interface Form {
  title: string;
  intro: string;
  footer: string;
  slug: string;
  status: PageStatus;
}

function formOf(page: PageSettingsFragment): Form {
  return { title: page.title, intro: page.intro, footer: page.footer, slug: page.slug, status: page.status };
}

/**
 * The form after the page changed under it (reinstated, or saved by someone
 * else): fields the user has not touched take the page's new values, the
 * ones they changed keep their changes.
 */
function rebase(form: Form, base: Form, page: PageSettingsFragment): Form {
  const latest = formOf(page);
  const next = { ...latest };
  for (const key of Object.keys(form) as (keyof Form)[]) {
    if (form[key] !== base[key]) (next as Record<keyof Form, string>)[key] = form[key];
  }
  // The status follows the page: it is not something to carry over.
  next.status = latest.status;
  return next;
}

const FIELD_IDS = { title: "title", intro: "intro", footer: "footer", slug: "slug", status: "status" };

function SettingsForm({ initial, flash }: { initial: PageSettingsFragment; flash: string | null }) {
  const [page, setPage] = useState(initial);
  const [form, setForm] = useState<Form>(() => formOf(initial));
  const [base, setBase] = useState<Form>(() => formOf(initial));
  const submit = useSubmit(FIELD_IDS);
  const errors = submit.errors;
  const [banner, setBanner] = useState<{ text: string; key: number } | null>(null);
  const [conflict, setConflict] = useState<PageSettingsFragment | null>(null);

  const mayChangeStatus = page.viewerCan.publish;
  const mayChangeSlug = page.viewerCan.changeSlug;
  const mayRetire = page.viewerCan.retire;
  const retired = page.status === "RETIRED";
  const dirty = (Object.keys(form) as (keyof Form)[]).some((key) => form[key] !== base[key]);
  useLeaveGuard(dirty);
  useScreen(`Settings: ${page.title}`, hasErrors(errors));

  function set<K extends keyof Form>(key: K) {
    return (value: string) => setForm((f) => ({ ...f, [key]: value }));
  }

  /** A conflict shows their version; other errors go to the summary. */
  async function explainSave(error: unknown) {
    if (error instanceof ApiError && error.code === "CONFLICT") {
      const fresh = await request(PageDocument, { slug: page.slug }).catch(() => null);
      if (fresh?.page) {
        setBanner(null);
        setConflict(fresh.page);
        return null;
      }
    }
    setBanner(null);
    return errorsFrom(error, FIELD_IDS);
  }

  const save = (version: number) =>
    submit.submit(async () => {
      // Send only what changed: a status or address change needs a higher role.
      const input: UpdatePageInput = {};
      if (form.title !== page.title) input.title = form.title;
      if (form.intro !== page.intro) input.intro = form.intro;
      if (form.footer !== page.footer) input.footer = form.footer;
      if (mayChangeStatus && form.status !== page.status) input.status = form.status;
      if (mayChangeSlug && form.slug !== page.slug) input.slug = form.slug;
      const data = await request(UpdatePageDocument, { id: page.id, version, input });
      const saved = data.updatePage;
      setConflict(null);
      if (saved.slug !== initial.slug) {
        navigate(href(`/pages/${encodeURIComponent(saved.slug)}/settings`), {
          replace: true,
          force: true,
          flash: "Page settings saved",
        });
        return;
      }
      setPage(saved);
      setForm(formOf(saved));
      setBase(formOf(saved));
      submit.clear();
      setBanner({ text: "Page settings saved", key: Date.now() });
    }, explainSave);

  /**
   * Reinstating a retired page or cancelling a scheduled retirement
   * (admins); unsaved edits in the form stay.
   */
  function changePage(
    run: () => Promise<PageSettingsFragment>,
    done: string,
    /** After "It has been reloaded: check it, then …" */
    retry: string,
  ) {
    return submit.submit(
      async () => {
        const saved = await run();
        setForm(rebase(form, base, saved));
        setBase(formOf(saved));
        setPage(saved);
        setConflict(null);
        submit.clear();
        setBanner({ text: done, key: Date.now() });
      },
      async (error) => {
        setBanner(null);
        if (!(error instanceof ApiError && error.code === "CONFLICT")) return errorsFrom(error, FIELD_IDS);
        const fresh = await request(PageDocument, { slug: page.slug }).catch(() => null);
        if (fresh?.page) {
          setForm(rebase(form, base, fresh.page));
          setBase(formOf(fresh.page));
          setPage(fresh.page);
        }
        const text = `Someone else changed this page while you were looking at it. It has been reloaded: check it, then ${retry}.`;
        return { items: [{ text }], fields: {} };
      },
    );
  }

  const reinstate = () =>
    void changePage(
      async () => (await request(ReinstatePageDocument, { id: page.id, version: page.version })).reinstatePage,
      "Page reinstated",
      "reinstate it again if it is still retired",
    );
  const cancelRetirement = () =>
    void changePage(
      async () => (await request(CancelRetirementDocument, { id: page.id, version: page.version })).scheduleRetirement,
      "Scheduled retirement cancelled",
      "cancel the retirement again if it is still scheduled",
    );

  function takeTheirs() {
    if (!conflict) return;
    setPage(conflict);
    setForm(formOf(conflict));
    setBase(formOf(conflict));
    setConflict(null);
    setBanner({ text: "Your changes were discarded. You are now editing the latest version.", key: Date.now() });
  }

  const pageHref = href(`/pages/${encodeURIComponent(page.slug)}`);

  return (
    <>
      <a href={pageHref} class="govuk-back-link">
        Back to {page.title}
      </a>
      <TwoThirds>
        {flash && !banner && <NotificationBanner heading={flash} autoFocus={false} />}
        {banner && <NotificationBanner key={banner.key} heading={banner.text} />}
        <ErrorSummary key={submit.attempt} items={errors.items} />
        {conflict && (
          <ConflictBanner
            thing="page"
            version={conflict.version}
            onKeepMine={() => void save(conflict.version)}
            onTakeTheirs={takeTheirs}
          >
            <dl class="govuk-summary-list" id="their-version">
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">Title</dt>
                <dd class="govuk-summary-list__value">{conflict.title}</dd>
              </div>
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">Introduction</dt>
                <dd class="govuk-summary-list__value qanda-pre-wrap">{conflict.intro}</dd>
              </div>
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">Footer</dt>
                <dd class="govuk-summary-list__value qanda-pre-wrap">{conflict.footer}</dd>
              </div>
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">Status</dt>
                <dd class="govuk-summary-list__value">
                  <PageTag status={conflict.status} />
                </dd>
              </div>
            </dl>
          </ConflictBanner>
        )}
        <Heading caption={page.title}>Page settings</Heading>
        {retired && <RetiredNotice page={page} onReinstate={mayRetire ? reinstate : undefined} />}
        {!retired && (
          <ScheduledRetirement
            page={page}
            changeHref={mayRetire ? href(`/pages/${encodeURIComponent(page.slug)}/retire`) : undefined}
            onCancel={mayRetire ? cancelRetirement : undefined}
          />
        )}
        <dl class="govuk-summary-list">
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Status</dt>
            <dd class="govuk-summary-list__value">
              <PageTag status={page.status} />
            </dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Public address</dt>
            <dd class="govuk-summary-list__value">
              <code>/pages/{page.slug}</code>
            </dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Last changed</dt>
            <dd class="govuk-summary-list__value">{formatDateTime(page.updatedAt)}</dd>
          </div>
        </dl>
        <form
          method="post"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save(page.version);
          }}
        >
          <TextInput id="title" label="Title" value={form.title} onInput={set("title")} error={errors.fields.title} />
          <Textarea {...field(errors, "intro", form.intro, set("intro"))}
            label="Introduction"
            hint="Markdown. Shown above the categories."
            rows={6}
          />
          <Textarea {...field(errors, "footer", form.footer, set("footer"))}
            label="Footer"
            hint="Markdown. Shown after the last category."
            rows={4}
          />
          {mayChangeStatus && (
            <Radios
              id="status"
              legend="Status"
              choices={[
                { value: "DRAFT", text: "Draft", hint: "Only signed-in staff can see the page." },
                { value: "LIVE", text: "Live", hint: "Anyone can read the page and its published questions." },
              ]}
              value={form.status}
              onChange={set("status")}
              error={errors.fields.status}
            />
          )}
          {mayChangeSlug && (
            <TextInput {...field(errors, "slug", form.slug, set("slug"))}
              label="Address"
              hint="Lower-case letters, numbers and hyphens: the page is at /pages/ followed by this. Changing it breaks links to the old address."
              widthClass="govuk-!-width-two-thirds"
              spellcheck={false}
            />
          )}
          <div class="govuk-button-group">
            <Button>Save changes</Button>
            <a class="govuk-link" href={pageHref}>
              Cancel
            </a>
          </div>
        </form>
        {mayRetire && !retired && !page.retireAt && (
          <>
            <h2 class="govuk-heading-m">Retirement</h2>
            <p class="govuk-body">
              When the page is no longer needed, retire it, now or at a set time: readers get a notice, or are sent
              to a replacement page. Nothing is deleted, and you can reinstate it later.
            </p>
            <p class="govuk-body">
              <a class="govuk-link" href={href(`/pages/${encodeURIComponent(page.slug)}/retire`)}>
                Retire this page
              </a>
            </p>
          </>
        )}
      </TwoThirds>
    </>
  );
}
