import { useEffect, useState } from "preact/hooks";
import { request } from "../api";
import { WarningText } from "../components/ConfirmPanel";
import { Button, TextInput } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { NotificationBanner } from "../components/NotificationBanner";
import { Heading, Loaded, TwoThirds } from "../components/Screen";
import { BeginTwoFactorEnrolmentDocument, ConfirmTwoFactorEnrolmentDocument } from "../generated/graphql";
import { field, hasErrors, localErrors, useSubmit } from "../forms";
import { useLocation, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";
import { getStep, setMe } from "../session";
import { safeNext } from "./SignIn";

/** "JBSWY3DPEHPK3PXP…" in groups of four, as apps show keys and people type them. */
function grouped(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

/**
 * /account/two-factor: set up an authenticator app. Reached from Your
 * account, or sent here straight after the password when QANDA_REQUIRE_2FA
 * asks it of this account (then nothing else works until it is done).
 */
export function TwoFactorSetup() {
  const { query } = useLocation();
  // Read once: confirming signs the session in, which changes the step.
  const [required] = useState(() => getStep() === "ENROL_SECOND_FACTOR");
  const [codes, setCodes] = useState<string[] | null>(null);
  const enrolment = useQuery(() => request(BeginTwoFactorEnrolmentDocument), []);
  const next = required ? safeNext(query.get("next")) : href("/account");
  if (codes) return <RecoveryCodes codes={codes} next={next} />;
  return (
    <Loaded state={enrolment} select={(data) => data.beginTwoFactorEnrolment}>
      {(begun) => (
        <SetupForm secret={begun.secret} qrCodeSvg={begun.qrCodeSvg} required={required} onConfirmed={setCodes} />
      )}
    </Loaded>
  );
}

function SetupForm({
  secret,
  qrCodeSvg,
  required,
  onConfirmed,
}: {
  secret: string;
  qrCodeSvg: string;
  required: boolean;
  onConfirmed: (codes: string[]) => void;
}) {
  const [code, setCode] = useState("");
  const form = useSubmit({ ids: { code: "code" } });
  const { errors } = form;
  useScreen("Set up two-factor sign-in", hasErrors(errors));

  function submit(event: Event) {
    event.preventDefault();
    if (code.trim() === "") return form.show(localErrors([["code", "Enter the code from your authenticator app"]]));
    void form.submit(async () => {
      const data = await request(ConfirmTwoFactorEnrolmentDocument, { code });
      setMe(data.confirmTwoFactorEnrolment.user);
      onConfirmed(data.confirmTwoFactorEnrolment.recoveryCodes);
    });
  }

  return (
    <TwoThirds>
      <FormMessages form={form} />
      <Heading>Set up two-factor sign-in</Heading>
      {required && (
        <div class="govuk-inset-text">
          Your account must use two-factor sign-in. Set it up now to finish signing in: you cannot do anything else
          until you have.
        </div>
      )}
      <p class="govuk-body">
        Each time you sign in you will give your password and a code from an authenticator app on your phone, so
        nobody can sign in as you with your password alone.
      </p>

      <h2 class="govuk-heading-m">1. Get an authenticator app</h2>
      <p class="govuk-body">
        Use any app that makes time-based codes (TOTP). Your organisation may tell you which one to use.
      </p>

      <h2 class="govuk-heading-m">2. Add qanda to the app</h2>
      <p class="govuk-body">In the app, add an account and scan this QR code.</p>
      {/* Drawn by the server from the secret below; plain shapes, no script or style. */}
      <div class="qanda-qr" dangerouslySetInnerHTML={{ __html: qrCodeSvg }} />
      <p class="govuk-body">If you cannot scan it, choose to enter a key in the app and type this one:</p>
      <p class="govuk-body">
        <code class="qanda-secret" id="two-factor-secret">
          {grouped(secret)}
        </code>
      </p>

      <h2 class="govuk-heading-m">3. Enter the code the app shows</h2>
      <form method="post" noValidate onSubmit={submit}>
        <TextInput {...field(errors, "code", code, setCode)}
          label="Code from your authenticator app"
          hint="6 digits. The app shows a new one every 30 seconds."
          autocomplete="one-time-code"
          widthClass="govuk-input--width-10"
          spellcheck={false}
        />
        <Button>Continue</Button>
      </form>
      {required ? (
        <p class="govuk-body">
          <a class="govuk-link" href={href("/sign-out")}>
            Sign out
          </a>
        </p>
      ) : (
        <p class="govuk-body">
          <a class="govuk-link" href={href("/account")}>
            Back to your account
          </a>
        </p>
      )}
    </TwoThirds>
  );
}

/** Shown once, straight after the app is confirmed: only hashes are kept. */
function RecoveryCodes({ codes, next }: { codes: string[]; next: string }) {
  useScreen("Save your recovery codes");
  // The same screen, new content: start reading at its heading.
  useEffect(() => {
    document.querySelector<HTMLElement>("main h1")?.focus();
  }, []);
  return (
    <TwoThirds>
      <NotificationBanner heading="Two-factor sign-in is set up." autoFocus={false} />
      <Heading>Save your recovery codes</Heading>
      <p class="govuk-body">
        If you lose your phone, sign in with one of these codes instead of a code from the app. Each code works once.
      </p>
      <WarningText>Save them somewhere safe now, such as a password manager. They will not be shown again.</WarningText>
      <ul class="govuk-list qanda-recovery-codes" id="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <Button type="button" id="recovery-codes-saved" onClick={() => navigate(next, { replace: true, force: true })}>
        I have saved my recovery codes
      </Button>
    </TwoThirds>
  );
}
