// Bootstrap: GOV.UK Frontend's "JavaScript is available" classes (set here,
// not by an inline script, because the CSP allows none), the styles, the
// router and the app.

import "./styles.scss";
import { render } from "preact";
import { App } from "./App";
import { startGovukComponents } from "./govuk";
import { startRouter } from "./router";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

const root = document.getElementById("app");
if (root === null) throw new Error("index.html has no #app element");

startRouter();
startGovukComponents(document.body);
render(<App />, root);
