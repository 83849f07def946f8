//! Scheduling in a real browser: a publisher sets and clears a question's
//! publish time in the editor, and an admin schedules and cancels a page's
//! retirement; bad input shows GOV.UK errors and changes nothing.

use std::time::Duration;

use chrono::{DateTime, Utc};
use fantoccini::{Client, Locator};
use qanda::domain::Role;
use serde_json::{json, Value};

use crate::browser::{button, has_button, new_user, replace_text, sign_in};
use crate::browser_support::{
    axe_violations_at_both_widths, find, wait_for_text, wait_until_settled, with_browser,
};
use crate::helpers::{page_doc, question_doc, Person, TestApp};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A moment as the browser's date inputs show it, in the browser's time zone.
#[derive(Debug, Clone)]
struct Local {
    at: DateTime<Utc>,
    day: u32,
    month: u32,
    year: i32,
    hour: u32,
    minute: u32,
}

impl Local {
    fn time(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }

    /// As the admin UI writes it: "3 December 2026 at 5:00pm".
    fn spoken(&self) -> String {
        let hour12 = match self.hour % 12 {
            0 => 12,
            h => h,
        };
        let suffix = if self.hour < 12 { "am" } else { "pm" };
        let time = if self.hour == 12 && self.minute == 0 {
            "midday".to_owned()
        } else {
            format!("{hour12}:{:02}{suffix}", self.minute)
        };
        format!(
            "{} {} {} at {time}",
            self.day,
            MONTHS[self.month as usize - 1],
            self.year
        )
    }
}

/// The moment that `expression` (JavaScript, evaluating to a Date) names,
/// worked out in the browser, whose time zone the inputs use.
async fn browser_time(client: &Client, expression: &str) -> Local {
    let script = format!(
        "const d = {expression}; \
         return [d.getTime(), d.getDate(), d.getMonth() + 1, d.getFullYear(), d.getHours(), d.getMinutes()];"
    );
    let parts = client.execute(&script, vec![]).await.unwrap();
    let n = |i: usize| parts[i].as_i64().unwrap_or_else(|| panic!("{parts}"));
    Local {
        at: DateTime::from_timestamp_millis(n(0)).unwrap(),
        day: n(1) as u32,
        month: n(2) as u32,
        year: n(3) as i32,
        hour: n(4) as u32,
        minute: n(5) as u32,
    }
}

/// Types into the date inputs `{group}-day`, `-month`, `-year` and `-time`.
async fn fill_date(client: &Client, group: &str, day: &str, month: &str, year: &str, time: &str) {
    for (part, value) in [
        ("day", day),
        ("month", month),
        ("year", year),
        ("time", time),
    ] {
        replace_text(client, &format!("#{group}-{part}"), value).await;
    }
}

async fn fill_local(client: &Client, group: &str, when: &Local) {
    fill_date(
        client,
        group,
        &when.day.to_string(),
        &when.month.to_string(),
        &when.year.to_string(),
        &when.time(),
    )
    .await;
}

async fn text_of(client: &Client, css: &str) -> String {
    find(client, css).await.text().await.unwrap()
}

/// Waits until nothing matches `css` any more.
async fn wait_for_absence(client: &Client, css: &str) {
    for _ in 0..100 {
        let found = client.find_all(Locator::Css(css)).await.unwrap();
        if found.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} is still on the screen");
}

/// The error summary's links, as (href, text), once it shows `message`.
async fn error_summary(client: &Client, message: &str) -> Vec<(String, String)> {
    find(client, ".govuk-error-summary").await;
    wait_for_text(client, message).await;
    let mut links = Vec::new();
    for link in client
        .find_all(Locator::Css(".govuk-error-summary__list a"))
        .await
        .unwrap()
    {
        let href = link.attr("href").await.unwrap().unwrap_or_default();
        links.push((href, link.text().await.unwrap()));
    }
    let title = client.title().await.unwrap();
    assert!(title.starts_with("Error: "), "{title}");
    links
}

