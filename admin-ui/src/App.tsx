// Which screen a path shows, and the sign-in gate in front of all but two.

import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, request, setUnauthenticatedHandler } from "./api";
import { Layout } from "./components/Layout";
import { Forbidden, Loading, NotFound, ProblemWithService } from "./components/Screen";
import { MeDocument } from "./generated/graphql";
import { useLocation } from "./hooks";
import { currentLocation, href, match, navigate } from "./router";
import { can, getMe, getStep, setMe, useMe, type Ability, type Me } from "./session";
import { Account } from "./views/Account";
import { AuditLog } from "./views/AuditLog";
import { CategoryEdit } from "./views/CategoryEdit";
import { PageChanges } from "./views/PageChanges";
import { PageReview } from "./views/PageReview";
import { Reviews } from "./views/Reviews";
import { MyWork } from "./views/MyWork";
import { PageCreate } from "./views/PageCreate";
import { PageHistory } from "./views/PageHistory";
import { PageRetire } from "./views/PageRetire";
import { PageSettings } from "./views/PageSettings";
import { PageView } from "./views/PageView";
import { PagesList } from "./views/PagesList";
import { QuestionEditor } from "./views/QuestionEditor";
import { QuestionChanges } from "./views/QuestionChanges";
import { QuestionHistory } from "./views/QuestionHistory";
import { QuestionNew } from "./views/QuestionNew";
import { Setup } from "./views/Setup";
import { SignIn } from "./views/SignIn";
import { SignInCode } from "./views/SignInCode";
import { SignOut } from "./views/SignOut";
import { TwoFactorSetup } from "./views/TwoFactorSetup";
import { UserDetail } from "./views/UserDetail";
import { Users } from "./views/Users";
import { WebhookDetail } from "./views/WebhookDetail";
import { Webhooks } from "./views/Webhooks";

type Params = Record<string, string>;

interface Route {
  pattern: string;
  /** Who may see it; absent means anyone signed in. */
  needs?: Ability;
  /** Shown without signing in. */
  open?: boolean;
  /** Shown to a sign-in that must set up two-factor sign-in first, as well as to anyone signed in. */
  enrol?: boolean;
  view: (params: Params, me: Me | null) => ComponentChildren;
}

// Fixed paths first: "/questions/new" before "/questions/:id".
const ROUTES: Route[] = [
  { pattern: "/sign-in", open: true, view: () => <SignIn /> },
  { pattern: "/sign-in/code", open: true, view: () => <SignInCode /> },
  { pattern: "/setup", open: true, view: () => <Setup /> },
  { pattern: "/sign-out", open: true, view: () => <SignOut /> },
  { pattern: "/", view: (_, me) => <PagesList me={me as Me} /> },
  { pattern: "/create-page", needs: "managePages", view: () => <PageCreate /> },
  { pattern: "/pages/:slug", view: (p) => <PageView slug={p.slug ?? ""} /> },
  { pattern: "/pages/:slug/history", view: (p) => <PageHistory slug={p.slug ?? ""} /> },
  { pattern: "/pages/:slug/changes", view: (p) => <PageChanges slug={p.slug ?? ""} /> },
  { pattern: "/pages/:slug/review", view: (p) => <PageReview slug={p.slug ?? ""} /> },
  { pattern: "/pages/:slug/settings", view: (p) => <PageSettings slug={p.slug ?? ""} /> },
  { pattern: "/pages/:slug/retire", needs: "managePages", view: (p) => <PageRetire slug={p.slug ?? ""} /> },
  {
    pattern: "/pages/:slug/categories/:id",
    view: (p, me) => <CategoryEdit slug={p.slug ?? ""} id={p.id ?? ""} me={me as Me} />,
  },
  { pattern: "/questions/new", view: () => <QuestionNew /> },
  { pattern: "/questions/:id", view: (p) => <QuestionEditor id={p.id ?? ""} /> },
  { pattern: "/questions/:id/changes", view: (p) => <QuestionChanges id={p.id ?? ""} /> },
  { pattern: "/questions/:id/history", view: (p) => <QuestionHistory id={p.id ?? ""} /> },
  { pattern: "/users", needs: "manageUsers", view: (_, me) => <Users me={me as Me} /> },
  { pattern: "/users/:id", needs: "manageUsers", view: (p, me) => <UserDetail id={p.id ?? ""} me={me as Me} /> },
  { pattern: "/audit", needs: "manageUsers", view: () => <AuditLog /> },
  { pattern: "/webhooks", needs: "manageWebhooks", view: () => <Webhooks /> },
  { pattern: "/webhooks/:id", needs: "manageWebhooks", view: (p) => <WebhookDetail id={p.id ?? ""} /> },
  { pattern: "/account", view: (_, me) => <Account me={me as Me} /> },
  { pattern: "/reviews", view: () => <Reviews /> },
  { pattern: "/my-work", view: () => <MyWork /> },
  { pattern: "/account/two-factor", enrol: true, view: () => <TwoFactorSetup /> },
];

function find(path: string): { route: Route; params: Params } | null {
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (params) return { route, params };
  }
  return null;
}

/**
 * Where someone who is not signed in goes: to sign in, or, with the
 * password already given, to the code or to setting up an app (which
 * QANDA_REQUIRE_2FA asks first), coming back here afterwards.
 */
function signInHref(): string {
  const { path, query } = currentLocation();
  const here = href(path) + (query.toString() ? `?${query.toString()}` : "");
  const next = path === "/" ? {} : { next: here };
  const step = getStep();
  if (step === "ENROL_SECOND_FACTOR") return href("/account/two-factor", next);
  if (step === "SECOND_FACTOR") return href("/sign-in/code", next);
  return href("/sign-in", next);
}

export function App() {
  const location = useLocation();
  const me = useMe();
  const [loadError, setLoadError] = useState<ApiError | null>(null);

  useEffect(() => {
    // A session that ends while the app is open (expiry, signed out
    // elsewhere, password changed) sends the user back to sign in.
    setUnauthenticatedHandler(() => {
      if (getMe()) {
        setMe(null);
        navigate(signInHref(), { replace: true, force: true });
      }
    });
    request(MeDocument)
      .then((data) => setMe(data.me, data.signInStep))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.code === "UNAUTHENTICATED") setMe(null);
        else setLoadError(error instanceof ApiError ? error : new ApiError("INTERNAL", String(error)));
      });
  }, []);

  const found = find(location.path);
  const enrolling = me === null && getStep() === "ENROL_SECOND_FACTOR";
  const mustSignIn = me === null && found !== null && !found.route.open && !(found.route.enrol && enrolling);

  useEffect(() => {
    if (mustSignIn) navigate(signInHref(), { replace: true, force: true });
  }, [mustSignIn, location.key]);

  let content: ComponentChildren;
  if (loadError) content = <ProblemWithService message={loadError.message} />;
  else if (me === undefined || mustSignIn) content = <Loading />;
  else if (found === null) content = <NotFound />;
  else if (found.route.needs && !can(me, found.route.needs)) content = <Forbidden />;
  else content = found.route.view(found.params, me);

  return (
    <Layout me={me} path={location.path}>
      {/* A fresh screen on every navigation: no state carried over. */}
      <div key={location.key}>{content}</div>
    </Layout>
  );
}
