import { useState } from "preact/hooks";
import { request } from "../api";
import { ConfirmPanel, useConfirm } from "../components/ConfirmPanel";
import { ConflictBanner } from "../components/ConflictBanner";
import { Button, Radios, TextInput, Textarea } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { RetiredNotice, ScheduledRetirement } from "../components/Retired";
import { Heading, Loaded, TwoThirds } from "../components/Screen";
import { SummaryList } from "../components/SummaryList";
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
import { field, hasErrors, useSubmit } from "../forms";
import { formatDateTime } from "../format";
import { useLeaveGuard, useQuery, useScreen } from "../hooks";
import { href, navigate, takeFlash } from "../router";
import { FIELD_IDS, formOf, rebase, type Form } from "./page/settingsForm";

export function PageSettings({ slug }: { slug: string }) {
  const [flash] = useState(takeFlash);
  const loaded = useQuery(() => request(PageDocument, { slug }), [slug]);
  return (
    <Loaded state={loaded} select={(data) => data.page}>
      {(page) => <SettingsForm initial={page} flash={flash} />}
    </Loaded>
  );
}

function SettingsForm({ initial, flash }: { initial: PageSettingsFragment; flash: string | null }) {
  const [page, setPage] = useState(initial);
  const [form, setForm] = useState<Form>(() => formOf(initial));
  const [base, setBase] = useState<Form>(() => formOf(initial));
  const submit = useSubmit({
    ids: FIELD_IDS,
    flash,
    thing: "page",
    // A save that meets a conflict shows their version and offers the choice.
    offerChoice: true,
    reload: async () => (await request(PageDocument, { slug: page.slug })).page,
  });
  const { errors, conflict } = submit;
  /** A save that makes the page live or takes it back to draft asks first. */
  const confirm = useConfirm<PageStatus>();

  const mayChangeStatus = page.viewerCan.publish;
  const mayChangeSlug = page.viewerCan.changeSlug;
  const mayRetire = page.viewerCan.retire;
  const retired = page.status === "RETIRED";
  const dirty = (Object.keys(form) as (keyof Form)[]).some((key) => form[key] !== base[key]);
  const otherChanges = (Object.keys(form) as (keyof Form)[]).some((key) => key !== "status" && form[key] !== base[key]);
  useLeaveGuard(dirty);
  useScreen(`Settings: ${page.title}`, hasErrors(errors));

  function set<K extends keyof Form>(key: K) {
    return (value: string) => setForm((f) => ({ ...f, [key]: value }));
  }

  /** The page as saved, and the form to show with it. */
  function adopt(saved: PageSettingsFragment, next: Form = formOf(saved)) {
    setPage(saved);
    setForm(next);
    setBase(formOf(saved));
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
      const saved = (await request(UpdatePageDocument, { id: page.id, version, input })).updatePage;
      if (saved.slug !== initial.slug) {
        navigate(href(`/pages/${encodeURIComponent(saved.slug)}/settings`), {
          replace: true,
          force: true,
          flash: "Page settings saved",
        });
        return;
      }
      adopt(saved);
      return "Page settings saved";
    });

  /**
   * Reinstating a retired page or cancelling a scheduled retirement
   * (admins); unsaved edits in the form stay. A conflict here reloads the
   * page rather than offering to overwrite it.
   */
  const changePage = (run: () => Promise<PageSettingsFragment>, done: string) =>
    void submit.submit(
      async () => {
        const saved = await run();
        adopt(saved, rebase(form, base, saved));
        return done;
      },
      {
        offerChoice: false,
        reload: async () => {
          const fresh = (await request(PageDocument, { slug: page.slug })).page;
          if (fresh) adopt(fresh, rebase(form, base, fresh));
          return fresh;
        },
      },
    );

  const reinstate = () =>
    changePage(
      async () => (await request(ReinstatePageDocument, { id: page.id, version: page.version })).reinstatePage,
      "Page reinstated",
    );
  const cancelRetirement = () =>
    changePage(
      async () => (await request(CancelRetirementDocument, { id: page.id, version: page.version })).scheduleRetirement,
      "Scheduled retirement cancelled",
    );

  function takeTheirs() {
    if (!conflict) return;
    adopt(conflict);
    submit.succeed("Your changes were discarded. You are now editing the latest version.");
  }

  const pageHref = href(`/pages/${encodeURIComponent(page.slug)}`);

  return (
    <>
      <a href={pageHref} class="govuk-back-link">
        Back to {page.title}
      </a>
      <TwoThirds>
        <FormMessages form={submit} />
        {conflict && (
          <ConflictBanner
            thing="page"
            version={conflict.version}
            onKeepMine={() => void save(conflict.version)}
            onTakeTheirs={takeTheirs}
          >
            <SummaryList
              id="their-version"
              rows={[
                { key: "Title", value: conflict.title },
                { key: "Introduction", value: conflict.intro, valueClass: "qanda-pre-wrap" },
                { key: "Footer", value: conflict.footer, valueClass: "qanda-pre-wrap" },
                { key: "Status", value: <PageTag status={conflict.status} /> },
              ]}
            />
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
        <SummaryList
          rows={[
            { key: "Status", value: <PageTag status={page.status} /> },
            { key: "Public address", value: <code>/pages/{page.slug}</code> },
            { key: "Last changed", value: formatDateTime(page.lastChangedAt ?? page.updatedAt) },
          ]}
        />
        <form
          method="post"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (mayChangeStatus && form.status !== page.status) {
              // The button pressed, or the field where Enter was pressed, gets focus back on Cancel.
              confirm.ask(form.status);
              return;
            }
            confirm.close();
            void save(page.version);
          }}
        >
          <TextInput {...field(errors, "title", form.title, set("title"))} label="Title" />
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
        {/* Only while the status chosen is still the one it asks about. */}
        {confirm.asking !== null && confirm.asking === form.status && form.status !== page.status && (
          <ConfirmPanel
            heading={confirm.asking === "LIVE" ? "Make this page live?" : "Take this page back to draft?"}
            choices={[
              {
                text: confirm.asking === "LIVE" ? "Yes, make it live" : "Yes, make it a draft",
                onChoose: () => {
                  confirm.close();
                  void save(page.version);
                },
              },
            ]}
            onCancel={confirm.cancel}
          >
            <p class="govuk-body" id="confirm-readers">
              {confirm.asking === "LIVE"
                ? `Anyone will be able to read ${page.title} and its published questions at /pages/${page.slug} straight away.`
                : `Readers will no longer see ${page.title}: its address will say the page is not found. Its questions stay as they are, and you can make it live again later.`}
            </p>
            {otherChanges && <p class="govuk-body">Your other changes to these settings will be saved at the same time.</p>}
          </ConfirmPanel>
        )}
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
