//! Driving the real admin UI in headless Chromium through ChromeDriver.
//! Without Chromium a browser test is skipped with a message, except under
//! CI=true, where it fails. A failing test leaves a screenshot in
//! target/browser-failures/.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use futures::FutureExt;
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// One browser at a time: each is a heavy process on a 2-core machine.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn browser_available() -> bool {
    let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !present {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but {CHROMIUM} or {CHROMEDRIVER} is missing: install chromium and chromium-driver");
        }
        eprintln!("skipping a browser test: {CHROMIUM} or {CHROMEDRIVER} is not installed");
    }
    present
}

async fn start(javascript: bool, extra_args: &[&str]) -> (Driver, Client, tempfile::TempDir) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let profile = tempfile::tempdir().unwrap();
    let capabilities = json!({
        // Console messages, for `console_errors`.
        "goog:loggingPrefs": { "browser": "ALL" },
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-dev-shm-usage", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1100",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let mut capabilities = capabilities;
    if let Some(args) = capabilities["goog:chromeOptions"]["args"].as_array_mut() {
        args.extend(extra_args.iter().map(|arg| json!(arg)));
    }
    if !javascript {
        capabilities["goog:chromeOptions"]["prefs"] =
            json!({ "profile.managed_default_content_settings.javascript": 2 });
    }
    let capabilities = match capabilities {
        Value::Object(map) => map,
        _ => unreachable!(),
    };
    let url = format!("http://127.0.0.1:{port}");
    let mut last_error = None;
    for _ in 0..50 {
        // ChromeDriver is on loopback: plain HTTP, no TLS stack needed.
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return (driver, client, profile),
            Err(error) => {
                last_error = Some(error);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    panic!("could not start Chromium through ChromeDriver: {last_error:?}");
}

fn screenshot_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-failures");
    std::fs::create_dir_all(&dir).ok();
    dir.join(format!("{name}.png"))
}

/// Runs `body` with a fresh browser; on failure saves a screenshot first.
pub async fn with_browser<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()>,
{
    run(name, true, &[], body).await;
}

/// The same, in a browser with JavaScript turned off.
pub async fn without_javascript<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()>,
{
    run(name, false, &[], body).await;
}

/// The same, in a browser that can reach no host but 127.0.0.1, as on a
/// machine without internet access: every other name fails to resolve.
pub async fn offline<F, Fut>(name: &str, body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()>,
{
    run(
        name,
        true,
        &["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        body,
    )
    .await;
}

async fn run<F, Fut>(name: &str, javascript: bool, extra_args: &[&str], body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()>,
{
    if !browser_available() {
        return;
    }
    let _turn = ONE_BROWSER.lock().await;
    let (_driver, client, _profile) = start(javascript, extra_args).await;
    let outcome = AssertUnwindSafe(body(client.clone())).catch_unwind().await;
    if let Err(panic) = outcome {
        if let Ok(png) = client.screenshot().await {
            let path = screenshot_path(name);
            std::fs::write(&path, png).ok();
            eprintln!("browser test {name} failed; screenshot: {}", path.display());
        }
        let _ = client.close().await;
        std::panic::resume_unwind(panic);
    }
    let _ = client.close().await;
}

/// Waits for an element; fails the test with the selector if it never comes.
pub async fn find(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element matches {css}: {e}"))
}

/// Waits until the page's text contains `text`.
pub async fn wait_for_text(client: &Client, text: &str) {
    for _ in 0..100 {
        let body = client
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap_or_default();
        if body.contains(text) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page never showed {text:?}");
}

/// Waits until the page has settled: loaded, no "Loading…" status, no
/// running animations or transitions, and the same DOM and focus on two
/// reads in a row. axe and screenshots need the finished screen, not a frame
/// of one still rendering.
pub async fn wait_until_settled(client: &Client) {
    const STATE: &str = r#"
        const loading = [...document.querySelectorAll('[role=status]')]
            .some((e) => e.textContent.includes('Loading'));
        const animating = document.getAnimations()
            .some((a) => a.playState === 'running');
        const active = document.activeElement;
        return {
            ready: document.readyState === 'complete' && !loading && !animating,
            snapshot: document.title + '|' + (active ? active.outerHTML.slice(0, 200) : '')
                + '|' + document.body.innerHTML,
        };
    "#;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut previous: Option<String> = None;
    loop {
        let state = client.execute(STATE, vec![]).await.unwrap();
        let snapshot = state["snapshot"].as_str().unwrap_or_default().to_owned();
        if state["ready"] == json!(true) && previous.as_deref() == Some(snapshot.as_str()) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the page never settled within 10 s (still loading, animating or changing): {}",
            client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default()
        );
        previous = Some(snapshot);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs axe-core (from the admin UI's npm packages) on the current page and
/// returns its violations as "id: help (n nodes)" lines.
pub async fn axe_violations(client: &Client) -> Vec<String> {
    let source_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("admin-ui/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&source_path)
        .unwrap_or_else(|e| panic!("axe-core is needed at {}: {e}", source_path.display()));
    client
        .execute(&source, vec![])
        .await
        .expect("axe-core loads");
    let result = client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ' nodes: ' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')));",
            vec![],
        )
        .await
        .expect("axe-core runs");
    serde_json::from_value(result).unwrap_or_default()
}

/// A phone's width: the narrowest screen GOV.UK designs for.
pub const PHONE_WIDTH: u32 = 320;

/// A DevTools protocol command, through ChromeDriver's own endpoint.
#[derive(Debug)]
struct DevTools {
    command: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(json!({ "cmd": self.command, "params": self.params }).to_string()),
        )
    }
}

/// Lays the page out as a phone `PHONE_WIDTH` pixels wide would, or as the
/// desktop window again. Through the DevTools protocol: Chromium does not
/// make a window that narrow.
pub async fn phone_width(client: &Client, on: bool) {
    let command = if on {
        DevTools {
            command: "Emulation.setDeviceMetricsOverride",
            // Not "mobile": that zooms out to fit a wide table, and the
            // screen would then be checked wider than a phone's.
            params: json!({ "width": PHONE_WIDTH, "height": 800, "deviceScaleFactor": 1, "mobile": false }),
        }
    } else {
        DevTools {
            command: "Emulation.clearDeviceMetricsOverride",
            params: json!({}),
        }
    };
    client
        .issue_cmd(command)
        .await
        .expect("ChromeDriver runs DevTools commands");
    let width = client
        .execute("return window.innerWidth;", vec![])
        .await
        .unwrap();
    if on {
        assert_eq!(
            width,
            json!(PHONE_WIDTH),
            "the page is laid out at phone width"
        );
    }
}

/// axe-core on the current screen at the desktop width and again at
/// `PHONE_WIDTH`; the violations found at the narrow width say so.
pub async fn axe_violations_at_both_widths(client: &Client) -> Vec<String> {
    let mut found = axe_violations(client).await;
    phone_width(client, true).await;
    wait_until_settled(client).await;
    found.extend(
        axe_violations(client)
            .await
            .into_iter()
            .map(|violation| format!("at {PHONE_WIDTH}px: {violation}")),
    );
    phone_width(client, false).await;
    wait_until_settled(client).await;
    found
}

/// ChromeDriver's console log (its own command: WebDriver has none).
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

/// The errors the page logged since the last call: scripts' errors, and the
/// browser's own, such as a load the CSP refused or a host that could not be
/// reached.
pub async fn console_errors(client: &Client) -> Vec<String> {
    let entries = client
        .issue_cmd(BrowserLog)
        .await
        .expect("ChromeDriver returns the console log");
    entries
        .as_array()
        .into_iter()
        .flatten()
        .filter(|entry| entry["level"] == "SEVERE")
        .map(|entry| entry["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Fails the test when axe-core finds a violation on the screen as it is,
/// at desktop width or at 320 pixels.
pub async fn assert_no_axe_violations(client: &Client, screen: &str) {
    wait_until_settled(client).await;
    let violations = axe_violations_at_both_widths(client).await;
    println!("axe: {screen}: {} violations", violations.len());
    assert!(
        violations.is_empty(),
        "axe-core found violations on {screen}:\n  {}",
        violations.join("\n  ")
    );
}

/// Sends one key to the focused element.
pub async fn press(client: &Client, key: fantoccini::key::Key) {
    type_text(client, &key.to_string()).await;
}

/// Types `text` into the focused element.
pub async fn type_text(client: &Client, text: &str) {
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// Presses Tab until `focused` (a script's condition on `el`, the focused
/// element) holds.
pub async fn tab_until(client: &Client, focused: &str, what: &str) {
    let script = format!("const el = document.activeElement; return !!el && ({focused});");
    for _ in 0..150 {
        if client.execute(&script, vec![]).await.unwrap() == serde_json::Value::Bool(true) {
            return;
        }
        press(client, fantoccini::key::Key::Tab).await;
    }
    panic!("Tab never reached {what}");
}

/// Presses Tab until the focused element's text is `text`.
pub async fn tab_to_text(client: &Client, text: &str) {
    let condition = format!("el.textContent.trim() === {}", serde_json::json!(text));
    tab_until(client, &condition, text).await;
}

/// Presses Tab until the focused element has this id.
pub async fn tab_to_id(client: &Client, id: &str) {
    let condition = format!("el.id === {}", serde_json::json!(id));
    tab_until(client, &condition, id).await;
}