fn time_of(value: &Value) -> Option<DateTime<Utc>> {
    value.as_str().map(|s| {
        DateTime::parse_from_rfc3339(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .with_timezone(&Utc)
    })
}

const STAFF_QUESTION: &str =
    "query($id: ID!) { question(id: $id, includeDrafts: true) { version status publishAt expireAt } }";

/// The question as a member of staff sees it: version, publishAt, expireAt.
async fn schedule_of(
    staff: &Person,
    id: &str,
) -> (i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let data = staff.query(STAFF_QUESTION, json!({ "id": id })).await;
    let q = &data["question"];
    (
        q["version"].as_i64().unwrap(),
        time_of(&q["publishAt"]),
        time_of(&q["expireAt"]),
    )
}

/// Waits until the question reaches `version`, then returns its schedule.
async fn wait_for_schedule(
    staff: &Person,
    id: &str,
    version: i64,
) -> (i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    for _ in 0..100 {
        let schedule = schedule_of(staff, id).await;
        if schedule.0 >= version {
            return schedule;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("question {id} never reached version {version}");
}

/// True when an anonymous reader of the API can see the question.
async fn public_sees(app: &TestApp, id: &str) -> bool {
    let data = app
        .query(
            "query($id: ID!) { question(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    !data["question"].is_null()
}

#[tokio::test]
async fn a_publisher_schedules_a_question_and_readers_get_it_on_time() {
    let app = TestApp::spawn().await;
    app.import_json(json!([page_doc(
        "soon",
        "LIVE",
        json!([{ "slug": "c", "title": "Coming soon", "questions": [question_doc("later", "DRAFT")] }])
    )]))
    .await;
    let staff = app.signed_in(Role::Publisher).await;
    let ids = staff
        .query(
            "{ page(slug: \"soon\", includeDrafts: true) { categories { questions { id } } } }",
            json!({}),
        )
        .await;
    let id = ids["page"]["categories"][0]["questions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!public_sees(&app, &id).await, "a draft is not public");
    let email = new_user(&app, Role::Publisher).await;

    with_browser("question_schedule", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/questions/{id}")))
            .await
            .unwrap();
        find(&client, "#publish-day").await;
        find(&client, "#schedule-none").await;
        let next_year = browser_time(&client, "new Date()").await.year + 1;

        // Not a date: refused in the browser, nothing sent.
        fill_date(
            &client,
            "publish",
            "31",
            "2",
            &next_year.to_string(),
            "09:00",
        )
        .await;
        button(&client, "Save schedule")
            .await
            .click()
            .await
            .unwrap();
        let links = error_summary(&client, "Publish on must be a real date").await;
        assert_eq!(
            links,
            [(
                "#publish-day".to_owned(),
                "Publish on must be a real date".to_owned()
            )]
        );
        assert!(text_of(&client, "#publish-error")
            .await
            .contains("Publish on must be a real date"));
        assert_eq!(schedule_of(&staff, &id).await, (1, None, None));

        // Removal before publishing: the API refuses it, on the removal time.
        fill_date(
            &client,
            "publish",
            "10",
            "3",
            &next_year.to_string(),
            "10:00",
        )
        .await;
        fill_date(
            &client,
            "expire",
            "10",
            "3",
            &next_year.to_string(),
            "09:00",
        )
        .await;
        button(&client, "Save schedule")
            .await
            .click()
            .await
            .unwrap();
        let message = "The expiry time must be after the publish time";
        let links = error_summary(&client, message).await;
        assert_eq!(links, [("#expire-day".to_owned(), message.to_owned())]);
        assert!(text_of(&client, "#expire-error").await.contains(message));
        assert_eq!(
            schedule_of(&staff, &id).await,
            (1, None, None),
            "a refused schedule changes nothing"
        );

        // A publish time in three minutes (the inputs take whole minutes).
        let soon = browser_time(
            &client,
            "new Date(Math.floor(Date.now() / 60000) * 60000 + 3 * 60000)",
        )
        .await;
        fill_local(&client, "publish", &soon).await;
        fill_date(&client, "expire", "", "", "", "").await;
        button(&client, "Save schedule")
            .await
            .click()
            .await
            .unwrap();
        assert_eq!(
            wait_for_schedule(&staff, &id, 2).await,
            (2, Some(soon.at), None)
        );
        wait_for_text(&client, "Schedule saved").await;
        assert_eq!(
            text_of(&client, "#scheduled-publish").await,
            format!("Publishes on {}", soon.spoken())
        );
        assert!(text_of(&client, "#schedule-summary")
            .await
            .contains(&soon.spoken()));
        assert!(
            !public_sees(&app, &id).await,
            "nothing is public before its publish time"
        );

        // Clearing it takes it off the schedule.
        find(&client, "#clear-publish").await.click().await.unwrap();
        assert_eq!(wait_for_schedule(&staff, &id, 3).await, (3, None, None));
        find(&client, "#schedule-none").await;
        wait_for_absence(&client, "#schedule-summary").await;

        // A publish time that has come (the start of this minute): readers
        // get the question without anyone publishing it.
        let now = browser_time(&client, "new Date(Math.floor(Date.now() / 60000) * 60000)").await;
        fill_local(&client, "publish", &now).await;
        button(&client, "Save schedule")
            .await
            .click()
            .await
            .unwrap();
        assert_eq!(
            wait_for_schedule(&staff, &id, 4).await,
            (4, Some(now.at), None)
        );
        let mut public = false;
        for _ in 0..100 {
            public = public_sees(&app, &id).await;
            if public {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(public, "readers never got the question");
    })
    .await;
}

const STAFF_PAGE: &str = "{ page(slug: \"local-digital-qa\", includeDrafts: true) { version status retireAt retirementNotice } }";

/// The sample page as an admin sees it: version, status, retireAt, notice.
async fn retirement_of(admin: &Person) -> (i64, String, Option<DateTime<Utc>>, Option<String>) {
    let data = admin.query(STAFF_PAGE, json!({})).await;
    let page = &data["page"];
    (
        page["version"].as_i64().unwrap(),
        page["status"].as_str().unwrap().to_owned(),
        time_of(&page["retireAt"]),
        page["retirementNotice"].as_str().map(str::to_owned),
    )
}

#[tokio::test]
async fn an_admin_schedules_and_cancels_a_page_retirement() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let email = new_user(&app, Role::Admin).await;
    let before = retirement_of(&admin).await;
    assert_eq!((before.1.as_str(), before.2), ("LIVE", None));
    let version = before.0;

    with_browser("retirement_schedule", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url("/admin/pages/local-digital-qa/retire"))
            .await
            .unwrap();
        find(&client, "#retire-when").await;

        // No choice made.
        button(&client, "Retire page").await.click().await.unwrap();
        let links = error_summary(&client, "Select when the page should retire").await;
        assert_eq!(links[0].0, "#retire-when");
        assert!(text_of(&client, "#retire-when-error")
            .await
            .contains("Select when the page should retire"));

        // Later: the button says so, and the date must be a real one.
        find(&client, "#retire-when-2").await.click().await.unwrap();
        button(&client, "Schedule retirement").await;
        assert!(!has_button(&client, "Retire page").await);
        let next_year = browser_time(&client, "new Date()").await.year + 1;
        replace_text(&client, "#notice", "This Q&A closes soon.").await;
        fill_date(&client, "retire-at", "31", "2", &next_year.to_string(), "17:00").await;
        button(&client, "Schedule retirement")
            .await
            .click()
            .await
            .unwrap();
        let message = "Retirement date and time must be a real date";
        let links = error_summary(&client, message).await;
        assert_eq!(links, [("#retire-at-day".to_owned(), message.to_owned())]);
        assert!(text_of(&client, "#retire-at-error").await.contains(message));

        // A time that has passed is not a schedule.
        let yesterday = browser_time(
            &client,
            "(() => { const d = new Date(); d.setDate(d.getDate() - 1); d.setHours(17, 0, 0, 0); return d; })()",
        )
        .await;
        fill_local(&client, "retire-at", &yesterday).await;
        button(&client, "Schedule retirement")
            .await
            .click()
            .await
            .unwrap();
        error_summary(&client, "must be in the future").await;

        // The API's own checks: a notice is needed.
        let when = browser_time(
            &client,
            "(() => { const d = new Date(); d.setDate(d.getDate() + 2); d.setHours(17, 0, 0, 0); return d; })()",
        )
        .await;
        fill_local(&client, "retire-at", &when).await;
        replace_text(&client, "#notice", "").await;
        button(&client, "Schedule retirement")
            .await
            .click()
            .await
            .unwrap();
        let links = error_summary(&client, "Enter the retirement notice").await;
        assert_eq!(
            links,
            [(
                "#notice".to_owned(),
                "Enter the retirement notice".to_owned()
            )]
        );
        assert!(text_of(&client, "#notice-error")
            .await
            .contains("Enter the retirement notice"));
        assert_eq!(
            retirement_of(&admin).await,
            before,
            "bad input changes nothing"
        );

        // A good one is stored and shown on the page's screen.
        replace_text(&client, "#notice", "This Q&A closes soon.").await;
        button(&client, "Schedule retirement")
            .await
            .click()
            .await
            .unwrap();
        wait_for_text(&client, &format!("Retirement scheduled for {}", when.spoken())).await;
        let sentence = format!("This page will retire on {}.", when.spoken());
        assert_eq!(text_of(&client, "#scheduled-retirement-time").await, sentence);
        assert_eq!(
            retirement_of(&admin).await,
            (
                version + 1,
                "LIVE".to_owned(),
                Some(when.at),
                Some("This Q&A closes soon.".to_owned())
            )
        );
        let public = app
            .query("{ page(slug: \"local-digital-qa\") { status } }", json!({}))
            .await;
        assert_eq!(public["page"]["status"], "LIVE", "live until its time");

        // The settings say so too; the retirement screen starts from it.
        client
            .goto(&app.url("/admin/pages/local-digital-qa/settings"))
            .await
            .unwrap();
        assert_eq!(text_of(&client, "#scheduled-retirement-time").await, sentence);
        client
            .goto(&app.url("/admin/pages/local-digital-qa/retire"))
            .await
            .unwrap();
        assert!(find(&client, "#retire-when-2")
            .await
            .is_selected()
            .await
            .unwrap());
        let day = find(&client, "#retire-at-day").await.prop("value").await.unwrap();
        assert_eq!(day, Some(when.day.to_string()));

        // Cancelled from the page's screen.
        client
            .goto(&app.url("/admin/pages/local-digital-qa"))
            .await
            .unwrap();
        button(&client, "Cancel scheduled retirement")
            .await
            .click()
            .await
            .unwrap();
        wait_for_text(&client, "Scheduled retirement cancelled").await;
        wait_for_absence(&client, "#scheduled-retirement").await;
        let (after, status, retire_at, _) = retirement_of(&admin).await;
        assert_eq!(
            (after, status.as_str(), retire_at),
            (version + 2, "LIVE", None)
        );
    })
    .await;
}

#[tokio::test]
async fn scheduled_retirement_screens_have_no_axe_violations() {
    let app = TestApp::spawn().await;
    let email = new_user(&app, Role::Admin).await;
    with_browser("retirement_schedule_axe", |client| async move {
        let mut report = Vec::new();
        let mut check = |screen: &str, violations: Vec<String>| {
            println!("axe: {screen}: {} violations", violations.len());
            if !violations.is_empty() {
                report.push(format!("{screen}:\n  {}", violations.join("\n  ")));
            }
        };
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url("/admin/pages/local-digital-qa/retire"))
            .await
            .unwrap();
        let day = find(&client, "#retire-at-day").await;
        assert!(
            !day.is_displayed().await.unwrap(),
            "the date is hidden until asked for"
        );
        find(&client, "#retire-when-2").await.click().await.unwrap();
        assert!(day.is_displayed().await.unwrap(), "the date is revealed");
        wait_until_settled(&client).await;
        check("retirement with date fields", axe_violations_at_both_widths(&client).await);

        // With errors on the date and the notice.
        fill_date(&client, "retire-at", "31", "2", "2030", "25:00").await;
        button(&client, "Schedule retirement")
            .await
            .click()
            .await
            .unwrap();
        error_summary(&client, "must be a real date").await;
        check(
            "retirement with date errors",
            axe_violations_at_both_widths(&client).await,
        );

        // The screens showing a scheduled retirement.
        let when = browser_time(
            &client,
            "(() => { const d = new Date(); d.setDate(d.getDate() + 3); d.setHours(9, 30, 0, 0); return d; })()",
        )
        .await;
        fill_local(&client, "retire-at", &when).await;
        replace_text(&client, "#notice", "Closing.").await;
        button(&client, "Schedule retirement")
            .await
            .click()
            .await
            .unwrap();
        find(&client, "#scheduled-retirement").await;
        wait_until_settled(&client).await;
        check("page with a scheduled retirement", axe_violations_at_both_widths(&client).await);
        for (screen, path) in [
            ("settings", "/admin/pages/local-digital-qa/settings"),
            ("retirement, scheduled", "/admin/pages/local-digital-qa/retire"),
        ] {
            client.goto(&app.url(path)).await.unwrap();
            find(&client, "#scheduled-retirement").await;
            wait_until_settled(&client).await;
            check(screen, axe_violations_at_both_widths(&client).await);
        }
        assert!(
            report.is_empty(),
            "axe-core found violations:\n{}",
            report.join("\n")
        );
    })
    .await;
}

/// A publisher schedules the saved changes to a live answer with the
/// keyboard alone: the Schedule section offers "Schedule these changes"
/// only once there are changes, and then says when they will be published;
/// readers keep the published answer until then. No axe violations at
/// desktop width or at 320 px.
#[tokio::test]
async fn a_publisher_schedules_changes_to_a_live_answer_with_the_keyboard() {
    use crate::browser::{tab_to, type_keys};
    use fantoccini::key::Key;
    let app = TestApp::builder().without_sample().spawn().await;
    app.import_json(json!([page_doc(
        "p",
        "LIVE",
        json!([{ "slug": "c", "title": "C", "questions": [question_doc("live", "PUBLISHED")] }])
    )]))
    .await;
    let staff = app.signed_in(Role::Publisher).await;
    let ids = staff
        .query(
            "{ page(slug: \"p\") { categories { questions { id } } } }",
            json!({}),
        )
        .await;
    let id = ids["page"]["categories"][0]["questions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let email = new_user(&app, Role::Publisher).await;
    with_browser("question_schedule_changes", |client| async move {
        sign_in(&client, &app, &email).await;
        client
            .goto(&app.url(&format!("/admin/questions/{id}")))
            .await
            .unwrap();
        find(&client, "#expire-day").await;
        wait_for_text(
            &client,
            "Once you save changes to it, you can schedule them here.",
        )
        .await;
        assert!(
            client
                .find_all(Locator::Css("#publish-day"))
                .await
                .unwrap()
                .is_empty(),
            "nothing to schedule before a change is saved"
        );

        tab_to(&client, "el.id === 'answer'").await;
        type_keys(&client, &format!("{}a", Key::Control)).await;
        type_keys(&client, "The answer from next week.").await;
        tab_to(
            &client,
            "el.tagName === 'BUTTON' && el.textContent.trim() === 'Save draft'",
        )
        .await;
        type_keys(&client, &Key::Enter.to_string()).await;
        wait_for_schedule(&staff, &id, 2).await;
        find(&client, "#publish-day").await;
        wait_for_text(&client, "Schedule these changes").await;
        let violations = axe_violations_at_both_widths(&client).await;
        assert!(violations.is_empty(), "{violations:#?}");

        let when = browser_time(
            &client,
            "new Date(Math.floor(Date.now() / 60000) * 60000 + 7 * 24 * 3600000)",
        )
        .await;
        for (part, value) in [
            ("day", when.day.to_string()),
            ("month", when.month.to_string()),
            ("year", when.year.to_string()),
            ("time", when.time()),
        ] {
            tab_to(&client, &format!("el.id === 'publish-{part}'")).await;
            type_keys(&client, &value).await;
        }
        tab_to(
            &client,
            "el.tagName === 'BUTTON' && el.textContent.trim() === 'Schedule these changes'",
        )
        .await;
        type_keys(&client, &Key::Enter.to_string()).await;
        assert_eq!(
            wait_for_schedule(&staff, &id, 3).await,
            (3, Some(when.at), None)
        );
        wait_for_text(&client, "Schedule saved").await;
        assert_eq!(
            text_of(&client, "#scheduled-publish").await,
            format!("These changes will be published at {}", when.spoken())
        );
        let read = app
            .query(
                "{ page(slug: \"p\") { categories { questions { answer } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            read["page"]["categories"][0]["questions"][0]["answer"], "Answer for live.",
            "readers keep the published answer"
        );
        wait_until_settled(&client).await;
        let violations = axe_violations_at_both_widths(&client).await;
        assert!(violations.is_empty(), "{violations:#?}");
    })
    .await;
}
